// The HTTP bridge's routes. The API routes sit behind the host, origin and token checks
// (http-bridge.ts); anything that is not API is the built UI.
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AssetKind } from '../../shared/contract/client';
import { dispatch } from '../../shared/contract/dispatch';
import { toErrorData } from '../../shared/contract/errors';
import type { CoreLike } from '../core/in-process-transport';
import type { EventStreams } from './event-stream';
import {
  failure,
  NOT_BUILT_PAGE,
  sendFile,
  sendResult,
  sendText,
  statusFor,
} from './http-responses';
import { BodyTooLargeError, parseJsonBody, readBody } from './request-guards';
import { CONTENT_SECURITY_POLICY as CSP } from './content-security';
import { findStaticFile } from './static-files';

/** The core as the bridge needs it: the contract handlers, events, and cached image files. */
export type BridgeCore = CoreLike & {
  assetPath(kind: AssetKind, imageId: number): Promise<string | null>;
};

export type RouteContext = {
  core: BridgeCore;
  streams: EventStreams;
  /** Largest accepted request body. */
  maxBody: number;
};

export type ApiRoute = {
  /** The path itself, or a prefix when it ends with '/'. */
  path: string;
  /** The HTTP methods it answers; null answers every method (and refuses the wrong ones itself). */
  methods: readonly string[] | null;
  handle(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> | void;
};

const ASSET_ROUTE = /^\/asset\/(thumb|norm)\/([1-9][0-9]{0,15})$/;

async function callMethod(
  ctx: RouteContext,
  req: IncomingMessage,
  res: ServerResponse,
  rawName: string,
): Promise<void> {
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    sendResult(res, 405, failure('BAD_ARGUMENT', 'Methods are called with POST.'));
    return;
  }
  let params: unknown;
  try {
    params = parseJsonBody(await readBody(req, ctx.maxBody));
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
    sendResult(res, 400, failure('BAD_ARGUMENT', 'The method name is not valid percent-encoding.'));
    return;
  }
  sendResult(res, 200, await dispatch(ctx.core.handlers, name, params));
}

async function serveAsset(
  ctx: RouteContext,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
): Promise<void> {
  const match = ASSET_ROUTE.exec(pathname);
  const id = Number(match?.[2]);
  if (match === null || !Number.isSafeInteger(id)) {
    sendResult(res, 404, failure('NOT_FOUND', 'Assets are /asset/thumb/<id> or /asset/norm/<id>.'));
    return;
  }
  let path: string | null;
  try {
    path = await ctx.core.assetPath(match[1] as AssetKind, id);
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
}

/**
 * The token-guarded routes, first match wins:
 * - `POST /api/call/<method>` (Bearer token, JSON params) → a contract Result, 200 for app errors too
 * - `GET /api/events?token=` → server-sent events, one AppEvent per message
 * - `GET /asset/<thumb|norm>/<id>?token=` → cached JPEG
 */
export function apiRoutes(ctx: RouteContext): readonly ApiRoute[] {
  const call = '/api/call/';
  return [
    {
      path: call,
      methods: null,
      handle: (req, res, pathname) => callMethod(ctx, req, res, pathname.slice(call.length)),
    },
    { path: '/api/events', methods: ['GET'], handle: (req, res) => ctx.streams.open(req, res) },
    {
      path: '/asset/',
      methods: ['GET', 'HEAD'],
      handle: (req, res, pathname) => serveAsset(ctx, req, res, pathname),
    },
  ];
}

/** The route answering this request, or undefined (a 404). */
export function findRoute(
  routes: readonly ApiRoute[],
  method: string | undefined,
  pathname: string,
): ApiRoute | undefined {
  return routes.find(
    (route) =>
      (route.path.endsWith('/') ? pathname.startsWith(route.path) : pathname === route.path) &&
      (route.methods === null || (method !== undefined && route.methods.includes(method))),
  );
}

/** Paths under these prefixes are API routes; everything else is the built UI. */
export function isApiPath(pathname: string): boolean {
  return pathname.startsWith('/api/') || pathname.startsWith('/asset/');
}

/** The built UI from `staticDir` (GET and HEAD; the caller refuses other methods). */
export async function serveStatic(
  staticDir: string | null,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
): Promise<void> {
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
}
