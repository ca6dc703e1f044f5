import { useEffect, useState } from 'react';
import { ErrorLine } from '../../ui/ErrorLine';
import { NoModelYet } from '../../ui/ModelPicker';
import { useModels } from '../../ui/use-ml-lists';
import { readExplainParams, type ExplainTab } from './explain-params';
import { CityImagesSection } from './CityImagesSection';
import { FeatureMapSection } from './FeatureMapSection';
import { HeatmapSection } from './HeatmapSection';
import { ModelOptions } from '../../ui/ModelOptions';
import '../../ui/ml.css';
import './explain.css';

const TABS: { id: ExplainTab; label: string }[] = [
  { id: 'heatmap', label: 'Heatmap' },
  { id: 'features', label: 'Feature map' },
  { id: 'cities', label: 'City images' },
];

/** Why the model says a city: heatmaps over one photo, and a map of how it sees many photos. */
export function ExplainView() {
  const models = useModels();
  const list = models.value ?? [];
  const [params] = useState(readExplainParams);
  const [picked, setPicked] = useState<string | null>(params.model);
  const [imageId, setImageId] = useState<number | null>(params.image);
  const [tab, setTab] = useState<ExplainTab>(params.tab ?? 'heatmap');
  // Models are listed newest first: the newest is the default.
  const model = list.find((m) => m.id === picked) ?? list[0] ?? null;

  // A link to this view while it is open changes only the hash's parameters, not the route.
  useEffect(() => {
    const onHash = (): void => {
      const next = readExplainParams();
      if (next.model !== null) setPicked(next.model);
      if (next.image !== null) setImageId(next.image);
      if (next.tab !== null || next.image !== null) setTab(next.tab ?? 'heatmap');
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const openPhoto = (id: number): void => {
    setImageId(id);
    setTab('heatmap');
  };

  return (
    <section className="view ml-view explain-view" aria-labelledby="explain-title">
      <header className="view-header">
        <h1 id="explain-title">Explain</h1>
        <p className="muted">
          Which parts of a photo make the model say a city, and which photos it finds alike.
        </p>
      </header>
      {models.error !== null && <ErrorLine error={models.error} />}
      {models.state === 'ready' && model === null ? (
        <NoModelYet testId="explain-empty">
          <p className="muted">
            Once one is trained, Explain shows heatmaps over a photo (which parts make the model say
            a city) and a t-SNE map of its features, where photos it finds alike sit together.
          </p>
        </NoModelYet>
      ) : (
        model !== null && (
          <>
            <div className="explain-bar">
              <label>
                <span>Model</span>
                <select
                  id="explain-model"
                  value={model.id}
                  onChange={(e) => setPicked(e.target.value)}
                  data-testid="explain-model"
                >
                  <ModelOptions models={list} />
                </select>
              </label>
              <div className="explain-tabs" role="tablist" aria-label="Explain">
                {TABS.map((t) => (
                  <button
                    key={t.id}
                    type="button"
                    role="tab"
                    id={`explain-tab-${t.id}`}
                    aria-selected={tab === t.id}
                    aria-controls={`explain-panel-${t.id}`}
                    className={`explain-tab${tab === t.id ? ' explain-tab-on' : ''}`}
                    onClick={() => setTab(t.id)}
                  >
                    {t.label}
                  </button>
                ))}
              </div>
            </div>
            {/* Both stay mounted so a finished map survives a look at a heatmap and back. */}
            <div
              role="tabpanel"
              id="explain-panel-heatmap"
              aria-labelledby="explain-tab-heatmap"
              hidden={tab !== 'heatmap'}
            >
              <HeatmapSection model={model} imageId={imageId} onPick={setImageId} />
            </div>
            <div
              role="tabpanel"
              id="explain-panel-features"
              aria-labelledby="explain-tab-features"
              hidden={tab !== 'features'}
            >
              <FeatureMapSection model={model} onOpen={openPhoto} />
            </div>
            <div
              role="tabpanel"
              id="explain-panel-cities"
              aria-labelledby="explain-tab-cities"
              hidden={tab !== 'cities'}
            >
              <CityImagesSection model={model} />
            </div>
          </>
        )
      )}
    </section>
  );
}
