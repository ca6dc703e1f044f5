import { readFile } from 'node:fs/promises';
import type { AssetKind } from '../../shared/contract/client';
import { toErrorData } from '../../shared/contract/errors';
import { CONTENT_SECURITY_POLICY } from '../server/content-security';
import { findStaticFile } from '../server/static-files';
import type { ProtocolLike } from './electron-api';

/**
 * The window loads the UI from `lp-app://ui/` rather than file://: a real origin that the CSP's
 * 'self' means exactly, that fetch and workers treat normally, and that cannot read arbitrary files.
 * Cached images come from `lp-asset://<thumb|norm>/<imageId>`.
 */
export const APP_SCHEME = 'lp-app';
export const ASSET_SCHEME = 'lp-asset';
export const APP_ORIGIN = `${APP_SCHEME}://ui`;
export const APP_URL = `${APP_ORIGIN}/index.html`;

/** True for the app's own pages: the only URLs the window may show and the IPC door answers. */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === 'ui';
  } catch {
    return false;
  }
}

/** Must run before the app is ready: Electron fixes scheme privileges at start-up. */
export function registerSchemes(protocol: ProtocolLike): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
    {
      scheme: ASSET_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true },
    },
  ]);
}

const text = (status: number, body: string): Response =>
  new Response(body, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });

async function fileResponse(path: string, headers: Record<string, string>): Promise<Response> {
  const body = await readFile(path);
  return new Response(new Uint8Array(body), {
    status: 200,
    headers: { 'X-Content-Type-Options': 'nosniff', ...headers },
  });
}

/** Serves the built UI from `rendererDir` on lp-app://ui/ with the app's CSP. */
export async function serveAppRequest(rendererDir: string, request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.host !== 'ui') return text(404, 'Not found.');
  const file = await findStaticFile(rendererDir, url.pathname);
  if (file === null) {
    return url.pathname === '/' || url.pathname === '/index.html'
      ? text(503, 'The UI is not built: run `npm run build`.')
      : text(404, 'Not found.');
  }
  return fileResponse(file.path, {
    'Content-Type': file.contentType,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'Cache-Control': 'no-cache',
  });
}

/** Serves `lp-asset://thumb/42` from the core's image cache. */
export async function serveAssetRequest(
  assetPath: (kind: AssetKind, imageId: number) => Promise<string | null>,
  request: Request,
): Promise<Response> {
  const url = new URL(request.url);
  const kind = url.host;
  const match = /^\/([1-9][0-9]{0,15})\/?$/.exec(url.pathname);
  if ((kind !== 'thumb' && kind !== 'norm') || match === null) return text(404, 'Not found.');
  try {
    const path = await assetPath(kind, Number(match[1]));
    if (path === null) return text(404, `No cached ${kind} for image ${match[1]}.`);
    return await fileResponse(path, {
      'Content-Type': 'image/jpeg',
      'Cache-Control': 'private, max-age=86400',
      'Access-Control-Allow-Origin': APP_ORIGIN,
    });
  } catch (error) {
    return text(404, toErrorData(error).message);
  }
}
