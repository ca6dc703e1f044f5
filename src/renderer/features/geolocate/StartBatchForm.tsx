import { useState } from 'react';
import type { FormEvent } from 'react';
import type { GeoBatchCreated } from '../../../shared/contract/geo-types';
import type { PickKind } from '../../../shared/contract/client';
import { errorData } from '../../app/errors';
import { useStudio } from '../../app/studio-context';
import { appendPaths, parsePaths } from '../import/parse-paths';
import { ErrorLine } from '../../ui/ErrorLine';
import { navigate } from '../../ui/nav';
import { useModels } from '../../ui/use-ml-lists';
import type { AppErrorData } from '../../../shared/contract/errors';
import { ModelOptions } from '../../ui/ModelOptions';

/** Starts a batch: a model, the folders or photos to place, and where "unsure" begins. */
export function StartBatchForm(props: { onStarted: (created: GeoBatchCreated) => void }) {
  const { client, transport } = useStudio();
  // Only the desktop app can open the system's file dialog; in a browser paths are typed.
  const pickPaths = transport.pickPaths?.bind(transport) ?? null;
  const models = useModels();
  const list = models.value ?? [];
  const [picked, setPicked] = useState('');
  const modelId = list.some((m) => m.id === picked) ? picked : (list[0]?.id ?? '');
  const [pathsText, setPathsText] = useState('');
  const [name, setName] = useState('');
  const [unsure, setUnsure] = useState(50);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<AppErrorData | null>(null);

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const paths = parsePaths(pathsText);
    if (modelId === '') return setProblem('Pick a model first (train one in the Train view).');
    if (paths.length === 0) return setProblem('Give at least one folder or photo.');
    setProblem(null);
    setError(null);
    setBusy(true);
    client
      .call('geo.create', {
        modelId,
        paths,
        name: name.trim() === '' ? null : name.trim(),
        unsureBelow: unsure / 100,
      })
      .then(
        (created) => {
          setPathsText('');
          setName('');
          props.onStarted(created);
        },
        (e: unknown) => setError(errorData(e)),
      )
      .finally(() => setBusy(false));
  };

  const browse = (kind: PickKind): void => {
    if (pickPaths === null) return;
    pickPaths(kind).then(
      (paths) => setPathsText((text) => appendPaths(text, paths)),
      (e: unknown) => setError(errorData(e)),
    );
  };

  if (models.state === 'ready' && list.length === 0) {
    return (
      <div className="card empty-state" data-testid="geo-no-model">
        <p>Geolocating a folder needs a trained model.</p>
        <button type="button" className="primary" onClick={() => navigate('train')}>
          Train a model
        </button>
      </div>
    );
  }
  return (
    <form className="card geo-start" onSubmit={submit} noValidate data-testid="geo-start-form">
      <h2>New batch</h2>
      <div className="field-grid">
        <div className="field geo-wide">
          <label htmlFor="geo-model">Model</label>
          <select
            id="geo-model"
            value={modelId}
            disabled={busy}
            onChange={(e) => setPicked(e.target.value)}
          >
            <ModelOptions models={list} />
          </select>
        </div>
        <div className="field geo-wide">
          <label htmlFor="geo-name">Name (optional)</label>
          <input
            id="geo-name"
            type="text"
            placeholder="The first folder's name and today's date"
            value={name}
            disabled={busy}
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <div className="field geo-wide">
          <label htmlFor="geo-unsure">
            Unsure below {unsure}% <span className="muted">(pending photos under it)</span>
          </label>
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
        </div>
      </div>
      <div className="field">
        <label htmlFor="geo-paths">Folders or photos (one per line)</label>
        <textarea
          id="geo-paths"
          rows={3}
          spellCheck={false}
          placeholder={'/photos/holiday-2024\n/photos/IMG_0042.jpg'}
          value={pathsText}
          disabled={busy}
          onChange={(e) => setPathsText(e.target.value)}
        />
      </div>
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
      {problem !== null && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
      {error !== null && <ErrorLine error={error} testId="geo-start-error" />}
      <div className="button-row">
        <button type="submit" className="primary" disabled={busy} data-testid="geo-start">
          {busy ? 'Starting…' : 'Geolocate'}
        </button>
        <span className="muted small">
          Photos are imported into the library, then predicted in chunks; a stopped batch resumes
          where it left off.
        </span>
      </div>
    </form>
  );
}
