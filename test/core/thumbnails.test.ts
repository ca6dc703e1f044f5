// Thumbnails are made from the norm image the first time they are asked for, written atomically,
// and missing or damaged norm images give no thumbnail rather than an error page.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import sharp from 'sharp';
import { assetFile, libraryPaths } from '../../src/main/core/paths';
import { Thumbnails, thumbnailFromNorm } from '../../src/main/core/thumbnails';
import { importAll, makeJpeg, openStudio, suiteCleanup, tempDir, type Studio } from './helpers';

describe('thumbnails made on demand', () => {
  let studio: Studio;
  const cleanup = suiteCleanup();
  before(async () => {
    studio = await openStudio(cleanup);
  });

  async function importOne(
    t: Parameters<typeof tempDir>[0],
    seed: number,
  ): Promise<{ id: number; hash: string }> {
    const dir = tempDir(t, 'lp-thumb-');
    const file = await makeJpeg(join(dir, `photo-${seed}.jpg`), { seed, width: 640, height: 360 });
    await importAll(studio.client, { paths: [file] });
    const page = await studio.client.call('images.list', { search: file });
    const id = page.items[0]!.id;
    const detail = await studio.client.call('images.get', { id });
    return { id, hash: detail.contentHash };
  }

  it('the first request makes a 128x128 thumbnail from the norm image; later ones reuse it', async (t) => {
    const { id, hash } = await importOne(t, 501);
    const cacheDir = join(studio.dir, 'cache');
    const target = assetFile(cacheDir, 'thumb', hash);
    assert.equal(existsSync(target), false, 'nothing made at import');
    const made = await studio.core.assetPath('thumb', id);
    assert.equal(made, target);
    const meta = await sharp(target).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 128, 128]);
    const expected = await thumbnailFromNorm(
      await sharp(assetFile(cacheDir, 'norm', hash)).toBuffer(),
    );
    assert.ok(readFileSync(target).equals(expected), 'the norm image, halved and encoded');
    // Only the finished file is left: the temporary one was renamed into place.
    assert.deepEqual(readdirSync(join(cacheDir, 'tmp')), []);
    const madeAt = statSync(target).mtimeMs;
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(await studio.core.assetPath('thumb', id), target);
    assert.equal(statSync(target).mtimeMs, madeAt, 'served from the cache, not made again');
  });

  it('no norm image, or a damaged one: no thumbnail, nothing written', async (t) => {
    const { id, hash } = await importOne(t, 502);
    const paths = libraryPaths(studio.dir);
    const norm = assetFile(paths.cacheDir, 'norm', hash);
    writeFileSync(norm, Buffer.from('not a jpeg at all'));
    assert.equal(await studio.core.assetPath('thumb', id), null);
    rmSync(norm);
    assert.equal(await studio.core.assetPath('thumb', id), null);
    assert.equal(existsSync(assetFile(paths.cacheDir, 'thumb', hash)), false);
    // The Thumbnails object alone behaves the same for an unknown hash.
    assert.equal(await new Thumbnails(paths).file('0'.repeat(64)), null);
  });
});
