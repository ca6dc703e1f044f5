import { useState } from 'react';
import { useModels } from '../../ui/use-ml-lists';
import { ModelOptions } from '../../ui/ModelOptions';
import { NoModelYet } from '../../ui/ModelPicker';
import { ErrorLine } from '../../ui/ErrorLine';
import { LabelNextPanel } from './LabelNextPanel';
import { SuspectsPanel } from './SuspectsPanel';
import './labeling.css';

type Tab = 'next' | 'suspects';

/**
 * Label smarter: "Label next" asks about the unlabelled photos the model would learn most from,
 * retraining as you go; "Probably mislabelled" shows labelled photos out-of-fold heads doubt.
 */
export function LabelingView() {
  const models = useModels();
  const [picked, setPicked] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>('next');
  const list = models.value ?? [];
  const model = list.find((m) => m.id === picked) ?? list[0] ?? null;

  return (
    <div className="view label-view" data-testid="labeling-view">
      <header className="view-header">
        <h2>Label</h2>
        {model !== null && (
          <label className="field">
            <span>Model</span>
            <select
              value={model.id}
              onChange={(e) => setPicked(e.target.value)}
              data-testid="label-model"
            >
              <ModelOptions models={list} />
            </select>
          </label>
        )}
        <div className="button-row" role="tablist" aria-label="Queue">
          <button
            type="button"
            role="tab"
            aria-selected={tab === 'next'}
            className={tab === 'next' ? 'primary' : undefined}
            onClick={() => setTab('next')}
            data-testid="label-tab-next"
          >
            Label next
          </button>
          <button
            type="button"
            role="tab"
            aria-selected={tab === 'suspects'}
            className={tab === 'suspects' ? 'primary' : undefined}
            onClick={() => setTab('suspects')}
            data-testid="label-tab-suspects"
          >
            Probably mislabelled
          </button>
        </div>
      </header>
      {models.error !== null && <ErrorLine error={models.error} />}
      {models.state === 'ready' && model === null && (
        <NoModelYet
          className="card"
          message={
            <p>
              The queues rank photos with a trained model’s head on the cached features. Train one
              first.
            </p>
          }
        />
      )}
      {model !== null &&
        (tab === 'next' ? (
          <LabelNextPanel key={model.id} modelId={model.id} cities={model.classes} />
        ) : (
          <SuspectsPanel key={model.id} modelId={model.id} cities={model.classes} />
        ))}
    </div>
  );
}
