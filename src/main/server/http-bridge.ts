import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AssetKind } from '../../shared/contract/client';
import { dispatch } from '../../shared/contract/dispatch';
import { MAX_BRIDGE_BODY_BYTES } from '../../shared/contract/limits';
import {
  AppError,
  toErrorData,
  type AppErrorData,
  type Result,
} from '../../shared/contract/errors';
import type { CoreLike } from '../core/in-process-transport';
import { CONTENT_SECURITY_POLICY as CSP, SECURITY_HEADERS } from './content-security';
import { eventStreams } from './event-stream';
import {
  allowedHosts,
  allowedOrigins,
  BodyTooLargeError,
  isAllowedHost,
  isSameOriginOrNonBrowser,
  parseJsonBody,
  readBody,
  tokenFrom,
  tokenMatches,
} from './request-guards';
import { etagFor, findStaticFile } from './static-files';

/** The core as the bridge needs it: the contract handlers, events, and cached image files. */
export type BridgeCore = CoreLike & {
  assetPath(kind: AssetKind, imageId: number): Promise<string | null>;
};

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
const ASSET_ROUTE = /^\/asset\/(thumb|norm)\/([1-9][0-9]{0,15})$/;

const failure = (code: AppErrorData['code'], message: string): Result<never> => ({
  ok: false,
  error: { code, message },
});

/** HTTP status for an error outside a method call (assets); calls answer 200 with error data. */
function statusFor(code: AppErrorData['code']): number {
  switch (code) {
    case 'BAD_ARGUMENT':
      return 400;
    case 'UNAUTHORIZED':
      return 401;
    case 'NOT_FOUND':
    case 'LIBRARY_NOT_FOUND':
      return 404;
    case 'LIBRARY_NOT_OPEN':
    case 'CONFLICT':
      return 409;
    default:
      return 500;
  }
}

function sendResult(res: ServerResponse, status: number, result: Result<unknown>): void {
  let body: string;
  try {
    body = JSON.stringify(result);
  } catch (error) {
    status = 500;
    body = JSON.stringify(
      failure('INTERNAL', `The result could not be encoded as JSON: ${String(error)}`),
    );
  }
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

function sendText(res: ServerResponse, status: number, text: string, type = 'text/plain'): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': `${type}; charset=utf-8`,
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...(type === 'text/html' ? { 'Content-Security-Policy': CSP } : {}),
  });
  res.end(text);
}

const NOT_BUILT_PAGE = `<!doctype html><meta charset="utf-8"><title>LittlePlaNet Studio</title>
<h1>The UI is not built yet</h1><p>Run <code>npm run build</code> (or <code>npm start</code>) and reload this page.</p>`;

/** Sends a file with a validator; a matching If-None-Match gets 304 and no body. */
async function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  file: { path: string; size: number; mtimeMs: number; contentType: string },
  headers: Record<string, string>,
): Promise<void> {
  const etag = etagFor(file.size, file.mtimeMs);
  const common = { ...SECURITY_HEADERS, ETag: etag, ...headers };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, common);
    res.end();
    return;
  }
  res.writeHead(200, { ...common, 'Content-Type': file.contentType, 'Content-Length': file.size });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await new Promise<void>((resolve) => {
    const stream = createReadStream(file.path);
    stream.on('error', () => {
      res.destroy();
      resolve();
    });
    res.on('close', () => {
      stream.destroy();
      resolve();
    });
    stream.pipe(res);
  });
}

