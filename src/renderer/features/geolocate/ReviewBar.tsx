import type { GeoItemFilter, GeoItemOrder } from '../../../shared/contract/geo-types';
import { Slider } from '../../ui/Slider';
import { REVIEW_FILTERS } from './review-filters';

/** Above the queue: which photos, in which order, where "unsure" begins, and where we are. */
export function ReviewBar(props: {
  filter: GeoItemFilter;
  onFilter: (filter: GeoItemFilter) => void;
  order: GeoItemOrder;
  onOrder: (order: GeoItemOrder) => void;
  threshold: number;
  onThreshold: (percent: number) => void;
  index: number;
  shown: number;
  total: number;
}) {
  const { order, index, shown, total } = props;
  return (
    <div className="geo-review-bar">
      <label className="field">
        <span>Show</span>
        <select
          value={props.filter}
          onChange={(e) =>
            props.onFilter(
              REVIEW_FILTERS.find((f) => f.value === e.target.value)?.value ?? 'pending',
            )
          }
          data-testid="geo-filter"
        >
          {REVIEW_FILTERS.map((f) => (
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
          props.onOrder(order === 'confidence-desc' ? 'confidence-asc' : 'confidence-desc')
        }
        data-testid="geo-order"
        data-order={order}
      >
        {order === 'confidence-desc' ? 'Most sure first' : 'Least sure first'}
      </button>
      <Slider
        className="field geo-threshold"
        label={`Unsure below ${props.threshold}%`}
        min={0}
        max={100}
        step={1}
        value={props.threshold}
        onChange={props.onThreshold}
        testId="geo-threshold"
      />
      <span className="muted small geo-position" data-testid="geo-position">
        {shown === 0
          ? 'No photo'
          : index < shown
            ? `Photo ${index + 1} of ${total}`
            : `End of the list (${total})`}
      </span>
    </div>
  );
}
