import { useEffect, useState } from 'react';
import { remainingMs } from './countdown';

/**
 * Milliseconds left of a round's time limit, counted from `startedAt` (performance.now() when the
 * photo loaded); null without a limit or before the photo is on screen.
 */
export function useCountdown(limitMs: number | null, startedAt: number | null): number | null {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    if (limitMs === null || startedAt === null) return;
    setNow(performance.now());
    const timer = setInterval(() => setNow(performance.now()), 100);
    return () => clearInterval(timer);
  }, [limitMs, startedAt]);
  if (limitMs === null || startedAt === null) return null;
  return remainingMs(limitMs, startedAt, Math.max(now, startedAt));
}
