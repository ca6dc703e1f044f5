// Where stage 2's cached block inputs live on disk. The ML host writes and reads them; the core
// looks for them before a feature pass, so a run whose block inputs are all cached starts no
// process for them. One raw float16 file per (backbone, cut, augmentation seed, image, view):
//   <blocksDir>/<backbone>-<sha256 12>/<layer>/seed<seed>/<hash 2>/<content hash>-v<view>.f16
import { join } from 'node:path';

/** What names a block input's file. */
export type BlockLocation = {
  blocksDir: string;
  backbone: { name: string; sha256: string };
  layer: string;
  augmentSeed: number;
};

function safeSegment(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]/g, '_');
}

export function blockFile(o: BlockLocation, contentHash: string, view: number): string {
  return join(
    o.blocksDir,
    `${safeSegment(o.backbone.name)}-${o.backbone.sha256.slice(0, 12)}`,
    safeSegment(o.layer),
    `seed${o.augmentSeed}`,
    contentHash.slice(0, 2),
    `${contentHash}-v${view}.f16`,
  );
}
