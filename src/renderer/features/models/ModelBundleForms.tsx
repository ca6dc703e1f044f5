import { useState } from 'react';
import type { ModelSummary } from '../../../shared/contract/ml-types';
import { useLibrary } from '../../app/library-state';
import { useNotify } from '../../app/notices';
import { useStudio } from '../../app/studio-context';
import { ErrorLine } from '../../ui/ErrorLine';
import { TextField } from '../../ui/form';
import { ModelPicker } from '../../ui/ModelPicker';
import { useAction } from '../../ui/use-action';

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
  const exporting = useAction<void>();
  const importing = useAction<void>();
  // One at a time: either form waits while the other runs.
  const busy = exporting.busy || importing.busy;

  const chosen = props.models.find((m) => m.id === props.exportFor) ?? props.models[0] ?? null;
  const suggested =
    chosen === null || library === null ? '' : `${library.dir}/${slug(chosen.name)}.lpmodel`;
  const path = exportPath.trim() === '' ? suggested : exportPath.trim();

  const doExport = (): Promise<boolean> => {
    importing.reset();
    return exporting.run(async () => {
      if (chosen === null) return;
      const r = await client.call('models.export', { modelId: chosen.id, path });
      notify.info('Model exported', `${r.path} (${(r.bytes / 1e6).toFixed(1)} MB)`);
    });
  };

  const doImport = (): Promise<boolean> => {
    exporting.reset();
    return importing.run(async () => {
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
  };

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
        <ModelPicker
          id="export-model"
          models={props.models}
          value={chosen?.id ?? ''}
          disabled={props.models.length === 0}
          onChange={props.onExportFor}
        >
          {props.models.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </ModelPicker>
        <TextField
          id="export-path"
          label="Save as (.lpmodel)"
          mono
          placeholder={suggested}
          value={exportPath}
          onChange={setExportPath}
        />
        <div className="button-row">
          <button type="submit" disabled={chosen === null || busy || path === ''}>
            {exporting.busy ? 'Exporting…' : 'Export'}
          </button>
        </div>
        {exporting.error !== null && <ErrorLine error={exporting.error} testId="export-error" />}
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
        <TextField
          id="import-model-path"
          label="Model file (.lpmodel)"
          mono
          value={importPath}
          onChange={setImportPath}
        />
        <TextField
          id="import-model-name"
          label="Name (optional)"
          value={importName}
          onChange={setImportName}
        />
        <div className="button-row">
          <button type="submit" disabled={importPath.trim() === '' || busy}>
            {importing.busy ? 'Importing…' : 'Import model'}
          </button>
        </div>
        {importing.error !== null && (
          <ErrorLine error={importing.error} testId="import-model-error" />
        )}
      </form>
    </div>
  );
}
