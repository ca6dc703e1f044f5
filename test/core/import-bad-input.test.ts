import assert from 'node:assert/strict';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it, type TestContext } from 'node:test';
import { crc32 } from 'node:zlib';
import type { ImportReport } from '../../src/shared/contract/library-types';
import { Sql } from '../../src/main/core/db/sql';
import { DEFAULT_MAX_IMAGE_PIXELS } from '../../src/main/core/db/migrations/001-library';
import { writeMaxImagePixels } from '../../src/main/core/repo/settings';
import { ImageRejected, renderImage } from '../../src/main/platform/image/render';
import {
  exifSamples,
  importAll,
  makeJpeg,
  needFixtures,
  openStudio,
  suiteCleanup,
  tempDir,
  type Studio,
} from './helpers';

/** A PNG that is only a header claiming width x height pixels (plus one empty data chunk). */
function pngHeaderOnly(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * Each case imports one bad input next to one good photo: the bad one must be skipped with a
 * clear reason, the good one imported, and no row may exist for the bad one.
 */
describe('import: bad input is skipped with a reason, nothing else is lost', () => {
  let studio: Studio;
  let seed = 10_000;
  const cleanup = suiteCleanup();
  before(async () => {
    studio = await openStudio(cleanup);
  });

  async function importWithGood(
    t: TestContext,
    bad: string | Buffer | ((dir: string) => Promise<string | Buffer> | string | Buffer),
    reason: RegExp,
  ): Promise<ImportReport> {
    const dir = tempDir(t, 'lp-bad-');
    const good = await makeJpeg(join(dir, 'good.jpg'), { seed: seed++ });
    const badPath = typeof bad === 'function' ? await bad(dir) : bad;
    const before = (await studio.client.call('library.stats', {})).images;
    const paths = typeof badPath === 'string' ? [good, badPath] : [dir];
    const { report } = await importAll(studio.client, { paths });
    assert.equal(
      report.imported,
      1,
      `the good photo is imported (${JSON.stringify(report.errors)})`,
    );
    assert.equal(report.skipped, 1);
    assert.equal(report.errors.length, 1);
    assert.match(report.errors[0]?.reason ?? '', reason);
    assert.equal((await studio.client.call('library.stats', {})).images, before + 1);
    if (typeof badPath === 'string') {
      assert.equal(report.errors[0]?.path, badPath);
      const rows = await studio.client.call('images.list', { search: badPath });
      assert.equal(rows.total, 0, 'no row for the bad file');
    }
    return report;
  }

  it('zero-byte file', async (t) => {
    await importWithGood(
      t,
      (dir) => {
        writeFileSync(join(dir, 'empty.jpg'), '');
        return join(dir, 'empty.jpg');
      },
      /^empty file \(0 bytes\)$/,
    );
  });

  it('a text file renamed .jpg', async (t) => {
    await importWithGood(
      t,
      (dir) => {
        writeFileSync(join(dir, 'notes.jpg'), 'Dear diary, today I took no photos.\n'.repeat(20));
        return join(dir, 'notes.jpg');
      },
      /^not an image/,
    );
  });

  it('a truncated JPEG (own file, cut in half)', async (t) => {
    await importWithGood(
      t,
      async (dir) => {
        const whole = readFileSync(
          await makeJpeg(join(dir, 'whole.tmp'), {
            seed: seed++,
            width: 400,
            height: 300,
            noise: true,
          }),
        );
        writeFileSync(join(dir, 'cut.jpg'), whole.subarray(0, Math.floor(whole.length / 2)));
        return join(dir, 'cut.jpg');
      },
      /^corrupt or truncated image data/,
    );
  });

  it('the truncated fixture exif-samples/jpg/corrupted.jpg', async (t) => {
    if (!needFixtures(t)) return;
    await importWithGood(
      t,
      join(exifSamples, 'jpg', 'corrupted.jpg'),
      /^corrupt or truncated image data \(/,
    );
  });

  it('the truncated fixture keeps its real reason while other photos decode beside it', async (t) => {
    // libvips has one error buffer per process; concurrent decodes used to wipe the message.
    if (!needFixtures(t)) return;
    const bad = readFileSync(join(exifSamples, 'jpg', 'corrupted.jpg'));
    const good = readFileSync(
      await makeJpeg(join(tempDir(t, 'lp-race-'), 'good.jpg'), {
        seed: seed++,
        width: 1600,
        height: 1200,
        noise: true,
      }),
    );
    for (let round = 0; round < 8; round++) {
      const [badResult, ...goodResults] = await Promise.allSettled([
        renderImage(bad, DEFAULT_MAX_IMAGE_PIXELS),
        ...Array.from({ length: 4 }, () => renderImage(good, DEFAULT_MAX_IMAGE_PIXELS)),
      ]);
      assert.equal(badResult?.status, 'rejected');
      assert.ok(badResult?.status === 'rejected' && badResult.reason instanceof ImageRejected);
      assert.match(
        (badResult.reason as Error).message,
        /^corrupt or truncated image data \(.*premature end of data segment\)$/,
      );
      assert.deepEqual(
        goodResults.map((result) => result.status),
        ['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled'],
      );
    }
  });

  it('a decompression bomb header (refused before decoding)', async (t) => {
    await importWithGood(
      t,
      (dir) => {
        writeFileSync(join(dir, 'bomb.png'), pngHeaderOnly(30_000, 30_000));
        return join(dir, 'bomb.png');
      },
      /^too large: 30000x30000 is 900 megapixels, above the 100 megapixel limit/,
    );
  });

  it('the pixel limit is a library setting', async (t) => {
    const sql = new Sql(studio.core.db());
    writeMaxImagePixels(sql, 1000);
    t.after(() => writeMaxImagePixels(sql, DEFAULT_MAX_IMAGE_PIXELS));
    const big = await makeJpeg(join(tempDir(t), 'wide.jpg'), {
      seed: seed++,
      width: 100,
      height: 20,
    });
    const { report } = await importAll(studio.client, { paths: [big] });
    assert.equal(report.imported, 0);
    assert.match(
      report.errors[0]?.reason ?? '',
      /^too large: 100x20 is 2000 pixels, above the 1000 pixel limit/,
    );
  });

  it('a missing path', async (t) => {
    await importWithGood(t, (dir) => join(dir, 'does-not-exist.jpg'), /^path does not exist$/);
  });

  it('a file name that is not valid UTF-8', async (t) => {
    const report = await importWithGood(
      t,
      async (dir) => {
        // Latin-1 "café" plus a stray byte: a name as old cameras and Windows shares produce.
        const bad = Buffer.concat([
          Buffer.from(`${dir}/caf`),
          Buffer.from([0xe9, 0xff]),
          Buffer.from('.jpg'),
        ]);
        const photo = await makeJpeg(join(tempDir(t), 'src.jpg'), { seed: seed++ });
        writeFileSync(bad, readFileSync(photo));
        return Buffer.from(dir);
      },
      /not valid UTF-8/,
    );
    assert.match(report.errors[0]?.path ?? '', /\/caf\\xe9\\xff\.jpg$/);
  });

  it('an unreadable file (chmod 000)', async (t) => {
    const dir = tempDir(t, 'lp-perm-');
    const probe = join(dir, 'probe');
    writeFileSync(probe, 'x');
    chmodSync(probe, 0o000);
    let readable = true;
    try {
      readFileSync(probe);
    } catch {
      readable = false;
    }
    if (readable) {
      t.skip('chmod 000 does not stop this user (root) from reading; case not testable here');
      return;
    }
    await importWithGood(
      t,
      async (d) => {
        const file = await makeJpeg(join(d, 'secret.jpg'), { seed: seed++ });
        chmodSync(file, 0o000);
        return file;
      },
      /^permission denied/,
    );
  });

  it('a non-image extension is an error when named, ignored inside a folder', async (t) => {
    const report = await importWithGood(
      t,
      (dir) => {
        writeFileSync(join(dir, 'readme.txt'), 'hello');
        return join(dir, 'readme.txt');
      },
      /^not an image/,
    );
    assert.equal(report.errors.length, 1);
    const dir = tempDir(t, 'lp-ignore-');
    writeFileSync(join(dir, 'readme.txt'), 'hello');
    await makeJpeg(join(dir, 'ok.jpg'), { seed: seed++ });
    const quiet = await importAll(studio.client, { paths: [dir] });
    assert.equal(quiet.report.imported, 1);
    assert.deepEqual(quiet.report.errors, []);
  });
});
