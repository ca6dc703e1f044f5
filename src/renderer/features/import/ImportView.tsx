import { useState } from 'react';
import type { FormEvent } from 'react';
import { ImportReportView } from './ImportReportView';
import { useImportSession } from './import-session';
import { appendPaths, parsePaths } from './parse-paths';
import { useStudio } from '../../app/studio-context';
import type { PickKind } from '../../../shared/contract/client';
import './import.css';

export function ImportView() {
  const { run, start, cancel } = useImportSession();
  const { transport } = useStudio();
  // Only the desktop app can open the system's file dialog; in a browser paths are typed.
  const pickPaths = transport.pickPaths?.bind(transport) ?? null;
  const [pathsText, setPathsText] = useState('');
  const [csv, setCsv] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const running = run?.phase === 'running';

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const paths = parsePaths(pathsText);
    const manifest = csv.trim() === '' ? null : csv.trim();
    if (paths.length === 0 && manifest === null) {
      setProblem('Give at least one folder or file, or a CSV manifest.');
      return;
    }
    setProblem(null);
    start(paths, manifest);
  };

  const browse = (kind: PickKind): void => {
    if (pickPaths === null) return;
    pickPaths(kind).then(
      (picked) => {
        if (picked.length === 0) return;
        if (kind === 'csv') setCsv(picked[0] ?? '');
        else setPathsText((text) => appendPaths(text, picked));
      },
      (error: unknown) => setProblem(error instanceof Error ? error.message : String(error)),
    );
  };

  const pct = run !== null && run.total > 0 ? Math.round((run.done / run.total) * 100) : null;
  return (
    <section className="view import-view" aria-labelledby="import-title">
      <header className="view-header">
        <h1 id="import-title">Import photos</h1>
        <p className="muted">
          Folders are scanned recursively. A folder named after a city (e.g. <code>Paris/</code>)
          labels its photos; photos with GPS inside a city’s radius are labeled by position.
        </p>
      </header>
      <form className="card import-form" onSubmit={submit} data-testid="import-form">
        <label htmlFor="import-paths">Folders or files (one per line)</label>
        <textarea
          id="import-paths"
          rows={5}
          spellCheck={false}
          placeholder={'/data/street-photos\n/data/more/IMG_0042.jpg'}
          value={pathsText}
          onChange={(e) => setPathsText(e.target.value)}
          disabled={running}
        />
        {pickPaths !== null && (
          <div className="button-row" data-testid="import-browse">
            <button type="button" onClick={() => browse('folders')} disabled={running}>
              Choose folders…
            </button>
            <button type="button" onClick={() => browse('files')} disabled={running}>
              Choose photos…
            </button>
          </div>
        )}
        <label htmlFor="import-csv">CSV manifest (optional)</label>
        <input
          id="import-csv"
          type="text"
          spellCheck={false}
          placeholder="/data/labels.csv  — rows of path,city or path,lat,lon"
          value={csv}
          onChange={(e) => setCsv(e.target.value)}
          disabled={running}
        />
        {pickPaths !== null && (
          <div className="button-row">
            <button type="button" onClick={() => browse('csv')} disabled={running}>
              Choose a manifest…
            </button>
          </div>
        )}
        <div className="button-row">
          <button type="submit" className="primary" disabled={running} data-testid="import-start">
            {running ? 'Importing…' : 'Start import'}
          </button>
          {running && (
            <button type="button" onClick={cancel} disabled={run.jobId === null}>
              Cancel
            </button>
          )}
        </div>
        {problem !== null && (
          <p className="form-error" role="alert">
            {problem}
          </p>
        )}
      </form>
      {run !== null && (
        <div data-testid="import-status" data-phase={run.phase} aria-live="polite">
          {run.phase === 'running' && (
            <section className="card import-status">
              <progress
                max={run.total > 0 ? run.total : undefined}
                value={run.total > 0 ? run.done : undefined}
                aria-label="Import progress"
              />
              <p>
                {run.total > 0 ? `${run.done} of ${run.total} files (${pct ?? 0}%)` : 'Scanning…'}
                {run.message !== null && <span className="muted"> · {run.message}</span>}
              </p>
            </section>
          )}
          {run.phase === 'cancelled' && (
            <p className="card">The import was cancelled. Files already imported stay.</p>
          )}
          {run.phase === 'failed' && run.error !== null && (
            <p className="form-error" role="alert">
              <code>{run.error.code}</code> {run.error.message}
            </p>
          )}
          {run.report !== null && <ImportReportView report={run.report} />}
        </div>
      )}
    </section>
  );
}
