import { useEffect, useRef, useState } from 'react';
import { useNotify } from '../../app/notices';
import { hashParam } from '../../ui/nav';
import { BatchList, type BatchPanelTab } from './BatchList';
import { ExportPanel } from './ExportPanel';
import { ReviewQueue } from './ReviewQueue';
import { StartBatchForm } from './StartBatchForm';
import { useGeoBatches } from './use-geo-batches';
import '../../ui/ml.css';
import '../predict/predict.css';
import './geolocate.css';

const batchParam = (): number | null => {
  const n = Number(hashParam('batch'));
  return Number.isInteger(n) && n > 0 ? n : null;
};

/**
 * Geolocating a photo library: start a batch over folders, follow it, review its photos one by one
 * with the keyboard, and write the places back.
 */
export function GeolocateView() {
  const batches = useGeoBatches();
  const notify = useNotify();
  const [open, setOpen] = useState<{ id: number; tab: BatchPanelTab } | null>(() => {
    const id = batchParam();
    return id === null ? null : { id, tab: 'review' };
  });
  const batch = batches.list.value?.find((b) => b.id === open?.id) ?? null;
  const heading = useRef<HTMLHeadingElement>(null);
  const openKey = open === null ? '' : `${open.id}:${open.tab}`;
  const shown = batch !== null;
  // Opening a batch's review or export moves there: the panel sits below the list.
  useEffect(() => {
    if (openKey === '' || !shown) return;
    heading.current?.scrollIntoView({ block: 'start' });
    heading.current?.focus({ preventScroll: true });
  }, [openKey, shown]);

  return (
    <section className="view geo-view" aria-labelledby="geo-title">
      <header className="view-header">
        <h1 id="geo-title">Geolocate</h1>
        <p className="muted">
          Place a whole folder of photos with a trained model, then review the guesses: accepted and
          corrected cities become the photos’ labels. Photos that carry GPS measure the model.
        </p>
      </header>
      <StartBatchForm
        onStarted={(created) => {
          batches.follow(created.jobId);
          batches.reload();
          notify.info('Batch started', `${created.name}: importing, then predicting.`);
        }}
      />
      <BatchList
        batches={batches}
        selected={open?.id ?? null}
        onOpen={(id, tab) => setOpen({ id, tab })}
        onRemoved={(id) => setOpen((o) => (o?.id === id ? null : o))}
      />
      {batch !== null && open !== null && (
        <section className="card geo-panel" aria-labelledby="geo-panel-title">
          <header className="geo-panel-head">
            <h2 id="geo-panel-title" ref={heading} tabIndex={-1}>
              {batch.name}
            </h2>
            <div className="geo-tabs" role="tablist" aria-label="Batch">
              {(['review', 'export'] as const).map((tab) => (
                <button
                  key={tab}
                  type="button"
                  role="tab"
                  aria-selected={open.tab === tab}
                  className={open.tab === tab ? 'geo-tab geo-tab-on' : 'geo-tab'}
                  onClick={() => setOpen({ id: batch.id, tab })}
                  data-testid={`geo-tab-${tab}`}
                >
                  {tab === 'review' ? 'Review' : 'Export'}
                </button>
              ))}
            </div>
            <button
              type="button"
              className="icon-button"
              aria-label="Close the batch"
              onClick={() => setOpen(null)}
            >
              ×
            </button>
          </header>
          <div role="tabpanel">
            {open.tab === 'review' ? (
              <ReviewQueue key={batch.id} batch={batch} onUpdated={batches.reload} />
            ) : (
              <ExportPanel key={batch.id} batch={batch} />
            )}
          </div>
        </section>
      )}
    </section>
  );
}
