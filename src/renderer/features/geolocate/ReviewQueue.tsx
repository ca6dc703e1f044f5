import { useEffect, useRef, useState } from 'react';
import type {
  GeoBatchSummary,
  GeoItemFilter,
  GeoItemOrder,
} from '../../../shared/contract/geo-types';
import { useLibrary } from '../../app/library-state';
import { useNotify } from '../../app/notices';
import { useStudio } from '../../app/studio-context';
import { ErrorLine } from '../../ui/ErrorLine';
import { CityPicker } from './CityPicker';
import { GeoPhoto } from './GeoPhoto';
import { REVIEW_LEGEND, type ReviewAction } from './review-keys';
import { useReviewKeys } from './use-review-keys';
import { useReviewQueue } from './use-review-queue';

const FILTERS: readonly { value: GeoItemFilter; label: string }[] = [
  { value: 'unsure', label: 'Unsure only' },
  { value: 'pending', label: 'Pending' },
  { value: 'all', label: 'All photos' },
  { value: 'reviewed', label: 'Reviewed' },
  { value: 'gps', label: 'With GPS' },
  { value: 'unknown', label: 'Unknown (none of the cities)' },
];

/** A slider's changes are saved once it rests, not on every step of a drag. */
const SAVE_AFTER_MS = 400;

/** One photo at a time, most (or least) sure first, reviewed with the keyboard or the buttons. */
export function ReviewQueue(props: { batch: GeoBatchSummary; onUpdated: () => void }) {
  const { batch } = props;
  const { client } = useStudio();
  const { cities } = useLibrary();
  const notify = useNotify();
  const [filter, setFilter] = useState<GeoItemFilter>('pending');
  const [order, setOrder] = useState<GeoItemOrder>('confidence-desc');
  const [picking, setPicking] = useState(false);
  const [threshold, setThreshold] = useState(Math.round(batch.unsureBelow * 100));
  const q = useReviewQueue(batch.id, filter, order);
  const saveTimer = useRef<number | null>(null);
  const rethreshold = useRef(q.rethreshold);
  rethreshold.current = q.rethreshold;
  const root = useRef<HTMLElement>(null);
  const shownOnce = useRef(false);
  // The queue sits below the batch list: once its first photo is there, bring it into view.
  useEffect(() => {
    if (q.state !== 'ready' || shownOnce.current) return;
    shownOnce.current = true;
    root.current?.scrollIntoView({ block: 'nearest' });
  }, [q.state]);

  // Another door (or the list) may change the threshold: follow it unless a save is pending.
  useEffect(() => {
    if (saveTimer.current === null) setThreshold(Math.round(batch.unsureBelow * 100));
  }, [batch.unsureBelow]);
  useEffect(
    () => () => {
      if (saveTimer.current !== null) window.clearTimeout(saveTimer.current);
    },
    [],
  );

  const changeThreshold = (percent: number): void => {
    setThreshold(percent);
    if (saveTimer.current !== null) window.clearTimeout(saveTimer.current);
    saveTimer.current = window.setTimeout(() => {
      saveTimer.current = null;
      client.call('geo.update', { batchId: batch.id, unsureBelow: percent / 100 }).then(
        (updated) => {
          rethreshold.current(updated.unsureBelow);
          props.onUpdated();
        },
        (e: unknown) => notify.error('Could not change the threshold', e),
      );
    }, SAVE_AFTER_MS);
  };

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
      <div className="geo-review-bar">
        <label className="field">
          <span>Show</span>
          <select
            value={filter}
            onChange={(e) =>
              setFilter(FILTERS.find((f) => f.value === e.target.value)?.value ?? 'pending')
            }
            data-testid="geo-filter"
          >
            {FILTERS.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="small"
          aria-pressed={order === 'confidence-asc'}
          onClick={() =>
            setOrder(order === 'confidence-desc' ? 'confidence-asc' : 'confidence-desc')
          }
          data-testid="geo-order"
          data-order={order}
        >
          {order === 'confidence-desc' ? 'Most sure first' : 'Least sure first'}
        </button>
        <label className="field geo-threshold">
          <span>Unsure below {threshold}%</span>
          <input
            type="range"
            min={0}
            max={100}
            step={1}
            value={threshold}
            onChange={(e) => changeThreshold(Number(e.target.value))}
            data-testid="geo-threshold"
          />
        </label>
        <span className="muted small geo-position" data-testid="geo-position">
          {items.length === 0
            ? 'No photo'
            : index < items.length
              ? `Photo ${index + 1} of ${total}`
              : `End of the list (${total})`}
        </span>
      </div>
      {q.error !== null && <ErrorLine error={q.error} testId="geo-review-error" />}
      {q.state === 'ready' && items.length === 0 && (
        <p className="card muted" data-testid="geo-review-empty">
          No photo matches “{FILTERS.find((f) => f.value === filter)?.label}”. Try another filter.
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
            <div className="button-row geo-actions" role="group" aria-label="Review">
              <button
                type="button"
                className="primary"
                disabled={q.busy || current.predicted === null}
                onClick={() => onAction('accept')}
                aria-keyshortcuts="A Enter"
              >
                Accept {current.predicted ?? ''} <kbd>A</kbd>
              </button>
              <button
                type="button"
                disabled={q.busy}
                onClick={() => onAction('correct')}
                aria-keyshortcuts="C"
              >
                Correct… <kbd>C</kbd>
              </button>
              <button
                type="button"
                disabled={q.busy}
                onClick={() => onAction('skip')}
                aria-keyshortcuts="S"
              >
                Skip <kbd>S</kbd>
              </button>
              <button
                type="button"
                disabled={q.busy}
                onClick={() => onAction('undo')}
                aria-keyshortcuts="U Backspace"
              >
                Undo <kbd>U</kbd>
              </button>
              <button type="button" aria-label="Previous photo" onClick={() => q.step(-1)}>
                ←
              </button>
              <button type="button" aria-label="Next photo" onClick={() => q.step(1)}>
                →
              </button>
            </div>
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
