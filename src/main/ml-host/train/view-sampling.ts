// Stage 2 trains on one cached view (augmented crop) of each photo per epoch, a different one each
// epoch, instead of every view every epoch as stage 1 does. A stage-1 step on a cached feature row
// costs microseconds, so stage 1 affords all views; a stage-2 step runs the fine-tuned blocks
// forward and backward (tens of milliseconds per row on two cores), and a pass over every view of
// 9,000 photos would cost four times as long for crops of the same photos. Sampling keeps the
// augmentation (every view is seen across epochs) at a quarter of the cost per epoch. The choice
// depends only on (seed, epoch, photo), so a resumed run sees the same views as an uninterrupted
// one.
import type { RowReader } from './types';

/** The view (0..views-1) of `photo` that epoch `epoch` trains on; epoch 0 means the centre view. */
export function viewOf(seed: number, epoch: number, photo: number, views: number): number {
  if (epoch === 0 || views <= 1) return 0;
  // A 32-bit integer hash (murmur3's finaliser) of the three numbers.
  let h = (seed ^ Math.imul(epoch, 0x9e3779b1) ^ Math.imul(photo + 1, 0x85ebca6b)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return (h >>> 0) % views;
}

/**
 * A reader over photos (row i = photo i) from `reader` over their views (row photo * views + v):
 * a training batch reads each photo's view of the epoch; a read without an epoch (evaluation)
 * reads the centre view.
 */
export function oneViewPerEpoch(reader: RowReader, views: number, seed: number): RowReader {
  if (views <= 1) return reader;
  return (indices, out, epoch) => {
    const rows = Int32Array.from(
      indices,
      (photo) => photo * views + viewOf(seed, epoch ?? 0, photo, views),
    );
    reader(rows, out);
  };
}
