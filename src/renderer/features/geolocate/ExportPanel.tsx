import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import type { AppErrorData } from '../../../shared/contract/errors';
import type {
  GeoBatchSummary,
  GeoExportFormat,
  GeoExportResult,
  GeoExportScope,
} from '../../../shared/contract/geo-types';
import { ConfirmDialog } from '../../app/ConfirmDialog';
import { errorData } from '../../app/errors';
import { useStudio } from '../../app/studio-context';
import { ErrorLine } from '../../ui/ErrorLine';
import { exportFileName, isTextFormat, mimeOf } from './export-file';

const FORMATS: readonly { value: GeoExportFormat; label: string; hint: string }[] = [
  { value: 'csv', label: 'CSV', hint: 'One row per photo: path, city, latitude, longitude.' },
  { value: 'geojson', label: 'GeoJSON', hint: 'One point per photo, for GIS tools and maps.' },
  {
    value: 'xmp',
    label: 'XMP sidecars',
    hint: 'A <name>.xmp beside each photo; photos untouched.',
  },
  {
    value: 'exif-copies',
    label: 'EXIF GPS into copies',
    hint: 'JPEG copies with GPS written into a folder you choose; originals untouched.',
  },
  {
    value: 'exif-originals',
    label: 'EXIF GPS into the originals',
    hint: 'Edits the photos themselves, after copying them untouched into a backup folder.',
  },
];

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
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<AppErrorData | null>(null);
  const [result, setResult] = useState<GeoExportResult | null>(null);
  const [link, setLink] = useState<{ href: string; name: string } | null>(null);

  // The downloadable file lives as long as its result is shown.
  useEffect(() => {
    if (result === null || result.text === null || !isTextFormat(result.format)) {
      setLink(null);
      return;
    }
    const href = URL.createObjectURL(new Blob([result.text], { type: mimeOf(result.format) }));
    setLink({ href, name: exportFileName(batch.name, batch.id, result.format) });
    return () => URL.revokeObjectURL(href);
  }, [result, batch.name, batch.id]);

  const needsDest = format === 'exif-copies';
  const needsBackup = format === 'exif-originals';

  const run = (): void => {
    setBusy(true);
    setError(null);
    setResult(null);
    client
      .call('geo.export', {
        batchId: batch.id,
        format,
        scope,
        dest: dest.trim() === '' || format === 'xmp' || needsBackup ? null : dest.trim(),
        backupDir: needsBackup ? backupDir.trim() : null,
        confirmOriginals: needsBackup,
        includeUnknown,
      })
      .then(setResult, (e: unknown) => setError(errorData(e)))
      .finally(() => setBusy(false));
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

  const chooseFolder = (set: (path: string) => void): void => {
    if (pickPaths === null) return;
    pickPaths('folders').then(
      (paths) => {
        const first = paths[0];
        if (first !== undefined) set(first);
      },
      (e: unknown) => setError(errorData(e)),
    );
  };

  const hint = FORMATS.find((f) => f.value === format)?.hint ?? '';
  return (
    <section className="geo-export" aria-label="Export" data-testid="geo-export">
      <form className="card" onSubmit={submit} noValidate>
        <fieldset className="geo-formats">
          <legend>Format</legend>
          {FORMATS.map((f) => (
            <label key={f.value} className="checkbox">
              <input
                type="radio"
                name="geo-format"
                value={f.value}
                checked={format === f.value}
                onChange={() => {
                  setFormat(f.value);
                  setResult(null);
                  setProblem(null);
                }}
                data-testid={`geo-format-${f.value}`}
              />
              {f.label}
            </label>
          ))}
        </fieldset>
        <p className="muted small">
          {hint} Photos that already carry GPS and skipped photos are never written.
        </p>
        <div className="field-grid">
          <label className="field geo-scope">
            <span>Photos</span>
            <select
              value={scope}
              onChange={(e) => setScope(e.target.value === 'reviewed' ? 'reviewed' : 'all')}
              data-testid="geo-export-scope"
            >
              <option value="all">Every placed photo</option>
              <option value="reviewed">Reviewed photos only</option>
            </select>
          </label>
        </div>
        {batch.unknownAbove !== null && (
          <label className="checkbox">
            <input
              type="checkbox"
              checked={includeUnknown}
              onChange={(e) => setIncludeUnknown(e.target.checked)}
              data-testid="geo-export-unknown"
            />
            Also write photos answered unknown (forced choice)
            <span className="muted small">
              {' '}
              {batch.counts.unknown} photo{batch.counts.unknown === 1 ? '' : 's'} look like none of
              the model’s cities; reviewed ones are written either way.
            </span>
          </label>
        )}
        {(isTextFormat(format) || needsDest) && (
          <div className="field">
            <label htmlFor="geo-export-dest">
              {needsDest ? 'Folder for the copies' : 'Also save to this file (optional)'}
            </label>
            <input
              id="geo-export-dest"
              type="text"
              spellCheck={false}
              value={dest}
              onChange={(e) => setDest(e.target.value)}
              placeholder={needsDest ? '/photos/geotagged' : `/photos/${batch.name}.${format}`}
            />
            {needsDest && pickPaths !== null && (
              <div className="button-row">
                <button type="button" onClick={() => chooseFolder(setDest)}>
                  Choose folder…
                </button>
              </div>
            )}
          </div>
        )}
        {needsBackup && (
          <div className="field">
            <label htmlFor="geo-export-backup">Backup folder (receives the untouched photos)</label>
            <input
              id="geo-export-backup"
              type="text"
              spellCheck={false}
              value={backupDir}
              onChange={(e) => setBackupDir(e.target.value)}
              placeholder="/photos/backup-before-gps"
            />
            {pickPaths !== null && (
              <div className="button-row">
                <button type="button" onClick={() => chooseFolder(setBackupDir)}>
                  Choose folder…
                </button>
              </div>
            )}
          </div>
        )}
        {problem !== null && (
          <p className="form-error" role="alert">
            {problem}
          </p>
        )}
        <div className="button-row">
          <button
            type="submit"
            className={needsBackup ? 'danger' : 'primary'}
            disabled={busy}
            data-testid="geo-export-run"
          >
            {busy ? 'Writing…' : needsBackup ? 'Write into the originals…' : 'Export'}
          </button>
        </div>
        {error !== null && <ErrorLine error={error} testId="geo-export-error" />}
      </form>
      {result !== null && (
        <div className="card" data-testid="geo-export-result" data-written={result.written}>
          <p>
            {isTextFormat(result.format)
              ? `${result.written} row${result.written === 1 ? '' : 's'}`
              : `${result.written} photo${result.written === 1 ? '' : 's'} written`}
            {result.dest !== null && (
              <>
                {' '}
                to <code className="break">{result.dest}</code>
              </>
            )}
            {result.backupDir !== null && (
              <>
                ; originals backed up in <code className="break">{result.backupDir}</code>
              </>
            )}
            .
          </p>
          {link !== null && (
            <div className="button-row">
              <a
                className="geo-link-button"
                href={link.href}
                download={link.name}
                data-testid="geo-export-download"
              >
                Download {link.name}
              </a>
            </div>
          )}
          {result.skipped.length > 0 && (
            <details data-testid="geo-export-skipped" data-count={result.skipped.length}>
              <summary>{result.skipped.length} skipped</summary>
              <ul className="plain-list small">
                {result.skipped.map((s) => (
                  <li key={s.path}>
                    <code className="break">{s.path}</code>{' '}
                    <span className="muted">{s.reason}</span>
                  </li>
                ))}
              </ul>
            </details>
          )}
        </div>
      )}
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
