// Size limits that several doors must agree on, and how a refusal is worded.

/** Default for the library's `max_file_bytes` setting: photos larger are refused unread. */
export const DEFAULT_MAX_FILE_BYTES = 256 * 1024 * 1024;

/**
 * CSV text read whole (an import manifest, study trials from a file or uploaded): larger files are
 * refused before they are read. `study.import`'s `csvText` is held to the same number of UTF-8
 * bytes, and the HTTP bridge's body limit is derived from it, so the two always agree.
 */
export const MAX_CSV_BYTES = 50 * 1024 * 1024;

/**
 * The HTTP bridge's request body limit, derived from the largest text a method takes, so that
 * whatever `study.import` accepts as `csvText` also gets through the bridge: JSON writes each
 * quote, backslash and line break of a CSV as two bytes, everything else as itself (the rare
 * other control characters take six, and a file of mostly those is no CSV anyone exports).
 * Plus room for the rest of the call.
 */
export const MAX_BRIDGE_BODY_BYTES = 2 * MAX_CSV_BYTES + 1024 * 1024;

const MB = 1024 * 1024;
const megabytes = (bytes: number): string => {
  const mb = bytes / MB;
  return mb >= 10 || Number.isInteger(mb) ? String(Math.round(mb)) : mb.toFixed(1);
};

/** "too large (1024 MB; the limit is 256 MB)" */
export const tooLarge = (bytes: number, limit: number): string =>
  `too large (${megabytes(bytes)} MB; the limit is ${megabytes(limit)} MB)`;

/** UTF-8 length of a string without encoding it. */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      // A surrogate pair is one 4-byte character (an unpaired half is encoded as 3 bytes).
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}
