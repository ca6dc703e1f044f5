// Keyboard-only play: which key does what in each phase of a round. Pure, so it is unit-tested and
// the round screen only has to apply the answer.

/** 'guessing': a photo is shown; 'revealed': the reveal panel waits for "Next photo". */
export type PlayPhase = 'guessing' | 'revealed';

export type KeyAction =
  | { type: 'select'; index: number }
  | { type: 'commit' }
  | { type: 'next' }
  | { type: 'confidence'; delta: number };

/** 1–9 pick the first nine cities and 0 the tenth, like the Library's labelling keys. */
export function cityKeyIndex(key: string): number | null {
  if (!/^[0-9]$/.test(key)) return null;
  return key === '0' ? 9 : Number(key) - 1;
}

/** The key shown on a city's button, or null for the 11th city on (mouse only). */
export function cityKeyLabel(index: number): string | null {
  if (index < 0 || index > 9) return null;
  return index === 9 ? '0' : String(index + 1);
}

/** What a key press means now, or null when the key is not ours (the browser keeps it). */
export function keyAction(key: string, phase: PlayPhase, cityCount: number): KeyAction | null {
  if (phase === 'revealed') return key === 'Enter' || key === ' ' ? { type: 'next' } : null;
  const index = cityKeyIndex(key);
  if (index !== null) return index < cityCount ? { type: 'select', index } : null;
  if (key === 'Enter') return { type: 'commit' };
  // Arrows up/down move the optional confidence in 10% steps.
  if (key === 'ArrowUp') return { type: 'confidence', delta: 0.1 };
  if (key === 'ArrowDown') return { type: 'confidence', delta: -0.1 };
  return null;
}

/** A confidence step: unset starts at 50%, then moves by delta, clamped to 0–1, in 1% units. */
export function stepConfidence(current: number | null, delta: number): number {
  const next = current === null ? 0.5 : current + delta;
  return Math.round(Math.min(1, Math.max(0, next)) * 100) / 100;
}
