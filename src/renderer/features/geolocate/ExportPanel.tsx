import { useState } from 'react';
import type { FormEvent } from 'react';
import type {
  GeoBatchSummary,
  GeoExportFormat,
  GeoExportResult,
  GeoExportScope,
} from '../../../shared/contract/geo-types';
import { ConfirmDialog } from '../../app/ConfirmDialog';
import { useStudio } from '../../app/studio-context';
import { ErrorLine } from '../../ui/ErrorLine';
import { Problem } from '../../ui/form';
import { useAction } from '../../ui/use-action';
import { isTextFormat } from './export-file';
import { ExportChoices } from './ExportChoices';
import { ExportResultCard } from './ExportResultCard';
import { FolderField } from './FolderField';

/** Writes a batch's places back: a file to download, sidecars, tagged copies or the originals. */
export function ExportPanel(props: { batch: GeoBatchSummary }) {
  const { batch } = props;
  const { client, transport } = useStudio();
  const pickPaths = transport.pickPaths?.bind(transport) ?? null;
  const [format, setFormat] = useState<GeoExportFormat>('csv');
  const [scope, setScope] = useState<GeoExportScope>('all');
  const [includeUnknown, setIncludeUnknown] = useState(false);
  const [dest, setDest] = useState('');
  const [backupDir, setBackupDir] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  // Kept here rather than in the action: choosing another format hides it but not the error.
  const [result, setResult] = useState<GeoExportResult | null>(null);
  const action = useAction<void>();

  const needsDest = format === 'exif-copies';
  const needsBackup = format === 'exif-originals';

  const run = (): void => {
    setResult(null);
    void action.run(async () => {
      setResult(
        await client.call('geo.export', {
          batchId: batch.id,
          format,
          scope,
          dest: dest.trim() === '' || format === 'xmp' || needsBackup ? null : dest.trim(),
          backupDir: needsBackup ? backupDir.trim() : null,
          confirmOriginals: needsBackup,
          includeUnknown,
        }),
      );
    });
  };

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    if (needsDest && dest.trim() === '') return setProblem('Choose the folder for the copies.');
    if (needsBackup && backupDir.trim() === '')
      return setProblem('Choose a backup folder: the untouched photos are copied there first.');
    setProblem(null);
    if (needsBackup) setConfirming(true);
    else run();
  };

  const chooser = (set: (path: string) => void): (() => void) | null =>
    pickPaths === null
      ? null
      : () =>
          pickPaths('folders').then((paths) => {
            const first = paths[0];
            if (first !== undefined) set(first);
          }, action.report);

  return (
    <section className="geo-export" aria-label="Export" data-testid="geo-export">
      <form className="card" onSubmit={submit} noValidate>
        <ExportChoices
          batch={batch}
          format={format}
          onFormat={(f) => {
            setFormat(f);
            setResult(null);
            setProblem(null);
          }}
          scope={scope}
          onScope={setScope}
          includeUnknown={includeUnknown}
          onIncludeUnknown={setIncludeUnknown}
        />
        {(isTextFormat(format) || needsDest) && (
          <FolderField
            id="geo-export-dest"
            label={needsDest ? 'Folder for the copies' : 'Also save to this file (optional)'}
            value={dest}
            onChange={setDest}
            placeholder={needsDest ? '/photos/geotagged' : `/photos/${batch.name}.${format}`}
            onChoose={needsDest ? chooser(setDest) : null}
          />
        )}
        {needsBackup && (
          <FolderField
            id="geo-export-backup"
            label="Backup folder (receives the untouched photos)"
            value={backupDir}
            onChange={setBackupDir}
            placeholder="/photos/backup-before-gps"
            onChoose={chooser(setBackupDir)}
          />
        )}
        <Problem text={problem} />
        <div className="button-row">
          <button
            type="submit"
            className={needsBackup ? 'danger' : 'primary'}
            disabled={action.busy}
            data-testid="geo-export-run"
          >
            {action.busy ? 'Writing…' : needsBackup ? 'Write into the originals…' : 'Export'}
          </button>
        </div>
        {action.error !== null && <ErrorLine error={action.error} testId="geo-export-error" />}
      </form>
      {result !== null && <ExportResultCard result={result} batch={batch} />}
      {confirming && (
        <ConfirmDialog
          title="Write GPS into the original photos?"
          confirmLabel="Back up and write"
          danger
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            run();
          }}
        >
          <p>
            The photos of “{batch.name}” that have no GPS yet get their estimated city’s position
            written into their EXIF. Each one is first copied untouched into{' '}
            <code className="break">{backupDir}</code>.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
