/** Extensions the folder walk picks up; anything else in a folder is silently ignored. */
export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set([
  'jpg',
  'jpeg',
  'jpe',
  'jfif',
  'png',
  'webp',
  'tif',
  'tiff',
  'avif',
  'heic',
  'heif',
  'hif',
]);

/** Lower-case extension of a file name given as raw bytes ('' when none). */
export function extensionOf(name: Buffer): string {
  const dot = name.lastIndexOf(0x2e);
  if (dot <= 0) return '';
  return name
    .subarray(dot + 1)
    .toString('latin1')
    .toLowerCase();
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The name as a string, or null when its bytes are not valid UTF-8. */
export function decodeUtf8(bytes: Buffer): string | null {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

/** Length of the valid UTF-8 sequence starting at i, or 0 when the byte there starts none. */
function sequenceLength(bytes: Buffer, i: number): number {
  const b = bytes[i] as number;
  const need =
    b < 0x80
      ? 1
      : b >= 0xc2 && b <= 0xdf
        ? 2
        : b >= 0xe0 && b <= 0xef
          ? 3
          : b >= 0xf0 && b <= 0xf4
            ? 4
            : 0;
  if (need === 0 || i + need > bytes.length) return need === 1 ? 1 : 0;
  for (let k = 1; k < need; k++) if (((bytes[i + k] as number) & 0xc0) !== 0x80) return 0;
  return decodeUtf8(bytes.subarray(i, i + need)) === null ? 0 : need;
}

/**
 * A readable rendering of a path that is not valid UTF-8: valid parts as text, every other byte
 * as \xNN — so a person can find the file, and the report stays valid JSON text.
 */
export function escapeBytes(bytes: Buffer): string {
  let out = '';
  for (let i = 0; i < bytes.length;) {
    const n = sequenceLength(bytes, i);
    if (n === 0) {
      out += `\\x${(bytes[i] as number).toString(16).padStart(2, '0')}`;
      i++;
    } else {
      out += bytes.subarray(i, i + n).toString('utf8');
      i += n;
    }
  }
  return out;
}
