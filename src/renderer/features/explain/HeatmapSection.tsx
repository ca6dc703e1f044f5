import { useEffect, useState } from 'react';
import type { ModelSummary } from '../../../shared/contract/ml-types';
import { useStudio } from '../../app/studio-context';
import { useLoad } from '../../app/use-load';
import { JobStatus } from '../../ui/JobStatus';
import { CompareMethods } from './CompareMethods';
import { HeatmapCanvas } from './HeatmapCanvas';
import { HeatmapControls, type HeatSettings } from './HeatmapControls';
import { HeatmapSide } from './HeatmapSide';
import { PhotoPicker } from './PhotoPicker';
import { targetCity, topCities } from './targets';
import { answerTo, useExplain, type ExplainRequest } from './use-explain';
import { usePngExport } from './use-png-export';

const FIGURE_SIZE = 384;
const FIRST_SETTINGS: HeatSettings = { method: 'occlusion', choice: 'predicted', opacity: 0.7 };

/** Which parts of one photo make the model say a city: a heatmap over the photo. */
export function HeatmapSection(props: {
  model: ModelSummary;
  imageId: number | null;
  onPick: (id: number) => void;
}) {
  const { client, transport } = useStudio();
  const { model, imageId } = props;
  const [settings, setSettings] = useState<HeatSettings>(FIRST_SETTINGS);
  const { method, choice, opacity } = settings;
  const [compare, setCompare] = useState(false);
  const png = usePngExport();

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

  const exportPng = (): void => {
    if (result === null || imageId === null) return;
    png.start(
      transport.assetUrl('norm', imageId),
      result,
      opacity,
      photo?.path ?? `photo-${imageId}`,
    );
  };

  const labelled = photo?.city ?? null;
  return (
    <div className="explain-heatmap" data-testid="explain-heatmap">
      <PhotoPicker selected={imageId} onPick={props.onPick} />
      <div className="card explain-main">
        <HeatmapControls
          model={model}
          labelled={labelled}
          settings={settings}
          onChange={(patch) => setSettings((s) => ({ ...s, ...patch }))}
        />
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
              <HeatmapSide
                result={result}
                compare={compare}
                onCompare={() => setCompare((c) => !c)}
                png={png}
                onExport={exportPng}
              />
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
