import { abortError, type Clock } from './clock';

/**
 * Spaces requests at least 1/rate seconds apart (no bursts: the services count per second and
 * answer a burst with 429 or OVER_QUERY_LIMIT). `take` reserves the next slot before waiting, so
 * callers that overlap still get distinct slots.
 */
export class RateLimiter {
  private readonly intervalMs: number;
  private next = -Infinity;

  constructor(
    ratePerSecond: number,
    private readonly clock: Clock,
  ) {
    if (!(ratePerSecond > 0)) throw new RangeError('ratePerSecond must be positive');
    this.intervalMs = 1000 / ratePerSecond;
  }

  /** Milliseconds the caller must wait for its slot (0 when it may go now); reserves the slot. */
  reserve(): number {
    const now = this.clock.now();
    const slot = Math.max(now, this.next);
    this.next = slot + this.intervalMs;
    return slot - now;
  }

  /** Waits for the next slot; rejects when `signal` aborts. */
  async take(signal: AbortSignal): Promise<void> {
    const wait = this.reserve();
    if (wait > 0) await this.clock.sleep(wait, signal);
    else if (signal.aborted) throw abortError();
  }
}
