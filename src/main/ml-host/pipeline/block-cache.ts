// Stage 2 trains the backbone's upper part on the activations that enter it ("block inputs").
// They are computed once per (backbone, cut, augmentation seed, image, view) and kept on disk,
// one raw float16 file per view (7x7x320 halves = 31 KB for MobileNetV2 at Conv_1; float32 files
// of older versions are left alone and recomputed once as .f16), laid out as
// platform/block-files.ts says.
// Content-addressed, so a re-run (or a resumed run) computes nothing again; training reads rows
// back through a RowReader, so a large cache never has to fit in memory at once.
import * as tf from '@tensorflow/tfjs';
import { closeSync, openSync, readSync } from 'node:fs';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { blockFile, type BlockLocation } from '../../platform/block-files';

import { AppError } from '../../../shared/contract/errors';
import type { CropBox } from '../augment';
import { runInference } from '../backbone';
import { takeFloats } from '../backend/read';
import type { RowReader } from '../train/types';
import { decodeHalf, encodeHalf } from './float16';
import { readNormImage, reasonOf, type Rgb } from './images';
import { cropBatches, trainingBoxes, type InputSpec } from './views';

export type BlockItem = { contentHash: string; normPath: string; views: number };

export type BlockCacheOptions = BlockLocation & {
  spec: InputSpec;
  /** Shape of one block input without the batch dimension, e.g. [7, 7, 320]. */
  cutShape: number[];
  signal: AbortSignal;
  onProgress?: (done: number, total: number) => void;
};

const GROUP = 4;

/** Writes one block input as float16, atomically (a killed write leaves no half file behind). */
export async function writeBlockRow(file: string, values: Float32Array): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const row = encodeHalf(values);
  await writeFile(tmp, new Uint8Array(row.buffer, row.byteOffset, row.byteLength));
  await rename(tmp, file);
}

export async function hasFile(path: string, bytes: number): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile() && s.size === bytes,
    () => false,
  );
}

/**
 * Makes sure every view of every item has its block input on disk (computing the missing ones
 * with `lower`), then returns a reader over the rows in item order, then view order.
 * Images that cannot be read fail the call: training needs all of its rows.
 */
export async function ensureBlockInputs(
  lower: tf.LayersModel,
  items: readonly BlockItem[],
  o: BlockCacheOptions,
): Promise<{ reader: RowReader; files: string[]; computed: number }> {
  const rowFloats = o.cutShape.reduce((a, b) => a * b, 1);
  const rowBytes = rowFloats * 2;
  const files: string[] = [];
  const todo: { item: BlockItem; views: number[] }[] = [];
  for (const item of items) {
    const missing: number[] = [];
    for (let v = 0; v < item.views; v++) {
      const file = blockFile(o, item.contentHash, v);
      files.push(file);
      if (!(await hasFile(file, rowBytes))) missing.push(v);
    }
    if (missing.length > 0) todo.push({ item, views: missing });
  }

  let computed = 0;
  for (let i = 0; i < todo.length; i += GROUP) {
    if (o.signal.aborted) throw new AppError('CANCELLED', 'Stage 2 was cancelled.');
    const group = todo.slice(i, i + GROUP);
    const decoded: { rgb: Rgb; boxes: CropBox[]; item: BlockItem; views: number[] }[] = [];
    for (const t of group) {
      let rgb: Rgb;
      try {
        rgb = await readNormImage(t.item.normPath);
      } catch (error) {
        throw new AppError(
          'IO_ERROR',
          `Cannot read ${t.item.normPath} for stage 2: ${reasonOf(error)}`,
          { path: t.item.normPath },
        );
      }
      const all = trainingBoxes(
        o.spec,
        Math.max(...t.views) + 1,
        o.augmentSeed,
        t.item.contentHash,
      );
      decoded.push({ rgb, boxes: t.views.map((v) => all[v] as CropBox), ...t });
    }
    const values = await takeFloats(
      tf.tidy(() => runInference(lower, cropBatches(decoded, o.spec))),
    );
    let r = 0;
    for (const d of decoded) {
      for (const view of d.views) {
        const file = blockFile(o, d.item.contentHash, view);
        await writeBlockRow(file, values.subarray(r * rowFloats, (r + 1) * rowFloats));
        r++;
        computed++;
      }
    }
    o.onProgress?.(Math.min(i + GROUP, todo.length), todo.length);
  }

  const half = new Uint16Array(rowFloats);
  const bytes = new Uint8Array(half.buffer);
  const reader: RowReader = (indices, out) => {
    for (let k = 0; k < indices.length; k++) {
      const file = files[indices[k] as number];
      if (file === undefined) throw new AppError('INTERNAL', `No block row ${indices[k]}.`);
      const fd = openSync(file, 'r');
      try {
        const read = readSync(fd, bytes, 0, rowBytes, 0);
        if (read !== rowBytes) throw new AppError('IO_ERROR', `${file} is truncated.`);
      } finally {
        closeSync(fd);
      }
      decodeHalf(half, out, k * rowFloats);
    }
  };
  return { reader, files, computed };
}
