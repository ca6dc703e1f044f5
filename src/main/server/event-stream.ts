import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppEvent } from '../../shared/contract/job-types';
import { SECURITY_HEADERS } from './content-security';

/** A client that stops reading gets dropped rather than growing the server's memory without bound. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

export type EventStreams = {
  /** Turns a request into a server-sent-events stream of every AppEvent until it disconnects. */
  open(req: IncomingMessage, res: ServerResponse): void;
  /** Ends every open stream (server shutdown). */
  closeAll(): void;
  readonly size: number;
};

/**
 * Server-sent events for the HTTP bridge: each AppEvent is one `data: <json>` message (JSON text has
 * no raw newlines, so one line is always enough); a comment every `keepaliveMs` keeps proxies and
 * idle timeouts from closing a quiet stream and lets the server notice a dead client.
 */
export function eventStreams(
  subscribe: (listener: (event: AppEvent) => void) => () => void,
  keepaliveMs: number,
): EventStreams {
  const open = new Map<ServerResponse, () => void>();

  return {
    open(req, res) {
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      });
      // The first bytes make the browser fire `open` at once, before any event happens.
      res.write('retry: 2000\n: connected\n\n');

      const write = (chunk: string): void => {
        if (res.writableEnded || res.destroyed) return;
        if (res.writableLength > MAX_BUFFERED_BYTES) {
          res.destroy();
          return;
        }
        res.write(chunk);
      };
      const unsubscribe = subscribe((event) => write(`data: ${JSON.stringify(event)}\n\n`));
      const timer = setInterval(() => write(': keepalive\n\n'), keepaliveMs);
      timer.unref();

      const stop = (): void => {
        if (!open.delete(res)) return;
        clearInterval(timer);
        unsubscribe();
      };
      open.set(res, stop);
      req.on('close', stop);
      res.on('close', stop);
    },

    closeAll() {
      for (const [res, stop] of [...open]) {
        stop();
        res.end();
      }
    },

    get size() {
      return open.size;
    },
  };
}
