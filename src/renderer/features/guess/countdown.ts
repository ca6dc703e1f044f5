// The per-round time limit, as pure arithmetic on clock readings (the hook only ticks).

/** Milliseconds left of `limitMs` since `startedAt` (both on the same clock), never negative. */
export function remainingMs(limitMs: number, startedAt: number, now: number): number {
  return Math.max(0, limitMs - Math.max(0, now - startedAt));
}

/** "0:07": whole seconds rounded up, so the display reads 0:00 only when time is really up. */
export function formatCountdown(ms: number): string {
  const seconds = Math.ceil(Math.max(0, ms) / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** 'low' in the last 5 seconds (or last fifth of a short limit): the countdown turns red. */
export function countdownLevel(ms: number, limitMs: number): 'ok' | 'low' | 'out' {
  if (ms <= 0) return 'out';
  return ms <= Math.min(5000, limitMs / 5) ? 'low' : 'ok';
}

/**
 * What happens when time runs out. A round can only be recorded with a city (the contract has no
 * "no answer"), and moving on without one would leave the photo open, so round.next would show it
 * again. So: a selected city is committed at once; without one the participant is told time is up
 * and must still pick, and the recorded response time (over the limit) shows it was late.
 */
export function onTimeUp(selected: number | null): 'commit' | 'late' {
  return selected === null ? 'late' : 'commit';
}
