import { AppError } from '../../../shared/contract/errors';
import type { Clock } from './clock';
import type { RateLimiter } from './rate-limiter';
import { redact } from './redact';

/** Ends the whole run (the key is refused, the quota is spent): going on would only fail again. */
export class StopRun extends AppError {}

/** Ends one point (or one page) with a reason; the run goes on with a fresh point. */
export class PointFailed extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'PointFailed';
  }
}

/** A failure worth trying again after a pause (429, 5xx, a dropped connection). */
export class Retryable extends Error {
  constructor(
    readonly kind: 'quota' | 'server',
    readonly reason: string,
    readonly retryAfterMs: number | null = null,
  ) {
    super(reason);
    this.name = 'Retryable';
  }
}

export type HttpOptions = {
  /** 'Street View', 'Mapillary': used in messages. */
  service: string;
  limiter: RateLimiter;
  clock: Clock;
  /** Secrets to scrub from any text that leaves here. */
  secrets: readonly string[];
  /** Tries after the first one for 429 / 5xx / network failures. */
  retries: number;
  /** First pause; doubled each retry (with jitter from `random`), at most maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs: number;
  random: () => number;
  signal: AbortSignal;
  /** A warning for the job log (already redacted). */
  warn(message: string): void;
};

/** Bodies bigger than this are refused: a 640x640 Street View JPEG is under 200 kB. */
const MAX_BODY_BYTES = 25 * 1024 * 1024;

export type HttpResponse = { body: Buffer; contentType: string };

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | null {
  if (header === null || header.trim() === '') return null;
  const seconds = Number(header.trim());
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/**
 * HTTP for the collectors: every request waits for its rate-limit slot; 429 and 5xx (and network
 * failures) are retried with exponential backoff, honouring Retry-After; 401/403 stop the run (a
 * refused key never gets better by retrying); other 4xx fail the point. No text leaves here
 * without passing through redact().
 */
export class CollectHttp {
  constructor(private readonly options: HttpOptions) {}

  scrub(text: string): string {
    return redact(text, this.options.secrets);
  }

  /** Runs `attempt` until it succeeds, retrying Retryable failures; see the class comment. */
  async retrying<T>(what: string, attempt: () => Promise<T>): Promise<T> {
    const { retries, backoffMs, maxBackoffMs, clock, signal, random } = this.options;
    for (let tried = 0; ; tried++) {
      try {
        return await attempt();
      } catch (error) {
        if (!(error instanceof Retryable)) throw error;
        if (tried >= retries) {
          if (error.kind === 'quota') {
            throw new StopRun(
              'IO_ERROR',
              `${this.options.service} says the quota is used up (${this.scrub(error.reason)}), still after ${tried + 1} tries with pauses; try again later or raise the quota.`,
              { reason: 'quota' },
            );
          }
          throw new PointFailed(`${what}: ${this.scrub(error.reason)} (${tried + 1} tries)`);
        }
        const backoff = Math.min(maxBackoffMs, backoffMs * 2 ** tried) * (0.75 + 0.5 * random());
        const pause = Math.min(maxBackoffMs, error.retryAfterMs ?? backoff);
        this.options.warn(
          `${what}: ${this.scrub(error.reason)}; trying again in ${(pause / 1000).toFixed(1)} s`,
        );
        await clock.sleep(pause, signal);
      }
    }
  }

  /** One GET after its rate-limit slot. Throws Retryable, StopRun or PointFailed; see above. */
  async get(url: string, headers: Record<string, string> = {}): Promise<HttpResponse> {
    const { limiter, signal, service, clock } = this.options;
    await limiter.take(signal);
    let response: Response;
    try {
      response = await fetch(url, { headers, signal, redirect: 'follow' });
    } catch (error) {
      if (signal.aborted) throw error;
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
      const message = cause instanceof Error ? cause.message : String(cause);
      throw new Retryable('server', `cannot reach ${service}: ${this.scrub(message)}`);
    }
    const status = response.status;
    if (status >= 200 && status < 300) {
      return {
        body: await this.readBody(response),
        contentType: response.headers.get('content-type') ?? '',
      };
    }
    const snippet = await this.snippet(response);
    if (status === 401 || status === 403) {
      throw new StopRun(
        'UNAUTHORIZED',
        `${service} refused the key (HTTP ${status}): the key is wrong or revoked, or the API is not enabled for it.${snippet}`,
        { reason: 'key-rejected', status },
      );
    }
    if (status === 429) {
      throw new Retryable(
        'quota',
        `HTTP 429 (too many requests)${snippet}`,
        retryAfterMs(response.headers.get('retry-after'), clock.now()),
      );
    }
    if (status >= 500) {
      throw new Retryable(
        'server',
        `HTTP ${status}${snippet}`,
        retryAfterMs(response.headers.get('retry-after'), clock.now()),
      );
    }
    throw new PointFailed(`HTTP ${status} from ${service}${snippet}`);
  }

  private async readBody(response: Response): Promise<Buffer> {
    const tooMuch = (bytes: number): PointFailed =>
      new PointFailed(`${this.options.service} sent ${bytes} bytes or more, more than expected`);
    const length = Number(response.headers.get('content-length') ?? '0');
    if (length > MAX_BODY_BYTES) {
      await response.body?.cancel();
      throw tooMuch(length);
    }
    return readCapped(response, MAX_BODY_BYTES, tooMuch);
  }

  /** The start of an error body, redacted, as `: text` (or '' when empty or unreadable). */
  private async snippet(response: Response): Promise<string> {
    const text = await response.text().catch(() => '');
    const oneLine = text.replace(/\s+/g, ' ').trim().slice(0, 200);
    return oneLine === '' ? '' : `: ${this.scrub(oneLine)}`;
  }
}

/** Parses JSON or fails the point with a clear reason. */
export function parseJson(body: Buffer, what: string): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw new PointFailed(`${what}: the answer is not valid JSON`);
  }
}

/** True for JPEG, PNG or WebP bytes: a service answering with an HTML page must not be saved. */
export function looksLikeImage(body: Buffer): boolean {
  if (body.length >= 3 && body[0] === 0xff && body[1] === 0xd8 && body[2] === 0xff) return true;
  if (body.length >= 8 && body.subarray(0, 8).equals(Buffer.from('89504e470d0a1a0a', 'hex'))) {
    return true;
  }
  return (
    body.length >= 12 &&
    body.subarray(0, 4).toString('latin1') === 'RIFF' &&
    body.subarray(8, 12).toString('latin1') === 'WEBP'
  );
}

/**
 * The body, chunk by chunk, stopped (and the connection let go) as soon as it passes `max` bytes:
 * a server that sends no length, or a wrong one, cannot make us hold more than `max` in memory.
 */
export async function readCapped(
  response: Response,
  max: number,
  tooMuch: (bytes: number) => Error,
): Promise<Buffer> {
  if (response.body === null) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw tooMuch(size);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}
