// Synchronous whole-file reads into a buffer each import lane reuses: the import runs on its own
// worker thread, and keeping libuv's small pool for sharp's decodes (and allocating less)
// measurably speeds it up (bench/library.bench.ts, CPU ms/image).
import { closeSync, openSync, readSync } from 'node:fs';

/** A lane's reusable read buffer: one photo at a time, so no per-file allocation (and less GC). */
export type Scratch = { buffer: Buffer };

/** Enough for any image format's signature (and a JPEG's first segments). */
export const HEADER_BYTES = 64 * 1024;

/**
 * A lane keeps a buffer of typical photo size between files; one grown for an unusually large file
 * is let go afterwards, so a single 200 MB panorama does not pin 200 MB per lane for the rest of
 * the import.
 */
export const SCRATCH_KEEP_BYTES = 32 * 1024 * 1024;

export function shrinkScratch(scratch: Scratch): void {
  if (scratch.buffer.length > SCRATCH_KEEP_BYTES) scratch.buffer = Buffer.alloc(0);
}

/** Reads a whole file into the lane's buffer; the view is valid until the lane's next read. */
export function readInto(path: string, size: number, scratch: Scratch): Buffer {
  if (scratch.buffer.length < size) scratch.buffer = Buffer.allocUnsafe(Math.max(size, 1 << 20));
  const fd = openSync(path, 'r');
  try {
    let read = 0;
    while (read < size) {
      const n = readSync(fd, scratch.buffer, read, size - read, read);
      if (n === 0) break; // the file shrank since stat: hash and decode what is there
      read += n;
    }
    return scratch.buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}
