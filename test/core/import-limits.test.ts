// Bounded reads in the import (#14): the size is checked before a byte is read (a library setting,
// default 256 MB), the header before the body, and a lane's buffer shrinks back after a large
// file. Sparse files stand in for huge ones, so the test allocates nothing like their size.
import assert from 'node:assert/strict';
import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it, type TestContext } from 'node:test';
import type { ImportReport } from '../../src/shared/contract/library-types';
import { DEFAULT_MAX_FILE_BYTES, MAX_CSV_BYTES } from '../../src/shared/contract/limits';
import { readCapped } from '../../src/main/core/collect/http';
import { firstInvalidUtf8Line, readTextFile } from '../../src/main/core/csv/read-text-file';
import { Sql } from '../../src/main/core/db/sql';
import { writeMaxFileBytes } from '../../src/main/core/repo/settings';
import { SCRATCH_KEEP_BYTES, shrinkScratch } from '../../src/main/core/import/read-scratch';
import { importAll, makeJpeg, openStudio, suiteCleanup, tempDir, type Studio } from './helpers';

const MB = 1024 * 1024;

/** Runs `work` while sampling the process's resident memory; returns its peak growth in MB. */
async function peakGrowthMb<T>(work: () => Promise<T>): Promise<{ value: T; growthMb: number }> {
  const start = process.memoryUsage.rss();
  let peak = start;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 2);
  try {
    const value = await work();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { value, growthMb: (peak - start) / MB };
  } finally {
    clearInterval(timer);
  }
}

describe('import: reads are bounded', () => {
  let studio: Studio;
  const cleanup = suiteCleanup();
  before(async () => {
    studio = await openStudio(cleanup);
  });

  /** Imports `bad` beside one good photo; returns the report and the memory it took. */
  async function importBeside(t: TestContext, bad: (dir: string) => string) {
    const dir = tempDir(t, 'lp-limits-');
    await makeJpeg(join(dir, 'good.jpg'), { seed: 77 + Math.floor(Math.random() * 1e6) });
    const badPath = bad(dir);
    const { value, growthMb } = await peakGrowthMb(() =>
      importAll(studio.client, { paths: [dir] }),
    );
    const report: ImportReport = value.report;
    assert.equal(report.imported, 1, JSON.stringify(report.errors));
    assert.deepEqual(
      report.errors.map((e) => e.path),
      [badPath],
    );
    return { reason: report.errors[0]?.reason ?? '', growthMb };
  }

  it('a 1 GiB file is refused by its size, unread (the audit)', async (t) => {
    const { reason, growthMb } = await importBeside(t, (dir) => {
      const path = join(dir, 'huge.jpg');
      writeFileSync(path, Buffer.from([0xff, 0xd8, 0xff, 0xe0]));
      truncateSync(path, 1024 * MB); // sparse: no disk, no memory
      return path;
    });
    assert.equal(reason, 'too large (1024 MB; the limit is 256 MB)');
    assert.equal(DEFAULT_MAX_FILE_BYTES, 256 * MB);
    assert.ok(growthMb < 200, `the import grew by ${growthMb.toFixed(0)} MB`);
  });

  it('the limit is a library setting', async (t) => {
    const sql = new Sql(studio.core.db());
    writeMaxFileBytes(sql, MB);
    t.after(() => writeMaxFileBytes(sql, DEFAULT_MAX_FILE_BYTES));
    const { reason } = await importBeside(t, (dir) => {
      const path = join(dir, 'big.png');
      writeFileSync(path, Buffer.alloc(1.5 * MB, 1));
      return path;
    });
    assert.equal(reason, 'too large (1.5 MB; the limit is 1 MB)');
  });

  it('a large file that is not an image is refused after its header, not its body', async (t) => {
    const { reason, growthMb } = await importBeside(t, (dir) => {
      const path = join(dir, 'video.jpg');
      writeFileSync(path, 'not a photo at all');
      truncateSync(path, 240 * MB);
      return path;
    });
    assert.match(reason, /^not an image/);
    assert.ok(growthMb < 120, `the import grew by ${growthMb.toFixed(0)} MB`);
  });

  it('a manifest with invalid UTF-8 is an error naming its line; a huge one is refused unread', async (t) => {
    const dir = tempDir(t, 'lp-manifest-');
    const photo = await makeJpeg(join(dir, 'café.jpg'), { seed: 4242 });
    const csv = join(dir, 'manifest.csv');
    // Line 3 is Latin-1 ("café" as one byte 0xE9): it used to become "caf\uFFFD" silently.
    writeFileSync(
      csv,
      Buffer.concat([
        Buffer.from(`path,city\n${photo},Paris\n`),
        Buffer.from('caf\xe9.jpg,Paris\n', 'latin1'),
      ]),
    );
    const bad = await importAll(studio.client, { csv });
    assert.equal(bad.report.imported, 0);
    assert.deepEqual(bad.report.errors, [
      {
        path: `${csv}:3`,
        reason: 'cannot read the manifest: line 3 is not valid UTF-8 (save the file as UTF-8)',
      },
    ]);

    const huge = join(dir, 'huge.csv');
    writeFileSync(huge, `path,city\n${photo},Paris\n`);
    truncateSync(huge, MAX_CSV_BYTES + 10 * MB);
    const { value, growthMb } = await peakGrowthMb(() => importAll(studio.client, { csv: huge }));
    assert.deepEqual(value.report.errors, [
      { path: huge, reason: 'cannot read the manifest: too large (60 MB; the limit is 50 MB)' },
    ]);
    assert.ok(growthMb < 40, `the import grew by ${growthMb.toFixed(0)} MB`);
  });

  it('study trials from a file: the same size check and strict UTF-8', async (t) => {
    const dir = tempDir(t, 'lp-trials-');
    const file = join(dir, 'trials.csv');
    writeFileSync(file, Buffer.from('participant,image\nP1,/a.jpg\nP2,\xff\n', 'latin1'));
    await assert.rejects(readTextFile(file, MAX_CSV_BYTES), {
      message: 'line 3 is not valid UTF-8 (save the file as UTF-8)',
      line: 3,
    });
    truncateSync(file, MAX_CSV_BYTES + 1);
    await assert.rejects(readTextFile(file, MAX_CSV_BYTES), {
      message: 'too large (50 MB; the limit is 50 MB)',
    });
    assert.equal(firstInvalidUtf8Line(Buffer.from('a\n\u00e9\n\u{1f600}\n')), null);
  });

  it('a collector response is cut off once it passes the cap, whatever its length header says', async () => {
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 64 * 1024;
        controller.enqueue(new Uint8Array(64 * 1024));
      },
    });
    await assert.rejects(
      readCapped(new Response(endless), MB, (n) => new Error(`sent ${n} bytes`)),
      /sent 1114112 bytes/,
    );
    assert.ok(pulled < 2 * MB, `${pulled} bytes were read`);
    const small = await readCapped(new Response('hello'), MB, () => new Error('no'));
    assert.equal(small.toString(), 'hello');
  });

  it("a lane's buffer grown for a large file is let go afterwards", () => {
    const small = { buffer: Buffer.alloc(SCRATCH_KEEP_BYTES) };
    shrinkScratch(small);
    assert.equal(small.buffer.length, SCRATCH_KEEP_BYTES, 'a typical buffer is kept');
    const grown = { buffer: Buffer.allocUnsafe(SCRATCH_KEEP_BYTES + 1) };
    shrinkScratch(grown);
    assert.equal(grown.buffer.length, 0);
  });
});
