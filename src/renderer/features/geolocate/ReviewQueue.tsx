import { useEffect, useRef, useState } from 'react';
import type {
  GeoBatchSummary,
  GeoItemFilter,
  GeoItemOrder,
} from '../../../shared/contract/geo-types';
import { useLibrary } from '../../app/library-state';
import { ErrorLine } from '../../ui/ErrorLine';
import { CityPicker } from './CityPicker';
import { GeoPhoto } from './GeoPhoto';
import { REVIEW_LEGEND, type ReviewAction } from './review-keys';
import { ReviewBar } from './ReviewBar';
import { ReviewButtons } from './ReviewButtons';
import { REVIEW_FILTERS } from './review-filters';
import { useUnsureThreshold } from './use-unsure-threshold';
import { useReviewKeys } from './use-review-keys';
import { useReviewQueue } from './use-review-queue';

/** One photo at a time, most (or least) sure first, reviewed with the keyboard or the buttons. */
export function ReviewQueue(props: { batch: GeoBatchSummary; onUpdated: () => void }) {
  const { batch } = props;
  const { cities } = useLibrary();
  const [filter, setFilter] = useState<GeoItemFilter>('pending');
  const [order, setOrder] = useState<GeoItemOrder>('confidence-desc');
  const [picking, setPicking] = useState(false);
  const q = useReviewQueue(batch.id, filter, order);
  const [threshold, changeThreshold] = useUnsureThreshold(batch, (unsureBelow) => {
    q.rethreshold(unsureBelow);
    props.onUpdated();
  });
  const root = useRef<HTMLElement>(null);
  const shownOnce = useRef(false);
  // The queue sits below the batch list: once its first photo is there, bring it into view.
  useEffect(() => {
    if (q.state !== 'ready' || shownOnce.current) return;
    shownOnce.current = true;
    root.current?.scrollIntoView({ block: 'nearest' });
  }, [q.state]);

  const onAction = (action: ReviewAction): void => {
    if (q.busy) return;
    switch (action) {
      case 'accept':
      case 'skip':
        return q.review(action);
      case 'correct':
        if (q.current !== null) setPicking(true);
        return;
      case 'undo':
        return q.undo();
      case 'next':
        return q.step(1);
      case 'prev':
        return q.step(-1);
    }
  };
  useReviewKeys(!picking && q.state === 'ready', onAction);

  const current = q.current;
  const { index, items, total } = q.queue;
  return (
    <section
      ref={root}
      className="geo-review"
      aria-label="Review queue"
      data-testid="geo-review"
      data-state={q.state}
      data-index={index}
      data-count={items.length}
    >
      <ReviewBar
        filter={filter}
        onFilter={setFilter}
        order={order}
        onOrder={setOrder}
        threshold={threshold}
        onThreshold={changeThreshold}
        index={index}
        shown={items.length}
        total={total}
      />
      {q.error !== null && <ErrorLine error={q.error} testId="geo-review-error" />}
      {q.state === 'ready' && items.length === 0 && (
        <p className="card muted" data-testid="geo-review-empty">
          No photo matches “{REVIEW_FILTERS.find((f) => f.value === filter)?.label}”. Try another
          filter.
        </p>
      )}
      {current === null && items.length > 0 && (
        <div className="card" data-testid="geo-review-end">
          <p>You reached the end of this list.</p>
          <div className="button-row">
            <button type="button" onClick={() => q.step(-items.length)}>
              Back to the first photo
            </button>
            <button type="button" onClick={q.reload}>
              Reload the list
            </button>
          </div>
        </div>
      )}
      {current !== null && (
        <GeoPhoto item={current} testId="geo-current">
          {picking ? (
            <CityPicker
              top={current.top.map((c) => c.city)}
              cities={cities.map((c) => c.name)}
              onCancel={() => setPicking(false)}
              onPick={(city) => {
                setPicking(false);
                q.review('correct', city);
              }}
            />
          ) : (
            <ReviewButtons
              predicted={current.predicted}
              busy={q.busy}
              onAction={onAction}
              onStep={q.step}
            />
          )}
        </GeoPhoto>
      )}
      <p className="small geo-last" aria-live="polite" data-testid="geo-last-action">
        {q.last ?? ''}
      </p>
      <dl className="geo-legend small" aria-label="Keyboard shortcuts" data-testid="geo-legend">
        {REVIEW_LEGEND.map((l) => (
          <div key={l.what}>
            <dt>
              {l.keys.map((k) => (
                <kbd key={k}>{k}</kbd>
              ))}
            </dt>
            <dd>{l.what}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
