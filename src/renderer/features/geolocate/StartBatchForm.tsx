import { useState } from 'react';
import type { FormEvent } from 'react';
import type { GeoBatchCreated } from '../../../shared/contract/geo-types';
import type { PickKind } from '../../../shared/contract/client';
import { useStudio } from '../../app/studio-context';
import { appendPaths, parsePaths } from '../import/parse-paths';
import { Field, FormFooter, TextField } from '../../ui/form';
import { ModelPicker, NoModelYet } from '../../ui/ModelPicker';
import { useAction } from '../../ui/use-action';
import { useModelChoice } from '../../ui/use-model-choice';

/** Starts a batch: a model, the folders or photos to place, and where "unsure" begins. */
export function StartBatchForm(props: { onStarted: (created: GeoBatchCreated) => void }) {
  const { client, transport } = useStudio();
  // Only the desktop app can open the system's file dialog; in a browser paths are typed.
  const pickPaths = transport.pickPaths?.bind(transport) ?? null;
  const choice = useModelChoice();
  const { models, list, modelId } = choice;
  const [pathsText, setPathsText] = useState('');
  const [name, setName] = useState('');
  const [unsure, setUnsure] = useState(50);
  const [problem, setProblem] = useState<string | null>(null);
  const action = useAction<void>();
  const busy = action.busy;

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const paths = parsePaths(pathsText);
    if (modelId === '') return setProblem('Pick a model first (train one in the Train view).');
    if (paths.length === 0) return setProblem('Give at least one folder or photo.');
    setProblem(null);
    void action.run(async () => {
      const created = await client.call('geo.create', {
        modelId,
        paths,
        name: name.trim() === '' ? null : name.trim(),
        unsureBelow: unsure / 100,
      });
      setPathsText('');
      setName('');
      props.onStarted(created);
    });
  };

  const browse = (kind: PickKind): void => {
    if (pickPaths === null) return;
    pickPaths(kind).then(
      (paths) => setPathsText((text) => appendPaths(text, paths)),
      action.report,
    );
  };

  if (models.state === 'ready' && list.length === 0) {
    return (
      <NoModelYet
        testId="geo-no-model"
        message={<p>Geolocating a folder needs a trained model.</p>}
      />
    );
  }
  return (
    <form className="card geo-start" onSubmit={submit} noValidate data-testid="geo-start-form">
      <h2>New batch</h2>
      <div className="field-grid">
        <ModelPicker id="geo-model" className="geo-wide" choice={choice} disabled={busy} />
        <TextField
          id="geo-name"
          label="Name (optional)"
          className="geo-wide"
          placeholder="The first folder's name and today's date"
          value={name}
          disabled={busy}
          onChange={setName}
        />
        <Field
          id="geo-unsure"
          className="geo-wide"
          label={
            <>
              Unsure below {unsure}% <span className="muted">(pending photos under it)</span>
            </>
          }
        >
          <input
            id="geo-unsure"
            type="range"
            min={0}
            max={100}
            step={1}
            value={unsure}
            disabled={busy}
            onChange={(e) => setUnsure(Number(e.target.value))}
          />
        </Field>
      </div>
      <Field id="geo-paths" label="Folders or photos (one per line)">
        <textarea
          id="geo-paths"
          rows={3}
          spellCheck={false}
          placeholder={'/photos/holiday-2024\n/photos/IMG_0042.jpg'}
          value={pathsText}
          disabled={busy}
          onChange={(e) => setPathsText(e.target.value)}
        />
      </Field>
      {pickPaths !== null && (
        <div className="button-row">
          <button type="button" onClick={() => browse('folders')} disabled={busy}>
            Choose folders…
          </button>
          <button type="button" onClick={() => browse('files')} disabled={busy}>
            Choose photos…
          </button>
        </div>
      )}
      <FormFooter
        problem={problem}
        error={action.error}
        errorTestId="geo-start-error"
        busy={busy}
        busyLabel="Starting…"
        label="Geolocate"
        testId="geo-start"
      >
        <span className="muted small">
          Photos are imported into the library, then predicted in chunks; a stopped batch resumes
          where it left off.
        </span>
      </FormFooter>
    </form>
  );
}
