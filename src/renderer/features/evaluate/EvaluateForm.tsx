import { useState } from 'react';
import type { FormEvent } from 'react';
import type { ParamsIn } from '../../../shared/contract/methods';
import type { ModelSummary } from '../../../shared/contract/ml-types';
import { lines, pct } from '../../ui/format';
import { Field, FormFooter, TextField } from '../../ui/form';
import { ModelPicker } from '../../ui/ModelPicker';
import { OutsideSetField } from './OutsideSetField';

type Dataset = 'test' | 'val' | 'external';

/**
 * What to evaluate: a model, on the test or validation split or on another labelled image set,
 * optionally with an outside set (photos from none of its cities).
 */
export function EvaluateForm(props: {
  models: ModelSummary[];
  modelId: string;
  onModel: (id: string) => void;
  busy: boolean;
  onStart: (params: ParamsIn<'evaluate.start'>) => void;
}) {
  const [dataset, setDataset] = useState<Dataset>('test');
  const [paths, setPaths] = useState('');
  const [csv, setCsv] = useState('');
  const [outside, setOutside] = useState('');
  const [tta, setTta] = useState<'center' | 'multiCrop'>('center');
  const [problem, setProblem] = useState<string | null>(null);

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    if (props.modelId === '') return setProblem('Pick a model (train one in the Train view).');
    const folders = lines(paths);
    if (dataset === 'external' && folders.length === 0 && csv.trim() === '')
      return setProblem('Give folders of city sub-folders, a CSV manifest, or both.');
    setProblem(null);
    const outsideFolders = lines(outside);
    props.onStart({
      modelId: props.modelId,
      split: dataset === 'val' ? 'val' : 'test',
      external:
        dataset === 'external'
          ? { paths: folders, csv: csv.trim() === '' ? null : csv.trim() }
          : null,
      outside: outsideFolders.length === 0 ? null : { paths: outsideFolders },
      tta,
    });
  };

  const radio = (value: Dataset, label: string, hint: string) => (
    <label className="ml-radio">
      <input
        type="radio"
        name="eval-dataset"
        value={value}
        checked={dataset === value}
        onChange={() => setDataset(value)}
      />
      <span className="ml-radio-text">
        {label}
        <span className="muted small">{hint}</span>
      </span>
    </label>
  );

  return (
    <form
      className="card"
      onSubmit={submit}
      noValidate
      aria-labelledby="eval-form-title"
      data-testid="evaluate-form"
    >
      <h2 id="eval-form-title">Evaluate a model</h2>
      <fieldset className="ml-fieldset-plain" disabled={props.busy}>
        <div className="field-grid">
          <ModelPicker
            id="eval-model"
            className="ml-wider"
            models={props.models}
            value={props.modelId}
            disabled={props.models.length === 0}
            onChange={props.onModel}
          >
            {props.models.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name} · {m.backbone}
                {m.fineTuned ? ' · fine-tuned' : ''}
                {m.accuracy !== null ? ` · ${pct(m.accuracy)} ${m.accuracySplit ?? ''}` : ''}
              </option>
            ))}
          </ModelPicker>
          <Field id="eval-tta" label="Test-time views">
            <select
              id="eval-tta"
              value={tta}
              onChange={(e) => setTta(e.target.value === 'multiCrop' ? 'multiCrop' : 'center')}
            >
              <option value="center">Centre crop</option>
              <option value="multiCrop">10 crops (corners, centre, mirrored)</option>
            </select>
          </Field>
        </div>
        <div className="ml-radios" role="radiogroup" aria-label="Images to evaluate on">
          {radio('test', 'Test split', 'photos held out from training')}
          {radio('val', 'Validation split', 'used to pick the best epoch: optimistic')}
          {radio('external', 'Another image set', 'out of distribution, e.g. Flickr photos')}
        </div>
        {dataset === 'external' && (
          <div className="ml-two-col">
            <Field id="eval-paths" label="Folders whose sub-folders are city names (one a line)">
              <textarea
                id="eval-paths"
                rows={3}
                value={paths}
                onChange={(e) => setPaths(e.target.value)}
              />
            </Field>
            <TextField
              id="eval-csv"
              label="CSV manifest (path,city or path,lat,lon)"
              mono
              value={csv}
              onChange={setCsv}
            />
          </div>
        )}
        <OutsideSetField
          value={outside}
          onChange={setOutside}
          openSet={props.models.find((m) => m.id === props.modelId)?.openSet != null}
        />
      </fieldset>
      <FormFooter
        problem={problem}
        busy={props.busy}
        busyLabel="Evaluating…"
        label="Evaluate"
        testId="evaluate-start"
      />
    </form>
  );
}
