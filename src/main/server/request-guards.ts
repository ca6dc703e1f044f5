import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { AppError } from '../../shared/contract/errors';

/**
 * The checks every bridge request passes before it reaches the core. They are pure functions of the
 * request so the bridge stays a readable router and the rules can be reasoned about in one place.
 */

/** Only these Host values are served: a DNS-rebinding page arrives with its own host name. */
export function allowedHosts(port: number): ReadonlySet<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

export function allowedOrigins(port: number): ReadonlySet<string> {
  return new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
}

export function isAllowedHost(req: IncomingMessage, hosts: ReadonlySet<string>): boolean {
  const host = req.headers.host;
  return host !== undefined && hosts.has(host.toLowerCase());
}

/**
 * Browsers send `Origin` on cross-origin fetches and EventSource connections, and `Sec-Fetch-Site`
 * on every request; either one naming another site means the call was made by someone else's page.
 * Requests without these headers (curl, Node) are allowed: they still need the token.
 */
export function isSameOriginOrNonBrowser(
  req: IncomingMessage,
  origins: ReadonlySet<string>,
): boolean {
  const origin = req.headers.origin;
  if (origin !== undefined && !origins.has(origin.toLowerCase())) return false;
  const site = req.headers['sec-fetch-site'];
  return site === undefined || site === 'same-origin' || site === 'none';
}

/** Constant-time comparison: hashing first makes both sides the same length whatever was sent. */
export function tokenMatches(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * Routes a browser reaches without being able to send a header: the event stream (EventSource)
 * and cached images (<img src>). Only these take the token from the query string; a URL's query
 * ends up in history, logs and Referer headers, so method calls must use the header.
 */
export function queryTokenAllowed(pathname: string): boolean {
  return pathname === '/api/events' || pathname.startsWith('/asset/');
}

/** `Authorization: Bearer <token>`, else, on the routes that cannot send one, `?token=`. */
export function tokenFrom(req: IncomingMessage, url: URL): string | null {
  const header = req.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match?.[1] ?? null;
  }
  return queryTokenAllowed(url.pathname) ? url.searchParams.get('token') : null;
}

export class BodyTooLargeError extends AppError {
  constructor(limit: number) {
    super('BAD_ARGUMENT', `The request body is larger than ${limit} bytes.`, { limit });
  }
}

/**
 * Reads the whole body up to `limit` bytes. Rejects with BodyTooLargeError as soon as the declared or
 * received length passes the limit, without buffering the rest.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new BodyTooLargeError(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        chunks.length = 0;
        reject(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', (error) => {
      if (!failed) reject(error);
    });
  });
}

/** Parses a JSON request body; an empty body means "no parameters". */
export function parseJsonBody(body: Buffer): unknown {
  const text = body.toString('utf8').trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError('BAD_ARGUMENT', `The request body is not valid JSON: ${reason}`);
  }
}
