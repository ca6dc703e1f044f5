import { useRef, useState } from 'react';
import type { StudySummary } from '../../../shared/contract/study-types';
import { ConfirmDialog } from '../../app/ConfirmDialog';
import { useNotify } from '../../app/notices';
import { useStudio } from '../../app/studio-context';

/**
 * The rarer actions on a study: merging trials recorded on another machine (a CSV of
 * participant,image,guess,response_ms[,confidence], read in the page and sent as text, so it works
 * in a browser too) and removing the study with its participants and trials.
 */
export function StudyActions(props: { study: StudySummary; onChanged: () => void }) {
  const { client } = useStudio();
  const notify = useNotify();
  const file = useRef<HTMLInputElement>(null);
  const [confirming, setConfirming] = useState(false);
  const { study } = props;

  const importFile = async (picked: File): Promise<void> => {
    try {
      const result = await client.call('study.import', {
        studyId: study.id,
        csvText: await picked.text(),
      });
      const lines = result.rejected.slice(0, 5).map((r) => `line ${r.line}: ${r.reason}`);
      notify.info(
        `${picked.name}: ${result.merged} trials merged, ${result.unchanged} already there` +
          (result.rejected.length > 0
            ? `, ${result.rejected.length} rejected (${lines.join('; ')}${result.rejected.length > 5 ? '; …' : ''})`
            : ''),
      );
      props.onChanged();
    } catch (error) {
      notify.error(`Could not import ${picked.name}`, error);
    }
  };

  return (
    <>
      <button type="button" onClick={() => file.current?.click()} data-testid="study-import">
        Import trials…
      </button>
      <input
        ref={file}
        type="file"
        accept=".csv,text/csv"
        hidden
        data-testid="study-import-file"
        onChange={(e) => {
          const picked = e.target.files?.[0];
          e.target.value = '';
          if (picked !== undefined) void importFile(picked);
        }}
      />
      <button
        type="button"
        className="danger"
        onClick={() => setConfirming(true)}
        data-testid="study-remove"
      >
        Remove
      </button>
      {confirming && (
        <ConfirmDialog
          title={`Remove the study “${study.name}”?`}
          confirmLabel="Remove study"
          danger
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            client.call('study.remove', { studyId: study.id }).then(
              () => props.onChanged(),
              (error: unknown) => notify.error('Could not remove the study', error),
            );
          }}
        >
          <p>
            Its {study.participants} participants and {study.trials} guesses go with it. Export the
            results first to keep them.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
