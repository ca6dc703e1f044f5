import { useEffect, useState } from 'react';
import {
  CORRECTNESS,
  LABEL_SOURCES,
  SPLITS,
  type CityWithCount,
  type Correctness,
  type LabelSource,
  type Split,
} from '../../../shared/contract/library-types';
import type { ImageFilters } from './filters';
import { SOURCE_LABELS } from './format';

const SEARCH_DELAY_MS = 250;

const parseLabeled = (v: string): boolean | null => (v === '' ? null : v === 'yes');
/** An empty percentage field is an open bound. */
const parsePct = (v: string): number | null => (v.trim() === '' ? null : Number(v));

const CORRECTNESS_LABELS: Record<Correctness, string> = {
  correct: 'Predicted right',
  wrong: 'Predicted wrong',
};

export function FilterBar(props: {
  filters: ImageFilters;
  cities: readonly CityWithCount[];
  onChange: (filters: ImageFilters) => void;
}) {
  const { filters, onChange } = props;
  const [search, setSearch] = useState(filters.search);

  // Typing waits for a pause before querying, so each keystroke does not hit the database.
  useEffect(() => {
    if (search === filters.search) return;
    const timer = setTimeout(() => onChange({ ...filters, search }), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [search, filters, onChange]);

  return (
    <form
      className="filter-bar"
      role="search"
      aria-label="Filter images"
      onSubmit={(e) => {
        e.preventDefault();
        onChange({ ...filters, search });
      }}
    >
      <label>
        <span>City</span>
        <select
          data-testid="filter-city"
          value={filters.city ?? ''}
          onChange={(e) =>
            onChange({ ...filters, city: e.target.value === '' ? null : e.target.value })
          }
        >
          <option value="">All cities</option>
          {props.cities.map((c) => (
            <option key={c.id} value={c.name}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Split</span>
        <select
          data-testid="filter-split"
          value={filters.split ?? ''}
          onChange={(e) =>
            onChange({
              ...filters,
              split: e.target.value === '' ? null : (e.target.value as Split),
            })
          }
        >
          <option value="">Any split</option>
          {SPLITS.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Label</span>
        <select
          data-testid="filter-labeled"
          value={filters.labeled === null ? '' : filters.labeled ? 'yes' : 'no'}
          onChange={(e) => onChange({ ...filters, labeled: parseLabeled(e.target.value) })}
        >
          <option value="">Labeled or not</option>
          <option value="yes">Labeled</option>
          <option value="no">Unlabeled</option>
        </select>
      </label>
      <label>
        <span>Label source</span>
        <select
          data-testid="filter-source"
          value={filters.labelSource ?? ''}
          onChange={(e) =>
            onChange({
              ...filters,
              labelSource: e.target.value === '' ? null : (e.target.value as LabelSource),
            })
          }
        >
          <option value="">Any source</option>
          {LABEL_SOURCES.map((s) => (
            <option key={s} value={s}>
              {SOURCE_LABELS[s]}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Predicted</span>
        <select
          data-testid="filter-predicted"
          value={filters.predicted ?? ''}
          onChange={(e) =>
            onChange({ ...filters, predicted: e.target.value === '' ? null : e.target.value })
          }
        >
          <option value="">Any prediction</option>
          {props.cities.map((c) => (
            <option key={c.id} value={c.name}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Prediction vs label</span>
        <select
          data-testid="filter-correctness"
          value={filters.correctness ?? ''}
          onChange={(e) =>
            onChange({
              ...filters,
              correctness: e.target.value === '' ? null : (e.target.value as Correctness),
            })
          }
        >
          <option value="">Right or wrong</option>
          {CORRECTNESS.map((c) => (
            <option key={c} value={c}>
              {CORRECTNESS_LABELS[c]}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="filter-confidence">
        <legend>Confidence %</legend>
        <input
          type="number"
          aria-label="Minimum confidence %"
          data-testid="filter-min-confidence"
          min={0}
          max={100}
          step={5}
          placeholder="0"
          value={filters.minConfidencePct ?? ''}
          onChange={(e) => onChange({ ...filters, minConfidencePct: parsePct(e.target.value) })}
        />
        <span aria-hidden="true">–</span>
        <input
          type="number"
          aria-label="Maximum confidence %"
          data-testid="filter-max-confidence"
          min={0}
          max={100}
          step={5}
          placeholder="100"
          value={filters.maxConfidencePct ?? ''}
          onChange={(e) => onChange({ ...filters, maxConfidencePct: parsePct(e.target.value) })}
        />
      </fieldset>
      <label className="filter-search">
        <span>Path contains</span>
        <input
          type="search"
          data-testid="filter-search"
          placeholder="e.g. paris/ or IMG_12"
          value={search}
          maxLength={500}
          onChange={(e) => setSearch(e.target.value)}
        />
      </label>
    </form>
  );
}
