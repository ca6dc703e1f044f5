import { useState } from 'react';
import type { FormEvent } from 'react';
import type { ImageSummary } from '../../../shared/contract/library-types';
import { isActive } from '../../ui/job-state';
import { ErrorLine } from '../../ui/ErrorLine';
import { JobStatus } from '../../ui/JobStatus';
import { lines } from '../../ui/format';
import { hashParam, navigate } from '../../ui/nav';
import { useModels } from '../../ui/use-ml-lists';
import { useJob } from '../../ui/use-job';
import { ImagePicker } from './ImagePicker';
import { PredictionResults } from './PredictionResults';
import { ModelOptions } from '../../ui/ModelOptions';
import '../../ui/ml.css';
import './predict.css';

/** Geolocate photos: the most likely cities of library photos or image files, with probabilities. */
export function PredictView() {
  const models = useModels();
  const list = models.value ?? [];
  const [picked, setPicked] = useState<string | null>(() => hashParam('model'));
  const modelId = list.some((m) => m.id === picked) ? (picked ?? '') : (list[0]?.id ?? '');
  const model = list.find((m) => m.id === modelId) ?? null;
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

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const files = lines(paths);
    const n = Number(topK);
    if (modelId === '') return setProblem('Pick a model first (train one in the Train view).');
    if (selected.size + files.length === 0)
      return setProblem('Pick library photos below, or give image file paths.');
    if (!Number.isInteger(n) || n < 1 || n > 100)
      return setProblem('Top-k is a whole number 1–100.');
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
      {models.error !== null && <ErrorLine error={models.error} />}
      {models.state === 'ready' && list.length === 0 ? (
        <div className="card empty-state" data-testid="predict-empty">
          <p>No trained model yet.</p>
          <button type="button" className="primary" onClick={() => navigate('train')}>
            Train a model
          </button>
        </div>
      ) : (
        <form className="card" onSubmit={submit} noValidate data-testid="predict-form">
          <div className="field-grid">
            <div className="field ml-wide">
              <label htmlFor="predict-model">Model</label>
              <select
                id="predict-model"
                value={modelId}
                disabled={busy}
                onChange={(e) => setPicked(e.target.value)}
              >
                <ModelOptions models={list} />
              </select>
            </div>
            <div className="field">
              <label htmlFor="predict-topk">Top-k cities (max {k})</label>
              <input
                id="predict-topk"
                type="text"
                inputMode="numeric"
                value={topK}
                disabled={busy}
                onChange={(e) => setTopK(e.target.value)}
              />
            </div>
            <div className="field">
              <label htmlFor="predict-tta">Test-time views</label>
              <select
                id="predict-tta"
                value={tta}
                disabled={busy}
                onChange={(e) => setTta(e.target.value === 'multiCrop' ? 'multiCrop' : 'center')}
              >
                <option value="center">Centre crop</option>
                <option value="multiCrop">10 crops (corners, centre, mirrored)</option>
              </select>
            </div>
          </div>
          <h3>Library photos</h3>
          <ImagePicker selected={selected} onChange={setSelected} disabled={busy} />
          <div className="field">
            <label htmlFor="predict-paths">
              Or image files outside the library (one path a line)
            </label>
            <textarea
              id="predict-paths"
              rows={2}
              value={paths}
              disabled={busy}
              onChange={(e) => setPaths(e.target.value)}
            />
          </div>
          {problem !== null && (
            <p className="form-error" role="alert">
              {problem}
            </p>
          )}
          <div className="button-row">
            <button type="submit" className="primary" disabled={busy} data-testid="predict-start">
              {busy
                ? 'Predicting…'
                : `Predict ${selected.size + lines(paths).length || ''} photo${selected.size + lines(paths).length === 1 ? '' : 's'}`}
            </button>
          </div>
        </form>
      )}
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
