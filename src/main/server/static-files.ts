import { realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, posix, relative, sep } from 'node:path';

/**
 * Static files of the built UI, shared by the HTTP bridge and Electron's `lp-app://` protocol. A URL
 * path can only ever name a regular file inside the root: `..` (plain or percent-encoded),
 * backslashes, NUL bytes and symlinks leading out of the root all resolve to "not found".
 */

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
};

export function contentTypeFor(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Maps a URL pathname (still percent-encoded, as it arrives) to an absolute path inside `root`, or
 * null when it is malformed or would leave the root. `/` maps to `index.html`.
 */
export function resolveStaticPath(root: string, urlPathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  // Normalising against a leading '/' clamps every '..' at the root before the path is joined.
  const normalized = posix.normalize(`/${decoded}`);
  const inside =
    normalized === '/' || normalized.endsWith('/') ? `${normalized}index.html` : normalized;
  const full = join(root, ...inside.split('/').filter((part) => part !== ''));
  return isInside(root, full) ? full : null;
}

function isInside(root: string, full: string): boolean {
  const rel = relative(root, full);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

export type StaticFile = { path: string; size: number; mtimeMs: number; contentType: string };

/**
 * The regular file a URL names, after following symlinks (which must stay inside the root too), or
 * null. With `spaFallback`, an extension-less path that names nothing serves `index.html`, so a deep
 * link still loads the app.
 */
export async function findStaticFile(
  root: string,
  urlPathname: string,
  spaFallback = true,
): Promise<StaticFile | null> {
  const candidate = resolveStaticPath(root, urlPathname);
  if (candidate === null) return null;
  const found = await regularFileInside(root, candidate);
  if (found !== null || !spaFallback || extname(candidate) !== '') return found;
  return regularFileInside(root, join(root, 'index.html'));
}

async function regularFileInside(root: string, candidate: string): Promise<StaticFile | null> {
  try {
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(candidate)]);
    if (!isInside(realRoot, realFile)) return null;
    const info = await stat(realFile);
    if (!info.isFile()) return null;
    return {
      path: realFile,
      size: info.size,
      mtimeMs: info.mtimeMs,
      contentType: contentTypeFor(realFile),
    };
  } catch {
    return null;
  }
}

/** A weak validator good enough for local files: changes whenever size or modification time does. */
export function etagFor(size: number, mtimeMs: number): string {
  return `W/"${size.toString(16)}-${Math.floor(mtimeMs).toString(16)}"`;
}
