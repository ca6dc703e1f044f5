import { useEffect, useRef, useState } from 'react';
import {
  EXPLAIN_METHODS,
  type ExplainMethod,
  type ModelSummary,
} from '../../../shared/contract/ml-types';
import { errorData } from '../../app/errors';
import { useStudio } from '../../app/studio-context';
import { useLoad } from '../../app/use-load';
import { JobStatus } from '../../ui/JobStatus';
import { CompareMethods } from './CompareMethods';
import { composePng } from './export-png';
import { HeatLegend } from './HeatLegend';
import { HeatmapCanvas } from './HeatmapCanvas';
import { METHOD_LABELS } from './legend';
import { PhotoPicker } from './PhotoPicker';
import { exportFileName, targetCity, topCities, type TargetChoice } from './targets';
import { TopCities } from './TopCities';
import { answerTo, useExplain, type ExplainRequest } from './use-explain';
import { MethodRadios } from './MethodRadios';

const FIGURE_SIZE = 384;

type Exported = { url: string; name: string };

/** Which parts of one photo make the model say a city: a heatmap over the photo. */
export function HeatmapSection(props: {
  model: ModelSummary;
  imageId: number | null;
  onPick: (id: number) => void;
}) {
  const { client, transport } = useStudio();
  const { model, imageId } = props;
  const [method, setMethod] = useState<ExplainMethod>('occlusion');
  const [choice, setChoice] = useState<TargetChoice>('predicted');
  const [opacity, setOpacity] = useState(0.7);
  const [compare, setCompare] = useState(false);
  const [exported, setExported] = useState<Exported | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const link = useRef<HTMLAnchorElement>(null);

  const detail = useLoad(
    () => (imageId === null ? Promise.resolve(null) : client.call('images.get', { id: imageId })),
    String(imageId),
  );
  const photo = detail.value !== null && detail.value.id === imageId ? detail.value : null;
  // The model's top city for this photo, once any answer told it: later questions about "the
  // prediction" then name it, and the library can answer them from its cache.
  const [top, setTop] = useState<{ key: string; city: string } | null>(null);
  const photoKey = `${model.id}:${String(imageId)}`;
  const predicted = top?.key === photoKey ? top.city : null;
  // The true city is known only once the photo's facts arrive; asking before would explain the
  // prediction first and the label a moment later.
  const request: ExplainRequest | null =
    imageId === null || (choice === 'true' && photo === null)
      ? null
      : {
          modelId: model.id,
          imageId,
          method,
          city:
            choice === 'predicted'
              ? predicted
              : targetCity(choice, photo?.city ?? null, model.classes),
        };
  const job = useExplain(request);
  const result = answerTo(job.state.result, request);
  const answered = job.state.result;

  useEffect(() => {
    if (answered === null || `${answered.modelId}:${String(answered.imageId)}` !== photoKey) return;
    const city = topCities(answered.probabilities, answered.classes, 1)[0]?.city;
    if (city !== undefined) setTop({ key: photoKey, city });
  }, [answered, photoKey]);

  // The download starts as soon as the PNG is ready; the link stays for a second try.
  useEffect(() => {
    if (exported !== null) link.current?.click();
    return () => {
      if (exported !== null) URL.revokeObjectURL(exported.url);
    };
  }, [exported]);

  const exportPng = (): void => {
    if (result === null || imageId === null) return;
    setProblem(null);
    composePng(transport.assetUrl('norm', imageId), result, opacity).then(
      (blob) =>
        setExported({
          url: URL.createObjectURL(blob),
          name: exportFileName(photo?.path ?? `photo-${imageId}`, result.method, result.city),
        }),
      (error: unknown) => setProblem(`Could not export: ${errorData(error).message}`),
    );
  };

  const labelled = photo?.city ?? null;
  return (
    <div className="explain-heatmap" data-testid="explain-heatmap">
      <PhotoPicker selected={imageId} onPick={props.onPick} />
      <div className="card explain-main">
        <div className="explain-controls">
          <label>
            <span>Explain city</span>
            <select
              id="explain-target"
              value={choice}
              onChange={(e) => setChoice(e.target.value)}
              data-testid="explain-target"
            >
              <option value="predicted">The model&apos;s prediction</option>
              <option
                value="true"
                disabled={labelled === null || !model.classes.includes(labelled)}
              >
                The photo&apos;s true city{labelled !== null ? ` (${labelled})` : ''}
              </option>
              {model.classes.map((c) => (
                <option key={c} value={`city:${c}`}>
                  {c}
                </option>
              ))}
            </select>
          </label>
          <MethodRadios
            legend="Method"
            name="explain-method"
            options={EXPLAIN_METHODS}
            labels={METHOD_LABELS}
            value={method}
            onChange={setMethod}
          />
          <label>
            <span>Overlay opacity {Math.round(opacity * 100)}%</span>
            <input
              type="range"
              min={0}
              max={1}
              step={0.05}
              value={opacity}
              onChange={(e) => setOpacity(Number(e.target.value))}
              data-testid="explain-opacity"
            />
          </label>
        </div>
        {imageId === null ? (
          <p className="muted explain-hint" data-testid="explain-no-photo">
            Pick a photo on the left to see which parts of it make the model say a city.
          </p>
        ) : (
          <div className="explain-result">
            <div className="explain-figure-col">
              {result !== null ? (
                <HeatmapCanvas
                  imageId={imageId}
                  result={result}
                  opacity={opacity}
                  size={FIGURE_SIZE}
                  testId="heat-canvas"
                />
              ) : (
                <div className="explain-figure explain-figure-wait" data-size={FIGURE_SIZE}>
                  <img
                    src={transport.assetUrl('norm', imageId)}
                    alt="The photo as the model sees it"
                    width={FIGURE_SIZE}
                    height={FIGURE_SIZE}
                  />
                </div>
              )}
              <JobStatus
                state={job.state}
                label="Heatmap"
                testId="explain-status"
                onCancel={job.cancel}
              />
              <p className="muted small">
                {photo?.path ?? ''}
                {result?.cached === true ? ' · from the library’s cache' : ''}
              </p>
            </div>
            {result !== null && (
              <div className="explain-side">
                <HeatLegend result={result} />
                <TopCities result={result} />
                <div className="button-row">
                  <button
                    type="button"
                    aria-pressed={compare}
                    onClick={() => setCompare((c) => !c)}
                    data-testid="explain-compare-toggle"
                  >
                    {compare ? 'Hide comparison' : 'Compare methods'}
                  </button>
                  <button type="button" onClick={exportPng} data-testid="explain-export">
                    Export PNG
                  </button>
                </div>
                {problem !== null && (
                  <p className="form-error" role="alert">
                    {problem}
                  </p>
                )}
                {exported !== null && (
                  <p className="small">
                    <a
                      ref={link}
                      href={exported.url}
                      download={exported.name}
                      data-testid="explain-export-link"
                    >
                      {exported.name}
                    </a>
                  </p>
                )}
              </div>
            )}
          </div>
        )}
      </div>
      {compare && result !== null && imageId !== null && (
        <CompareMethods modelId={model.id} imageId={imageId} city={result.city} opacity={opacity} />
      )}
    </div>
  );
}
