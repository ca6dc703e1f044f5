import { sep } from 'node:path';

/**
 * `app.asar` → `app.asar.unpacked` for every path segment (no-op outside packaged apps). Files
 * a native library or another process must open by path live in the unpacked twin.
 */
export function unpackedPath(path: string): string {
  return path
    .split(sep)
    .map((part) => (part.endsWith('.asar') ? `${part}.unpacked` : part))
    .join(sep);
}
