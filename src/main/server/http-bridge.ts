import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_BRIDGE_BODY_BYTES } from '../../shared/contract/limits';
import { AppError, toErrorData } from '../../shared/contract/errors';
import {
  apiRoutes,
  findRoute,
  isApiPath,
  serveStatic,
  type ApiRoute,
  type BridgeCore,
} from './bridge-routes';
import { eventStreams } from './event-stream';
import { failure, sendResult, sendText } from './http-responses';
import {
  allowedHosts,
  allowedOrigins,
  isAllowedHost,
  isSameOriginOrNonBrowser,
  tokenFrom,
  tokenMatches,
} from './request-guards';

export type { BridgeCore } from './bridge-routes';

export type HttpBridgeOptions = {
  core: BridgeCore;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The built UI (build/renderer); null serves a page saying the UI is not built. */
  staticDir: string | null;
  /** Per-run secret; 32 random bytes as hex unless given. */
  token?: string;
  /** Interval of the SSE keepalive comment (15 s). */
  keepaliveMs?: number;
  /** Largest accepted request body (MAX_BRIDGE_BODY_BYTES: study.import's text fits). */
  maxBodyBytes?: number;
};

export type HttpBridge = {
  /** `http://127.0.0.1:<port>/`, without the token. */
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
};

const MAX_BODY_BYTES = MAX_BRIDGE_BODY_BYTES;
const KEEPALIVE_MS = 15_000;

/** Who may call: set once the port is known (Host and Origin must name it). */
type Guards = { hosts: ReadonlySet<string>; origins: ReadonlySet<string>; token: string };

const WRONG_HOST = 'This server only answers requests addressed to 127.0.0.1 or localhost.';
const CROSS_ORIGIN = 'Cross-origin requests to the bridge are refused.';
const WRONG_TOKEN =
  'Missing or wrong bridge token. Open the link the studio printed when it started.';

/**
 * Serves one request: the Host check for everything, then the built UI (GET and HEAD only), or,
 * for the API, the Origin and token checks and the first matching route of the table.
 */
async function handleRequest(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: { guards: Guards; routes: readonly ApiRoute[]; staticDir: string | null },
): Promise<void> {
  const { guards } = ctx;
  if (!isAllowedHost(req, guards.hosts)) {
    sendResult(res, 403, failure('UNAUTHORIZED', WRONG_HOST));
    return;
  }
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const { pathname } = url;
  if (!isApiPath(pathname)) {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      sendText(res, 405, 'Method not allowed.');
      return;
    }
    await serveStatic(ctx.staticDir, req, res, pathname);
    return;
  }
  if (!isSameOriginOrNonBrowser(req, guards.origins)) {
    sendResult(res, 403, failure('UNAUTHORIZED', CROSS_ORIGIN));
    return;
  }
  if (!tokenMatches(tokenFrom(req, url), guards.token)) {
    sendResult(res, 401, failure('UNAUTHORIZED', WRONG_TOKEN));
    return;
  }
  const route = findRoute(ctx.routes, req.method, pathname);
  if (route === undefined) {
    sendResult(res, 404, failure('NOT_FOUND', `No route for ${req.method ?? '?'} ${pathname}.`));
    return;
  }
  await route.handle(req, res, pathname);
}

/** Listens on 127.0.0.1 (port 0 picks a free one); the port it got. */
async function listenLocal(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new AppError('IO_ERROR', `Port ${port} on 127.0.0.1 is already in use.`)
          : error,
      );
    });
    server.listen({ port, host: '127.0.0.1' }, resolve);
  });
  return (server.address() as AddressInfo).port;
}

/**
 * The HTTP bridge door: the same core and `dispatch()` as the Electron and CLI doors, reachable from a
 * browser on this computer only. It listens on 127.0.0.1, refuses foreign Host and Origin headers
 * (DNS rebinding, cross-site requests), and needs the per-run token for everything but the static UI.
 * The API is a route table (bridge-routes.ts apiRoutes); anything else is the built UI from
 * `staticDir`.
 */
export async function startHttpBridge(options: HttpBridgeOptions): Promise<HttpBridge> {
  const { core, staticDir } = options;
  const token = options.token ?? randomBytes(32).toString('hex');
  if (token.length < 16 || !/^[\x21-\x7e]+$/.test(token)) {
    throw new AppError(
      'BAD_ARGUMENT',
      'The bridge token must be at least 16 printable characters.',
    );
  }
  const streams = eventStreams(
    (listener) => core.subscribe(listener),
    options.keepaliveMs ?? KEEPALIVE_MS,
  );
  const guards: Guards = { hosts: new Set(), origins: new Set(), token };
  const routes = apiRoutes({ core, streams, maxBody: options.maxBodyBytes ?? MAX_BODY_BYTES });

  const server = createServer((req, res) => {
    handleRequest(req, res, { guards, routes, staticDir }).catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else sendResult(res, 500, { ok: false, error: toErrorData(error) });
    });
  });
  const port = await listenLocal(server, options.port ?? 0);
  guards.hosts = allowedHosts(port);
  guards.origins = allowedOrigins(port);

  let closing: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${port}/`,
    token,
    port,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        streams.closeAll();
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