/**
 * The HTTP bridge door: the same core and `dispatch()` as the Electron and CLI doors, reachable from a
 * browser on this computer only. It listens on 127.0.0.1, refuses foreign Host and Origin headers
 * (DNS rebinding, cross-site requests), and needs the per-run token for everything but the static UI.
 *
 * - `POST /api/call/<method>` (Bearer token, JSON params) → a contract Result, 200 for app errors too
 * - `GET /api/events?token=` → server-sent events, one AppEvent per message
 * - `GET /asset/<thumb|norm>/<id>?token=` → cached JPEG
 * - anything else → the built UI from `staticDir`
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
  const maxBody = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const streams = eventStreams(
    (listener) => core.subscribe(listener),
    options.keepaliveMs ?? KEEPALIVE_MS,
  );
  let hosts: ReadonlySet<string> = new Set();
  let origins: ReadonlySet<string> = new Set();

  const callMethod = async (req: IncomingMessage, res: ServerResponse, rawName: string) => {
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      sendResult(res, 405, failure('BAD_ARGUMENT', 'Methods are called with POST.'));
      return;
    }
    let params: unknown;
    try {
      params = parseJsonBody(await readBody(req, maxBody));
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        // Stop the upload rather than read megabytes nobody will use.
        res.setHeader('Connection', 'close');
        res.on('finish', () => req.destroy());
        sendResult(res, 413, { ok: false, error: error.toData() });
      } else {
        sendResult(res, 400, { ok: false, error: toErrorData(error) });
      }
      return;
    }
    let name: string;
    try {
      name = decodeURIComponent(rawName);
    } catch {
      sendResult(
        res,
        400,
        failure('BAD_ARGUMENT', 'The method name is not valid percent-encoding.'),
      );
      return;
    }
    sendResult(res, 200, await dispatch(core.handlers, name, params));
  };

  const serveAsset = async (req: IncomingMessage, res: ServerResponse, pathname: string) => {
    const match = ASSET_ROUTE.exec(pathname);
    const id = Number(match?.[2]);
    if (match === null || !Number.isSafeInteger(id)) {
      sendResult(
        res,
        404,
        failure('NOT_FOUND', 'Assets are /asset/thumb/<id> or /asset/norm/<id>.'),
      );
      return;
    }
    let path: string | null;
    try {
      path = await core.assetPath(match[1] as AssetKind, id);
    } catch (error) {
      const data = toErrorData(error);
      sendResult(res, statusFor(data.code), { ok: false, error: data });
      return;
    }
    const info = path === null ? null : await stat(path).catch(() => null);
    if (path === null || info === null || !info.isFile()) {
      sendResult(res, 404, failure('NOT_FOUND', `No cached ${match[1]} for image ${id}.`));
      return;
    }
    await sendFile(
      req,
      res,
      { path, size: info.size, mtimeMs: info.mtimeMs, contentType: 'image/jpeg' },
      { 'Cache-Control': 'private, max-age=86400' },
    );
  };

  const serveStatic = async (req: IncomingMessage, res: ServerResponse, pathname: string) => {
    const file = staticDir === null ? null : await findStaticFile(staticDir, pathname);
    if (file === null) {
      if (pathname === '/' || pathname === '/index.html')
        sendText(res, 503, NOT_BUILT_PAGE, 'text/html');
      else sendText(res, 404, 'Not found.');
      return;
    }
    const isHtml = file.contentType.startsWith('text/html');
    await sendFile(req, res, file, {
      'Cache-Control': 'no-cache',
      ...(isHtml ? { 'Content-Security-Policy': CSP } : {}),
    });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!isAllowedHost(req, hosts)) {
      sendResult(
        res,
        403,
        failure(
          'UNAUTHORIZED',
          'This server only answers requests addressed to 127.0.0.1 or localhost.',
        ),
      );
      return;
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const { pathname } = url;
    const isApi = pathname.startsWith('/api/') || pathname.startsWith('/asset/');
    if (!isApi) {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.setHeader('Allow', 'GET, HEAD');
        sendText(res, 405, 'Method not allowed.');
        return;
      }
      await serveStatic(req, res, pathname);
      return;
    }
    if (!isSameOriginOrNonBrowser(req, origins)) {
      sendResult(
        res,
        403,
        failure('UNAUTHORIZED', 'Cross-origin requests to the bridge are refused.'),
      );
      return;
    }
    if (!tokenMatches(tokenFrom(req, url), token)) {
      sendResult(
        res,
        401,
        failure(
          'UNAUTHORIZED',
          'Missing or wrong bridge token. Open the link the studio printed when it started.',
        ),
      );
      return;
    }
    if (pathname.startsWith('/api/call/')) {
      await callMethod(req, res, pathname.slice('/api/call/'.length));
    } else if (pathname === '/api/events' && req.method === 'GET') {
      streams.open(req, res);
    } else if (pathname.startsWith('/asset/') && (req.method === 'GET' || req.method === 'HEAD')) {
      await serveAsset(req, res, pathname);
    } else {
      sendResult(res, 404, failure('NOT_FOUND', `No route for ${req.method ?? '?'} ${pathname}.`));
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else sendResult(res, 500, { ok: false, error: toErrorData(error) });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new AppError('IO_ERROR', `Port ${options.port ?? 0} on 127.0.0.1 is already in use.`)
          : error,
      );
    });
    server.listen({ port: options.port ?? 0, host: '127.0.0.1' }, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  hosts = allowedHosts(port);
  origins = allowedOrigins(port);

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
