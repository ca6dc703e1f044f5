// The review queue's keyboard: what each key means while a photo is shown, and inside the city
// picker that `C` opens. Pure, so the mapping is unit-tested and the screen only applies it.
import { matchCities } from '../library/type-ahead';

export type ReviewAction = 'accept' | 'correct' | 'skip' | 'undo' | 'next' | 'prev';

/** The legend shown under the photo, in this order. */
export const REVIEW_LEGEND: readonly { keys: readonly string[]; what: string }[] = [
  { keys: ['A', 'Enter'], what: 'accept the model’s city' },
  { keys: ['C'], what: 'correct: type a city, Enter (or 1–9)' },
  { keys: ['S'], what: 'skip' },
  { keys: ['U', 'Backspace'], what: 'undo the last review' },
  { keys: ['←', '→'], what: 'previous / next photo' },
];

/** What a key press means while a photo is shown, or null when the key is not ours. */
export function reviewKeyAction(key: string): ReviewAction | null {
  switch (key) {
    case 'a':
    case 'A':
    case 'Enter':
      return 'accept';
    case 'c':
    case 'C':
      return 'correct';
    case 's':
    case 'S':
      return 'skip';
    case 'u':
    case 'U':
    case 'Backspace':
      return 'undo';
    case 'ArrowRight':
    case 'ArrowDown':
      return 'next';
    case 'ArrowLeft':
    case 'ArrowUp':
      return 'prev';
    default:
      return null;
  }
}

/**
 * The cities the picker offers: with nothing typed, the model's top cities first (most likely
 * first), then every other library city in library order; with text, the type-ahead matches of the
 * same list, so a top city still wins a tie.
 */
export function pickerCandidates(
  query: string,
  top: readonly string[],
  cities: readonly string[],
): string[] {
  const seen = new Set<string>();
  const all: string[] = [];
  for (const name of [...top, ...cities]) {
    if (seen.has(name)) continue;
    seen.add(name);
    all.push(name);
  }
  return query.trim() === '' ? all : matchCities(query, all);
}

export type PickerKey =
  { type: 'pick'; index: number } | { type: 'move'; index: number } | { type: 'cancel' };

/**
 * A key inside the picker's text field: Enter takes the highlighted city, 1–9 the numbered one,
 * arrows move the highlight (wrapping), Escape backs out. Letters are left to the field.
 */
export function pickerKeyAction(key: string, count: number, highlight: number): PickerKey | null {
  if (key === 'Escape') return { type: 'cancel' };
  if (count === 0) return null;
  if (key === 'Enter') return { type: 'pick', index: Math.min(Math.max(highlight, 0), count - 1) };
  if (/^[1-9]$/.test(key)) {
    const index = Number(key) - 1;
    return index < count ? { type: 'pick', index } : null;
  }
  if (key === 'ArrowDown') return { type: 'move', index: (highlight + 1) % count };
  if (key === 'ArrowUp') return { type: 'move', index: (highlight - 1 + count) % count };
  return null;
}
