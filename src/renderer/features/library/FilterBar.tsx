import { useEffect, useState } from 'react';
import {
  CORRECTNESS,
  LABEL_SOURCES,
  SPLITS,
  type CityWithCount,
  type Correctness,
} from '../../../shared/contract/library-types';
import type { ImageFilters } from './filters';
import { SOURCE_LABELS } from './format';

const SEARCH_DELAY_MS = 250;

const parseLabeled = (v: string): boolean | null => (v === '' ? null : v === 'yes');
/** An empty percentage field is an open bound. */
const parsePct = (v: string): number | null => (v.trim() === '' ? null : Number(v));

type Answer = 'unknown' | 'city';
const ANSWER_CHOICES: readonly { value: Answer; label: string }[] = [
  // Short: the select is narrow. "Unknown": like none of the model's cities.
  { value: 'unknown', label: 'Unknown' },
  { value: 'city', label: 'A city' },
];
const answerOf = (unknown: boolean | null): Answer | null =>
  unknown === null ? null : unknown ? 'unknown' : 'city';

const CORRECTNESS_LABELS: Record<Correctness, string> = {
  correct: 'Predicted right',
  wrong: 'Predicted wrong',
};

/** One filter chosen from a list, or none ("any"): the empty option stands for null. */
function ChoiceFilter<T extends string>(props: {
  label: string;
  testId: string;
  any: string;
  value: T | null;
  choices: readonly { value: T; label: string }[];
  onChange: (value: T | null) => void;
}) {
  const { choices } = props;
  return (
    <label>
      <span>{props.label}</span>
      <select
        data-testid={props.testId}
        value={props.value ?? ''}
        onChange={(e) =>
          props.onChange(choices.find((c) => c.value === e.target.value)?.value ?? null)
        }
      >
        <option value="">{props.any}</option>
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </label>
  );
}

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
  const cityChoices = props.cities.map((c) => ({ value: c.name, label: c.name }));

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
      <ChoiceFilter
        label="City"
        testId="filter-city"
        any="All cities"
        value={filters.city}
        choices={cityChoices}
        onChange={(city) => onChange({ ...filters, city })}
      />
      <ChoiceFilter
        label="Split"
        testId="filter-split"
        any="Any split"
        value={filters.split}
        choices={SPLITS.map((s) => ({ value: s, label: s }))}
        onChange={(split) => onChange({ ...filters, split })}
      />
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
      <ChoiceFilter
        label="Label source"
        testId="filter-source"
        any="Any source"
        value={filters.labelSource}
        choices={LABEL_SOURCES.map((s) => ({ value: s, label: SOURCE_LABELS[s] }))}
        onChange={(labelSource) => onChange({ ...filters, labelSource })}
      />
      <ChoiceFilter
        label="Predicted"
        testId="filter-predicted"
        any="Any prediction"
        value={filters.predicted}
        choices={cityChoices}
        onChange={(predicted) => onChange({ ...filters, predicted })}
      />
      <ChoiceFilter
        label="Prediction vs label"
        testId="filter-correctness"
        any="Right or wrong"
        value={filters.correctness}
        choices={CORRECTNESS.map((c) => ({ value: c, label: CORRECTNESS_LABELS[c] }))}
        onChange={(correctness) => onChange({ ...filters, correctness })}
      />
      <ChoiceFilter
        label="Model's answer"
        testId="filter-unknown"
        any="City or unknown"
        value={answerOf(filters.unknown)}
        choices={ANSWER_CHOICES}
        onChange={(answer) =>
          onChange({ ...filters, unknown: answer === null ? null : answer === 'unknown' })
        }
      />
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
