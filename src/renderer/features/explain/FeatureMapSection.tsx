import { useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import {
  EMBED_METHODS,
  type EmbedMethod,
  type EmbedPoint,
  type ModelSummary,
} from '../../../shared/contract/ml-types';
import { mlMethods } from '../../../shared/contract/ml-methods';
import { numberParam, paramsShape } from '../../../shared/contract/param-info';
import { useStudio } from '../../app/studio-context';
import { pct } from '../../ui/format';
import { isActive } from '../../ui/job-state';
import { Problem } from '../../ui/form';
import { fieldRangeMessage, numberInRange } from '../../ui/number-field';
import { JobStatus } from '../../ui/JobStatus';
import { useJob } from '../../ui/use-job';
import { EmbedScatter, type DragMode } from './EmbedScatter';
import { accuracyOf, COLOUR_MODES, scatterTraces, type ColourMode } from './scatter-data';
import { SelectedPhotos } from './SelectedPhotos';
import { MethodRadios } from './MethodRadios';

const embedParams = paramsShape(mlMethods['embed.start'].params);
const EMBED_LIMITS = {
  sample: numberParam(embedParams.sample),
  seed: numberParam(embedParams.seed),
};

const METHOD_NAMES: Record<EmbedMethod, string> = { tsne: 't-SNE', umap: 'UMAP' };
type Hover = { point: EmbedPoint; x: number; y: number };

/** A 2-d map of the backbone's features for a sample of labelled photos (the paper's t-SNE). */
export function FeatureMapSection(props: {
  model: ModelSummary;
  onOpen: (imageId: number) => void;
}) {
  const { transport } = useStudio();
  const [method, setMethod] = useState<EmbedMethod>('tsne');
  const [sample, setSample] = useState('1000');
  const [seed, setSeed] = useState('1');
  const [problem, setProblem] = useState<string | null>(null);
  const [mode, setMode] = useState<ColourMode>('truth');
  const [dragmode, setDragmode] = useState<DragMode>('lasso');
  const [hover, setHover] = useState<Hover | null>(null);
  const [selected, setSelected] = useState<number[]>([]);
  const job = useJob('embed.start', () => setSelected([]));
  const busy = isActive(job.state.phase);
  const result = job.state.result?.modelId === props.model.id ? job.state.result : null;

  const byId = useMemo(
    () => new Map((result?.points ?? []).map((p) => [p.imageId, p] as const)),
    [result],
  );
  const traces = useMemo(
    () => (result === null ? [] : scatterTraces(result.points, result.classes, mode)),
    [result, mode],
  );

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const n = numberInRange(sample, EMBED_LIMITS.sample);
    const s = numberInRange(seed, EMBED_LIMITS.seed);
    if (n === null) return setProblem(fieldRangeMessage('Sample size', EMBED_LIMITS.sample));
    if (s === null) return setProblem(fieldRangeMessage('Seed', EMBED_LIMITS.seed));
    setProblem(null);
    setHover(null);
    void job.start({ modelId: props.model.id, method, sample: n, seed: s });
  };

  const right = result === null ? null : accuracyOf(result.points);
  return (
    <div className="explain-features" data-testid="explain-features">
      <form className="card" onSubmit={submit} noValidate data-testid="embed-form">
        <div className="explain-controls">
          <label>
            <span>Method</span>
            <select
              id="embed-method"
              value={method}
              disabled={busy}
              onChange={(e) => setMethod(e.target.value === 'umap' ? 'umap' : 'tsne')}
            >
              {EMBED_METHODS.map((m) => (
                <option key={m} value={m}>
                  {METHOD_NAMES[m]}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>Sample size</span>
            <input
              id="embed-sample"
              type="text"
              inputMode="numeric"
              value={sample}
              disabled={busy}
              onChange={(e) => setSample(e.target.value)}
            />
          </label>
          <label>
            <span>Seed</span>
            <input
              id="embed-seed"
              type="text"
              inputMode="numeric"
              value={seed}
              disabled={busy}
              onChange={(e) => setSeed(e.target.value)}
            />
          </label>
          <button type="submit" className="primary" disabled={busy} data-testid="embed-start">
            {busy ? 'Mapping…' : 'Make the map'}
          </button>
        </div>
        <Problem text={problem} />
        <p className="muted small">
          The same sample and seed give the same map (and come back from the library&apos;s cache).
        </p>
        <JobStatus
          state={job.state}
          label="Feature map"
          testId="embed-status"
          onCancel={job.cancel}
        />
      </form>
      {result !== null && (
        <section className="card" aria-labelledby="embed-title" data-testid="embed-result">
          <div className="ml-card-head">
            <h2 id="embed-title">
              {METHOD_NAMES[result.method]} of {result.points.length} photos{' '}
              <span className="muted small">
                seed {result.seed}
                {right !== null &&
                  ` · model right on ${pct(right.right / Math.max(1, right.total))}`}
                {result.cached ? ' · from the cache' : ''}
              </span>
            </h2>
          </div>
          <div className="explain-controls">
            <MethodRadios
              legend="Colour by"
              name="embed-colour"
              options={Object.keys(COLOUR_MODES) as ColourMode[]}
              labels={COLOUR_MODES}
              value={mode}
              onChange={setMode}
            />
            <label>
              <span>Drag to</span>
              <select
                value={dragmode}
                onChange={(e) => {
                  const v = e.target.value;
                  setDragmode(v === 'select' || v === 'zoom' || v === 'pan' ? v : 'lasso');
                }}
              >
                <option value="lasso">Lasso-select</option>
                <option value="select">Box-select</option>
                <option value="zoom">Zoom</option>
                <option value="pan">Pan</option>
              </select>
            </label>
          </div>
          <p className="muted small">Click a point to open its photo&apos;s heatmap.</p>
          <div className="explain-scatter-wrap">
            <EmbedScatter
              data={traces}
              dragmode={dragmode}
              handlers={{
                onHover: (id, x, y) => {
                  const point = id === null ? undefined : byId.get(id);
                  setHover(point === undefined ? null : { point, x, y });
                },
                onClick: props.onOpen,
                onSelect: setSelected,
              }}
            />
            {hover !== null && (
              <div
                className="explain-hover"
                style={{ left: hover.x + 14, top: hover.y + 14 }}
                data-testid="embed-hover"
                data-image-id={hover.point.imageId}
              >
                <img src={transport.assetUrl('thumb', hover.point.imageId)} alt="" />
                <span>
                  {hover.point.city} → {hover.point.predicted}
                </span>
              </div>
            )}
          </div>
          <SelectedPhotos
            points={selected.flatMap((id) => byId.get(id) ?? [])}
            onOpen={props.onOpen}
          />
          {result.errors.length > 0 && (
            <p className="muted small">
              {result.errors.length} photo{result.errors.length === 1 ? '' : 's'} could not be read.
            </p>
          )}
        </section>
      )}
    </div>
  );
}
