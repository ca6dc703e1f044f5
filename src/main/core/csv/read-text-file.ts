// Reading a text file a person gave us (a CSV manifest, study trials): the size is checked before
// anything is read, and bytes that are not UTF-8 are an error naming their line instead of
// turning silently into U+FFFD (a mangled path would then fail far from its cause).
import { readFile, stat } from 'node:fs/promises';
import { tooLarge } from '../../../shared/contract/limits';

/** Why a text file could not be read; `line` is set for invalid UTF-8. */
export class TextFileError extends Error {
  constructor(
    message: string,
    readonly line: number | null = null,
  ) {
    super(message);
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The 1-based line holding the first byte sequence that is not UTF-8, or null when all are. */
export function firstInvalidUtf8Line(bytes: Buffer): number | null {
  let line = 1;
  let start = 0;
  while (start <= bytes.length) {
    // A multi-byte character never contains 0x0A, so lines can be checked one by one.
    const end = bytes.indexOf(0x0a, start);
    const stop = end === -1 ? bytes.length : end;
    try {
      strictUtf8.decode(bytes.subarray(start, stop));
    } catch {
      return line;
    }
    if (end === -1) return null;
    start = end + 1;
    line++;
  }
  return null;
}

/** The file as text, or a TextFileError saying plainly why not ("too large (…)", "line 7: …"). */
export async function readTextFile(path: string, maxBytes: number): Promise<string> {
  const info = await stat(path);
  if (info.size > maxBytes) throw new TextFileError(tooLarge(info.size, maxBytes));
  const bytes = await readFile(path);
  // The file may have grown since stat.
  if (bytes.length > maxBytes) throw new TextFileError(tooLarge(bytes.length, maxBytes));
  try {
    return strictUtf8.decode(bytes);
  } catch {
    const line = firstInvalidUtf8Line(bytes) ?? 1;
    throw new TextFileError(`line ${line} is not valid UTF-8 (save the file as UTF-8)`, line);
  }
}
