import { useId, useState } from 'react';
import { pickerCandidates, pickerKeyAction } from './review-keys';

/** How many matches the picker lists (the first nine have number keys). */
const SHOWN = 12;

/**
 * The correction picker `C` opens: type a city's name (type-ahead, accents and case ignored) and
 * press Enter, or press 1–9 for a numbered city; Escape backs out. With nothing typed the model's
 * top cities come first.
 */
export function CityPicker(props: {
  top: readonly string[];
  cities: readonly string[];
  onPick: (city: string) => void;
  onCancel: () => void;
}) {
  const [query, setQuery] = useState('');
  const [highlight, setHighlight] = useState(0);
  const listId = useId();
  const candidates = pickerCandidates(query, props.top, props.cities).slice(0, SHOWN);
  const active = Math.min(highlight, Math.max(0, candidates.length - 1));

  return (
    <div className="geo-picker" data-testid="geo-picker">
      <label htmlFor={`${listId}-input`}>Correct to which city?</label>
      <input
        id={`${listId}-input`}
        type="text"
        role="combobox"
        aria-expanded="true"
        aria-controls={listId}
        aria-activedescendant={candidates.length > 0 ? `${listId}-${active}` : undefined}
        autoComplete="off"
        spellCheck={false}
        // The picker opens from a key press: typing goes straight into it.
        autoFocus
        value={query}
        placeholder="Type a city, Enter to choose, Esc to cancel"
        data-testid="geo-picker-input"
        onChange={(e) => {
          setQuery(e.target.value);
          setHighlight(0);
        }}
        onKeyDown={(e) => {
          const action = pickerKeyAction(e.key, candidates.length, active);
          if (action === null) return;
          e.preventDefault();
          e.stopPropagation();
          if (action.type === 'cancel') props.onCancel();
          else if (action.type === 'move') setHighlight(action.index);
          else {
            const city = candidates[action.index];
            if (city !== undefined) props.onPick(city);
          }
        }}
      />
      <ul id={listId} role="listbox" className="plain-list geo-picker-list" aria-label="Cities">
        {candidates.map((city, i) => (
          <li
            key={city}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            className={i === active ? 'geo-picker-on' : undefined}
            data-testid="geo-picker-option"
            // A click picks too; mousedown keeps the input focused until then.
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => props.onPick(city)}
          >
            {i < 9 && <kbd>{i + 1}</kbd>} {city}
          </li>
        ))}
        {candidates.length === 0 && <li className="muted">No city matches “{query}”.</li>}
      </ul>
    </div>
  );
}
