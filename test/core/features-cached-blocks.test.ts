// Before a feature pass for a stage-2 run, the core drops the block inputs already on disk (and the
// photos then left with nothing to do), so a run whose block inputs are all cached starts no
// extraction for them; missing feature rows still go out.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { withoutCachedBlocks } from '../../src/main/core/ml-jobs/features-job';
import { blockFile, type BlockLocation } from '../../src/main/platform/block-files';

const hash = (c: string): string => c.repeat(64);

void describe('block inputs already cached', () => {
  let dir = '';
  let location: BlockLocation;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lp-cached-blocks-'));
    location = {
      blocksDir: dir,
      backbone: { name: 'mnv2', sha256: 'f'.repeat(64) },
      layer: 'expanded_conv_16_expand',
      augmentSeed: 1,
    };
    // Photo a: every view cached; photo b: views 0 and 2 of 3; photo c: none.
    for (const [c, view] of [
      ['a', 0],
      ['a', 1],
      ['b', 0],
      ['b', 2],
    ] as const) {
      const file = blockFile(location, hash(c), view);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, Buffer.alloc(8));
    }
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  void it('keeps only the missing block views, and photos with features or blocks to compute', async () => {
    const item = (id: number, c: string, views: number[], blockViews?: number[]) => ({
      imageId: id,
      contentHash: hash(c),
      normPath: `/norm/${c}.jpg`,
      views,
      ...(blockViews === undefined ? {} : { blockViews }),
    });
    const left = await withoutCachedBlocks(
      [
        item(1, 'a', [], [0, 1]),
        item(2, 'a', [1], [0, 1]),
        item(3, 'b', [], [0, 1, 2]),
        item(4, 'c', [], [0]),
        item(5, 'd', [0]),
      ],
      location,
    );
    assert.deepEqual(left, [
      item(2, 'a', [1]),
      item(3, 'b', [], [1]),
      item(4, 'c', [], [0]),
      item(5, 'd', [0]),
    ]);
    const elsewhere = { ...location, layer: 'Conv_1' };
    assert.equal(
      (await withoutCachedBlocks([item(1, 'a', [], [0, 1])], elsewhere)).length,
      1,
      'another cut has its own files',
    );
  });
});
