import { request, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { Transport } from '../../src/shared/contract/client';
import type { Result } from '../../src/shared/contract/errors';
import type { AppEvent } from '../../src/shared/contract/job-types';

export type RawResponse = { status: number; headers: IncomingHttpHeaders; body: Buffer };

/**
 * One HTTP request with full control over the path and headers (Host included), which fetch does not
 * allow: the tests need to send `..` paths and foreign Host headers unchanged.
 */
export function rawRequest(
  port: number,
  options: {
    method?: string;
    path: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
  },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: { host: `127.0.0.1:${port}`, ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

export function json(response: RawResponse): unknown {
  return JSON.parse(response.body.toString('utf8')) as unknown;
}

/** Opens the event stream and hands every parsed `data:` message to `onEvent`. */
export function openEvents(
  port: number,
  token: string,
  onEvent: (event: AppEvent) => void,
): Promise<{ response: IncomingMessage; close(): void }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: `/api/events?token=${encodeURIComponent(token)}` },
      (res) => {
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const message = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            for (const line of message.split('\n')) {
              if (line.startsWith('data: ')) onEvent(JSON.parse(line.slice(6)) as AppEvent);
            }
          }
        });
        res.on('error', () => undefined);
        resolve({ response: res, close: () => req.destroy() });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** A Node client for the bridge, speaking the same protocol as the renderer's http transport. */
export async function httpTestTransport(
  port: number,
  token: string,
): Promise<Transport & { close(): void }> {
  const listeners = new Set<(event: AppEvent) => void>();
  const stream = await openEvents(port, token, (event) => {
    for (const listener of [...listeners]) listener(event);
  });
  return {
    async invoke(method, params) {
      const response = await rawRequest(port, {
        method: 'POST',
        path: `/api/call/${encodeURIComponent(method)}`,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(params ?? {}),
      });
      return json(response) as Result<unknown>;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => stream.close(),
  };
}
