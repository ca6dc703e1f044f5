import { useState } from 'react';
import type { FormEvent } from 'react';
import { useLoad } from '../../app/use-load';
import { useStudio } from '../../app/studio-context';
import { useNotify } from '../../app/notices';
import { isActive } from '../../ui/job-state';
import { ErrorLine } from '../../ui/ErrorLine';
import { Field, FormFooter, TextField } from '../../ui/form';
import { JobStatus } from '../../ui/JobStatus';
import { useJob } from '../../ui/use-job';
import { nameFromPath, NAME_RE } from './backbone-name';

/** Import a backbone from disk, or download one from the catalogue, each as a job with progress. */
export function BackboneImport(props: { existing: string[]; onAdded: () => void }) {
  const { client } = useStudio();
  const notify = useNotify();
  const [path, setPath] = useState('');
  const [name, setName] = useState('');
  const [nameTouched, setNameTouched] = useState(false);
  const [pick, setPick] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const done = (what: string) => (r: { name: string; featureDim: number }) => {
    notify.info(`Backbone ${what}`, `${r.name}: ${r.featureDim} features per image`);
    props.onAdded();
  };
  const importer = useJob('backbones.import', (r) => {
    setPath('');
    setName('');
    setNameTouched(false);
    done('imported')(r);
  });
  const downloader = useJob('backbones.download', done('downloaded'));
  const catalogue = useLoad(() => client.call('backbones.catalogue', {}), 'catalogue');

  const effectiveName = nameTouched ? name : nameFromPath(path);
  const entries = catalogue.value ?? [];
  const picked = entries.find((e) => e.name === pick) ?? entries[0] ?? null;

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    if (path.trim() === '') return setProblem('Give the path of a .tflite file or a model folder.');
    if (!NAME_RE.test(effectiveName))
      return setProblem('Name: letters, digits, dot, dash or underscore (at most 64).');
    if (props.existing.includes(effectiveName))
      return setProblem(`A backbone named “${effectiveName}” already exists.`);
    setProblem(null);
    void importer.start({ path: path.trim(), name: effectiveName });
  };

  return (
    <div className="ml-two-col">
      <form
        className="ml-subform"
        onSubmit={submit}
        noValidate
        aria-labelledby="bb-import-title"
        data-testid="backbone-import-form"
      >
        <h3 id="bb-import-title">Import from disk</h3>
        <TextField
          id="bb-path"
          label="Model file or folder"
          mono
          placeholder="/path/to/mobilenet_v2_1.0_224_quant.tflite"
          value={path}
          onChange={setPath}
        />
        <TextField
          id="bb-name"
          label="Backbone name"
          value={effectiveName}
          onChange={(value) => {
            setNameTouched(true);
            setName(value);
          }}
        />
        <FormFooter
          problem={problem}
          busy={isActive(importer.state.phase)}
          busyLabel="Importing…"
          label="Import backbone"
          testId="backbone-import"
        />
        <JobStatus
          state={importer.state}
          label="Backbone import"
          testId="backbone-import-status"
          onCancel={importer.cancel}
        />
      </form>
      <form
        className="ml-subform"
        onSubmit={(e) => {
          e.preventDefault();
          if (picked !== null) void downloader.start({ name: picked.name });
        }}
        aria-labelledby="bb-download-title"
        data-testid="backbone-download-form"
      >
        <h3 id="bb-download-title">Download from the catalogue</h3>
        {catalogue.error !== null && <ErrorLine error={catalogue.error} />}
        <Field id="bb-catalogue" label="Known backbone">
          <select
            id="bb-catalogue"
            value={picked?.name ?? ''}
            disabled={entries.length === 0}
            onChange={(e) => setPick(e.target.value)}
          >
            {entries.map((e) => (
              <option key={e.name} value={e.name}>
                {e.name} ({e.format})
              </option>
            ))}
          </select>
        </Field>
        {picked !== null && (
          <p className="muted small break">
            From <span className="mono">{picked.url}</span>, verified by sha256{' '}
            <span className="mono">{picked.sha256.slice(0, 12)}…</span>. Needs a network connection.
          </p>
        )}
        <FormFooter
          plain
          busy={isActive(downloader.state.phase)}
          disabled={picked === null}
          busyLabel="Downloading…"
          label="Download"
          testId="backbone-download"
        />
        <JobStatus
          state={downloader.state}
          label="Backbone download"
          testId="backbone-download-status"
          onCancel={downloader.cancel}
        />
      </form>
    </div>
  );
}
