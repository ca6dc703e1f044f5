import type { AssetKind, RendererTransport } from '../../shared/contract/client';
import { isErrorCode, type AppErrorData, type Result } from '../../shared/contract/errors';
import type { AppEvent } from '../../shared/contract/job-types';

export type HttpTransport = RendererTransport & {
  /** Resolves once the event stream is connected, so a job started afterwards loses no event. */
  readonly eventsReady: Promise<void>;
  close(): void;
};

const STALE_ON_RECONNECT = ['images', 'labels', 'cities', 'splits', 'models'] as const;

const failure = (code: AppErrorData['code'], message: string): Result<unknown> => ({
  ok: false,
  error: { code, message },
});

function isResult(value: unknown): value is Result<unknown> {
  if (typeof value !== 'object' || value === null || !('ok' in value)) return false;
  if (value.ok === true) return 'value' in value;
  if (value.ok !== false || !('error' in value)) return false;
  const error = value.error;
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    isErrorCode(error.code) &&
    'message' in error &&
    typeof error.message === 'string'
  );
}

/**
 * The browser door: `POST /api/call/<method>` for calls, one shared server-sent-events stream for
 * events, `/asset/<kind>/<id>` for cached images. Every request carries the per-run bridge token.
 */
export function httpTransport(token: string, base = ''): HttpTransport {
  const listeners = new Set<(event: AppEvent) => void>();
  const tokenQuery = `token=${encodeURIComponent(token)}`;
  const source = new EventSource(`${base}/api/events?${tokenQuery}`);
  // Settles on the first open or the first failure: the app must start either way (EventSource
  // keeps retrying on its own), it only must not start a job before the stream is listening.
  const eventsReady = new Promise<void>((resolve) => {
    source.addEventListener('open', () => resolve(), { once: true });
    source.addEventListener('error', () => resolve(), { once: true });
  });
  const emit = (event: AppEvent): void => {
    for (const listener of [...listeners]) listener(event);
  };
  source.addEventListener('message', (message: MessageEvent<string>) => {
    try {
      emit(JSON.parse(message.data) as AppEvent);
    } catch {
      console.warn('littleplanet: ignored a malformed event', message.data);
    }
  });
  // EventSource reconnects by itself after a drop; whatever changed meanwhile was not heard, so
  // every view is told its data may be stale.
  let dropped = false;
  source.addEventListener('error', () => {
    dropped = true;
  });
  source.addEventListener('open', () => {
    if (!dropped) return;
    dropped = false;
    for (const what of STALE_ON_RECONNECT)
      emit({ channel: 'library', payload: { type: 'changed', what } });
  });

  const invoke = async (method: string, params: unknown): Promise<Result<unknown>> => {
    let response: Response;
    try {
      response = await fetch(`${base}/api/call/${encodeURIComponent(method)}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(params ?? {}),
      });
    } catch {
      return failure(
        'IO_ERROR',
        'Cannot reach the LittlePlaNet bridge. Is the studio still running on this computer?',
      );
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    if (isResult(body)) return body;
    if (response.status === 401 || response.status === 403) {
      return failure(
        'UNAUTHORIZED',
        'The bridge refused this page’s token. Open the link the studio printed when it started.',
      );
    }
    return failure('INTERNAL', `The bridge answered ${method} with HTTP ${response.status}.`);
  };

  return {
    name: 'http',
    invoke,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    assetUrl: (kind: AssetKind, imageId: number) =>
      `${base}/asset/${kind}/${imageId}?${tokenQuery}`,
    eventsReady,
    close: () => source.close(),
  };
}
