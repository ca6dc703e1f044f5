import { useEffect, useMemo, useState } from 'react';
import type { CityWithCount } from '../../../shared/contract/library-types';
import { isTypingTarget, shortcutFor, shortcutIndex } from './shortcuts';
import { isTypeAheadKey, matchCities } from './type-ahead';

/**
 * Labels the selected images: pick a city and apply, press 1–9 / 0 for the first ten cities, or
 * type the start of a city's name and press Enter (Escape cancels, Backspace erases a letter);
 * Backspace with nothing typed clears the label. Shortcuts are ignored while typing in a field.
 */
export function Labeler(props: {
  cities: readonly CityWithCount[];
  selectedCount: number;
  busy: boolean;
  onLabel: (city: string | null) => void;
}) {
  const { cities, selectedCount, busy, onLabel } = props;
  const [city, setCity] = useState('');
  const [typed, setTyped] = useState('');
  const disabled = busy || selectedCount === 0;
  const names = useMemo(() => cities.map((c) => c.name), [cities]);
  const matches = useMemo(() => matchCities(typed, names), [typed, names]);

  // Nothing selected, nothing to type for.
  useEffect(() => {
    if (selectedCount === 0) setTyped('');
  }, [selectedCount]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.ctrlKey || event.metaKey || event.altKey || isTypingTarget(event.target)) return;
      if (selectedCount === 0 || busy) return;
      if (typed !== '') {
        // While a name is being typed these keys edit or settle it instead of their usual job.
        if (event.key === 'Escape') {
          event.preventDefault();
          setTyped('');
          return;
        }
        if (event.key === 'Backspace') {
          event.preventDefault();
          setTyped((t) => t.slice(0, -1));
          return;
        }
        if (event.key === 'Enter') {
          event.preventDefault();
          const first = matches[0];
          if (first !== undefined) {
            setTyped('');
            onLabel(first);
          }
          return;
        }
      }
      // A space only continues a name ("new y…"); on its own it selects a cell in the grid.
      if (isTypeAheadKey(event.key) && (event.key !== ' ' || typed !== '')) {
        event.preventDefault();
        setTyped((t) => t + event.key);
        return;
      }
      if (event.key === 'Backspace' || event.key === 'Delete') {
        event.preventDefault();
        onLabel(null);
        return;
      }
      const index = shortcutIndex(event.key);
      const target = index === null ? undefined : cities[index];
      if (target !== undefined) {
        event.preventDefault();
        setTyped('');
        onLabel(target.name);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [cities, selectedCount, busy, onLabel, typed, matches]);

  return (
    <section className="labeler card" aria-labelledby="labeler-title" data-testid="labeler">
      <h2 id="labeler-title">
        Label {selectedCount === 0 ? 'images' : `${selectedCount} selected`}
      </h2>
      <div className="labeler-row">
        <label className="visually-hidden" htmlFor="labeler-city">
          City
        </label>
        <select
          id="labeler-city"
          value={city}
          onChange={(e) => setCity(e.target.value)}
          disabled={disabled}
        >
          <option value="">Choose a city…</option>
          {cities.map((c) => (
            <option key={c.id} value={c.name}>
              {c.name}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="primary"
          disabled={disabled || city === ''}
          onClick={() => onLabel(city)}
        >
          Apply
        </button>
        <button type="button" disabled={disabled} onClick={() => onLabel(null)}>
          Clear label
        </button>
      </div>
      {typed !== '' && (
        <div className="type-ahead" data-testid="type-ahead" role="status">
          <kbd>{typed}</kbd>{' '}
          {matches.length === 0 ? (
            <span className="muted">no city matches</span>
          ) : (
            <>
              → <strong data-testid="type-ahead-match">{matches[0]}</strong>
              {matches.length > 1 && (
                <span className="muted">
                  {' '}
                  (+{matches.length - 1} more: {matches.slice(1, 4).join(', ')})
                </span>
              )}
              <span className="muted small"> · Enter applies, Esc cancels</span>
            </>
          )}
        </div>
      )}
      {cities.length > 0 && (
        <ul className="shortcut-legend" aria-label="Keyboard shortcuts">
          {cities.slice(0, 10).map((c, i) => (
            <li key={c.id}>
              <kbd>{shortcutFor(i)}</kbd> {c.name}
            </li>
          ))}
          <li>
            <kbd>⌫</kbd> clear
          </li>
          <li>
            <kbd>a–z</kbd> type a name
          </li>
        </ul>
      )}
    </section>
  );
}
