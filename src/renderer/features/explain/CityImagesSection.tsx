import { useEffect, useMemo } from 'react';
import {
  MAXIMISE_SIZE,
  MAXIMISE_STEPS,
  type MaximiseImage,
  type ModelSummary,
} from '../../../shared/contract/ml-types';
import { useRevisionKey } from '../../app/library-state';
import { useStudio } from '../../app/studio-context';
import { useLoad } from '../../app/use-load';
import { pct } from '../../ui/format';
import { isActive } from '../../ui/job-state';
import { ErrorLine } from '../../ui/ErrorLine';
import { JobStatus } from '../../ui/JobStatus';
import { useJob } from '../../ui/use-job';

/** The images shown: the default settings (seed 1), one per city, as the job stores them. */
const SHOWN = { steps: MAXIMISE_STEPS, seed: 1, size: MAXIMISE_SIZE } as const;

function isShown(image: MaximiseImage): boolean {
  return image.steps === SHOWN.steps && image.seed === SHOWN.seed && image.size === SHOWN.size;
}

/**
 * "What does the model think London looks like?": for each city, an image grown by gradient
 * ascent from noise to raise the city's probability (the paper's section 6.3). Computed in the ML
 * host (minutes per city without native TensorFlow), cached in the model's folder, drawn here from
 * data: URLs (the CSP allows data: images).
 */
export function CityImagesSection(props: { model: ModelSummary }) {
  const { client } = useStudio();
  const { model } = props;
  // A city drawn anywhere (this screen, another window, the CLI) says 'models' changed.
  const revision = useRevisionKey('models');
  const cached = useLoad(
    () => client.call('maximise.list', { modelId: model.id }),
    `maximise:${model.id}:${revision}`,
  );
  const job = useJob('maximise.start');
  const phase = job.state.phase;
  const busy = isActive(phase);
  // Done, failed or cancelled, the cities finished so far are in the cache: list them again.
  useEffect(() => {
    // (reload is a stable callback, so the phase alone decides.)
    if (phase === 'done' || phase === 'failed' || phase === 'cancelled') cached.reload();
  }, [phase]);
  const byCity = useMemo(() => {
    const map = new Map<string, MaximiseImage>();
    for (const image of cached.value ?? []) if (isShown(image)) map.set(image.city, image);
    return map;
  }, [cached.value]);
  const missing = model.classes.filter((city) => !byCity.has(city));

  const draw = (city: string | null): void => {
    void job.start({ modelId: model.id, city, ...SHOWN });
  };

  return (
    <div className="explain-cities" data-testid="explain-cities">
      <section className="card" aria-labelledby="cities-title">
        <div className="ml-card-head">
          <h2 id="cities-title">City images</h2>
        </div>
        <p className="muted small">
          What the model thinks each city looks like: an image grown from noise by gradient ascent
          until the model is sure of the city ({SHOWN.steps} steps at {SHOWN.size} px, with jitter
          and blur so it is not pure noise). Expect textures and colours the model keys on, not a
          photo. Without native TensorFlow each city takes a minute or two.
        </p>
        {cached.error !== null && <ErrorLine error={cached.error} />}
        <div className="explain-controls">
          <button
            type="button"
            className="primary"
            disabled={busy || missing.length === 0}
            // Cities already drawn come back from the cache at once: ask for all of them.
            onClick={() => draw(null)}
            data-testid="cities-start"
          >
            {busy
              ? 'Drawing…'
              : missing.length === 0
                ? 'Every city is drawn'
                : `Draw ${missing.length} ${missing.length === 1 ? 'city' : 'cities'}`}
          </button>
        </div>
        <JobStatus
          state={job.state}
          label="City images"
          testId="cities-status"
          onCancel={job.cancel}
        />
      </section>
      <ul className="explain-city-grid" data-testid="cities-grid">
        {model.classes.map((city) => {
          const image = byCity.get(city);
          return (
            <li key={city} className="card explain-city" data-testid="city-image">
              <h3>{city}</h3>
              {image === undefined ? (
                <div className="explain-city-empty">
                  <span className="muted small">Not drawn yet</span>
                  <button type="button" disabled={busy} onClick={() => draw(city)}>
                    Draw {city}
                  </button>
                </div>
              ) : (
                <>
                  <img
                    src={image.dataUrl}
                    alt={`What the model sees as ${city}`}
                    width={224}
                    height={224}
                  />
                  <p className="small">
                    {city} {pct(image.probability)}{' '}
                    <span className="muted">(from {pct(image.startProbability)} on the noise)</span>
                  </p>
                </>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
