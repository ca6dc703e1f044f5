// The labeling queues' keyboard, pure so it is unit-tested and the screens only apply it.
// 1–9 and 0 label with the numbered city; Enter takes the model's guess (or the typed city);
// S skips, U undoes, X excludes, K keeps (suspects). Those letters are shortcuts only while nothing
// is typed: once a person starts typing a city's name every letter goes to the name (type any
// part of it: "ydney" finds Sydney), Backspace erases and Escape clears.
import type { LabelQueue } from '../../../shared/contract/label-queue-types';
import { isTypeAheadKey, matchCities } from '../library/type-ahead';

export type LabelKeyAction =
  | { type: 'city'; index: number }
  | { type: 'accept' }
  | { type: 'typed' }
  | { type: 'skip' }
  | { type: 'undo' }
  | { type: 'exclude' }
  | { type: 'keep' }
  | { type: 'type'; char: string }
  | { type: 'erase' }
  | { type: 'clear' };

/** The legend under each queue's photo, in this order. */
export function legendOf(queue: LabelQueue): { keys: string[]; what: string }[] {
  return [
    { keys: ['1–9', '0'], what: queue === 'next' ? 'label with that city' : 'change to that city' },
    { keys: ['a–z', 'Enter'], what: 'type a city’s name, Enter' },
    {
      keys: ['Enter'],
      what: queue === 'next' ? 'accept the model’s guess' : 'change to the model’s city',
    },
    ...(queue === 'suspects' ? [{ keys: ['K'], what: 'keep the label' }] : []),
    { keys: ['S'], what: 'skip' },
    { keys: ['U'], what: 'undo' },
    {
      keys: ['X'],
      what: queue === 'next' ? 'not a street photo / none of these' : 'exclude from training',
    },
  ];
}

/** What a key means given the text typed so far, or null when the key is not the queue's. */
export function labelKeyAction(
  key: string,
  typed: string,
  queue: LabelQueue,
): LabelKeyAction | null {
  const typing = typed !== '';
  if (key === 'Enter') return typing ? { type: 'typed' } : { type: 'accept' };
  if (key === 'Escape') return typing ? { type: 'clear' } : null;
  if (key === 'Backspace') return typing ? { type: 'erase' } : { type: 'undo' };
  if (/^[0-9]$/.test(key))
    return typing ? null : { type: 'city', index: key === '0' ? 9 : Number(key) - 1 };
  if (!typing) {
    switch (key.toLowerCase()) {
      case 's':
        return { type: 'skip' };
      case 'u':
        return { type: 'undo' };
      case 'x':
        return { type: 'exclude' };
      case 'k':
        if (queue === 'suspects') return { type: 'keep' };
        break;
      default:
        break;
    }
    // A name starts with a letter; spaces and punctuation only continue one.
    return /\p{L}/u.test(key) && key.length === 1 ? { type: 'type', char: key } : null;
  }
  return isTypeAheadKey(key) ? { type: 'type', char: key } : null;
}

/** The city the typed text names: the first type-ahead match among `cities`, else null. */
export function typedCity(typed: string, cities: readonly string[]): string | null {
  return matchCities(typed, cities)[0] ?? null;
}
