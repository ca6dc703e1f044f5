import { useState } from 'react';
import type { AppErrorData } from '../../../shared/contract/errors';
import type { ModelSummary } from '../../../shared/contract/ml-types';
import { errorData } from '../../app/errors';
import { useLibrary } from '../../app/library-state';
import { useNotify } from '../../app/notices';
import { useStudio } from '../../app/studio-context';
import { ErrorLine } from '../../ui/ErrorLine';

const slug = (name: string): string =>
  name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'model';

/** Export a model as one portable .lpmodel file, or import one (validated by the core). */
export function ModelBundleForms(props: {
  models: ModelSummary[];
  exportFor: string;
  onExportFor: (id: string) => void;
}) {
  const { client } = useStudio();
  const notify = useNotify();
  const { library, changed } = useLibrary();
  const [exportPath, setExportPath] = useState('');
  const [importPath, setImportPath] = useState('');
  const [importName, setImportName] = useState('');
  const [busy, setBusy] = useState<'export' | 'import' | null>(null);
  const [error, setError] = useState<{ where: 'export' | 'import'; data: AppErrorData } | null>(
    null,
  );

  const chosen = props.models.find((m) => m.id === props.exportFor) ?? props.models[0] ?? null;
  const suggested =
    chosen === null || library === null ? '' : `${library.dir}/${slug(chosen.name)}.lpmodel`;
  const path = exportPath.trim() === '' ? suggested : exportPath.trim();

  const run = async (where: 'export' | 'import', work: () => Promise<void>): Promise<void> => {
    setBusy(where);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError({ where, data: errorData(e) });
    } finally {
      setBusy(null);
    }
  };

  const doExport = (): Promise<void> =>
    run('export', async () => {
      if (chosen === null) return;
      const r = await client.call('models.export', { modelId: chosen.id, path });
      notify.info('Model exported', `${r.path} (${(r.bytes / 1e6).toFixed(1)} MB)`);
    });

  const doImport = (): Promise<void> =>
    run('import', async () => {
      const name = importName.trim();
      const r = await client.call('models.import', {
        path: importPath.trim(),
        name: name === '' ? null : name,
      });
      notify.info('Model imported', `${r.name} (${r.classes.length} cities)`);
      setImportPath('');
      setImportName('');
      changed('models');
    });

  return (
    <div className="ml-two-col">
      <form
        className="ml-subform"
        aria-labelledby="model-export-title"
        data-testid="model-export-form"
        onSubmit={(e) => {
          e.preventDefault();
          void doExport();
        }}
      >
        <h3 id="model-export-title">Export a model</h3>
        <div className="field">
          <label htmlFor="export-model">Model</label>
          <select
            id="export-model"
            value={chosen?.id ?? ''}
            disabled={props.models.length === 0}
            onChange={(e) => props.onExportFor(e.target.value)}
          >
            {props.models.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="export-path">Save as (.lpmodel)</label>
          <input
            id="export-path"
            type="text"
            className="mono"
            placeholder={suggested}
            value={exportPath}
            onChange={(e) => setExportPath(e.target.value)}
          />
        </div>
        <div className="button-row">
          <button type="submit" disabled={chosen === null || busy !== null || path === ''}>
            {busy === 'export' ? 'Exporting…' : 'Export'}
          </button>
        </div>
        {error?.where === 'export' && <ErrorLine error={error.data} testId="export-error" />}
      </form>
      <form
        className="ml-subform"
        aria-labelledby="model-import-title"
        data-testid="model-import-form"
        onSubmit={(e) => {
          e.preventDefault();
          void doImport();
        }}
      >
        <h3 id="model-import-title">Import a model</h3>
        <div className="field">
          <label htmlFor="import-model-path">Model file (.lpmodel)</label>
          <input
            id="import-model-path"
            type="text"
            className="mono"
            value={importPath}
            onChange={(e) => setImportPath(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="import-model-name">Name (optional)</label>
          <input
            id="import-model-name"
            type="text"
            value={importName}
            onChange={(e) => setImportName(e.target.value)}
          />
        </div>
        <div className="button-row">
          <button type="submit" disabled={importPath.trim() === '' || busy !== null}>
            {busy === 'import' ? 'Importing…' : 'Import model'}
          </button>
        </div>
        {error?.where === 'import' && <ErrorLine error={error.data} testId="import-model-error" />}
      </form>
    </div>
  );
}
