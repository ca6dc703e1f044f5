import { useState } from 'react';
import type { FormEvent } from 'react';
import type { ImageSummary } from '../../../shared/contract/library-types';
import { mlMethods } from '../../../shared/contract/ml-methods';
import { numberParam, paramsShape } from '../../../shared/contract/param-info';
import { isActive } from '../../ui/job-state';
import { Field, FormFooter, TextField } from '../../ui/form';
import { JobStatus } from '../../ui/JobStatus';
import { lines } from '../../ui/format';
import { ModelPicker, NeedsModel } from '../../ui/ModelPicker';
import { hashParam } from '../../ui/nav';
import { fieldRangeMessage, numberInRange } from '../../ui/number-field';
import { useModelChoice } from '../../ui/use-model-choice';
import { useJob } from '../../ui/use-job';
import { ImagePicker } from './ImagePicker';
import { PredictionResults } from './PredictionResults';
import '../../ui/ml.css';
import './predict.css';

const TOP_K = numberParam(paramsShape(mlMethods['predict.start'].params).topK);

/** Geolocate photos: the most likely cities of library photos or image files, with probabilities. */
export function PredictView() {
  const choice = useModelChoice(() => hashParam('model'));
  const { models, modelId, model } = choice;
  const [selected, setSelected] = useState<Map<number, ImageSummary>>(new Map());
  const [paths, setPaths] = useState('');
  const [topK, setTopK] = useState('3');
  const [tta, setTta] = useState<'center' | 'multiCrop'>('center');
  const [problem, setProblem] = useState<string | null>(null);
  // The picked photos as they were when prediction started (their true city, if any).
  const [known, setKnown] = useState<ReadonlyMap<number, ImageSummary>>(new Map());
  const job = useJob('predict.start');
  const busy = isActive(job.state.phase);
  const k = model === null ? 3 : Math.min(model.classes.length, 10);
  const count = selected.size + lines(paths).length;

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const files = lines(paths);
    const n = numberInRange(topK, TOP_K);
    if (modelId === '') return setProblem('Pick a model first (train one in the Train view).');
    if (selected.size + files.length === 0)
      return setProblem('Pick library photos below, or give image file paths.');
    if (n === null) return setProblem(fieldRangeMessage('Top-k', TOP_K));
    setProblem(null);
    setKnown(new Map(selected));
    void job.start({ modelId, imageIds: [...selected.keys()], paths: files, topK: n, tta });
  };

  return (
    <section className="view ml-view" aria-labelledby="predict-title">
      <header className="view-header">
        <h1 id="predict-title">Predict</h1>
        <p className="muted">
          Which city is this photo from? Pick untagged photos (or any image files) and a model.
        </p>
      </header>
      <NeedsModel models={models} emptyTestId="predict-empty">
        <form className="card" onSubmit={submit} noValidate data-testid="predict-form">
          <div className="field-grid">
            <ModelPicker id="predict-model" className="ml-wide" choice={choice} disabled={busy} />
            <TextField
              id="predict-topk"
              label={`Top-k cities (max ${k})`}
              inputMode="numeric"
              value={topK}
              disabled={busy}
              onChange={setTopK}
            />
            <Field id="predict-tta" label="Test-time views">
              <select
                id="predict-tta"
                value={tta}
                disabled={busy}
                onChange={(e) => setTta(e.target.value === 'multiCrop' ? 'multiCrop' : 'center')}
              >
                <option value="center">Centre crop</option>
                <option value="multiCrop">10 crops (corners, centre, mirrored)</option>
              </select>
            </Field>
          </div>
          <h3>Library photos</h3>
          <ImagePicker selected={selected} onChange={setSelected} disabled={busy} />
          <Field id="predict-paths" label="Or image files outside the library (one path a line)">
            <textarea
              id="predict-paths"
              rows={2}
              value={paths}
              disabled={busy}
              onChange={(e) => setPaths(e.target.value)}
            />
          </Field>
          <FormFooter
            problem={problem}
            busy={busy}
            busyLabel="Predicting…"
            label={`Predict ${count || ''} photo${count === 1 ? '' : 's'}`}
            testId="predict-start"
          />
        </form>
      </NeedsModel>
      <JobStatus
        state={job.state}
        label="Prediction"
        testId="predict-status"
        onCancel={job.cancel}
      />
      {job.state.result !== null && <PredictionResults result={job.state.result} known={known} />}
    </section>
  );
}
