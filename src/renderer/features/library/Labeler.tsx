import { useEffect, useState } from 'react';
import type { CityWithCount } from '../../../shared/contract/library-types';
import { isTypingTarget, shortcutFor, shortcutIndex } from './shortcuts';

/**
 * Labels the selected images: pick a city and apply, or press 1–9 / 0 for the first ten cities and
 * Backspace to clear. Shortcuts are ignored while typing in a field.
 */
export function Labeler(props: {
  cities: readonly CityWithCount[];
  selectedCount: number;
  busy: boolean;
  onLabel: (city: string | null) => void;
}) {
  const { cities, selectedCount, busy, onLabel } = props;
  const [city, setCity] = useState('');
  const disabled = busy || selectedCount === 0;

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.ctrlKey || event.metaKey || event.altKey || isTypingTarget(event.target)) return;
      if (selectedCount === 0 || busy) return;
      if (event.key === 'Backspace' || event.key === 'Delete') {
        event.preventDefault();
        onLabel(null);
        return;
      }
      const index = shortcutIndex(event.key);
      const target = index === null ? undefined : cities[index];
      if (target !== undefined) {
        event.preventDefault();
        onLabel(target.name);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [cities, selectedCount, busy, onLabel]);

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
        </ul>
      )}
    </section>
  );
}
