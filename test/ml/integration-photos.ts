// Shared by the ML integration tests: a separable three-"city" photo set made from the real
// sanity photos (cat, hot dog, parrot), each variant a distinct, seeded crop / rotation / colour
// change, and a library built from it through the contract.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { AppError } from '../../src/shared/contract/errors';
import type { Client } from '../../src/shared/contract/client';
import type { SplitSummary } from '../../src/shared/contract/library-types';
import { Prng } from '../../src/main/ml-host/train/prng';
import type { SharedFixtures } from '../helpers/shared-fixtures';

/** Each sanity photo stands for one city. */
export const CITIES = [
  { city: 'Paris', photo: 'cat_720p.jpg' },
  { city: 'Sydney', photo: 'hot_dog.jpg' },
  { city: 'London', photo: 'parrot.jpg' },
] as const;

export const isCode =
  (code: string) =>
  (e: unknown): boolean =>
    e instanceof AppError && e.code === code;

/**
 * A distinct photo from `source`: a random crop (55-90% of the shorter side), maybe mirrored, a
 * small rotation, brightness/saturation changes. Seeded, so the library is the same every run.
 */
async function variant(source: Buffer, seed: number): Promise<Buffer> {
  const prng = new Prng(seed);
  const meta = await sharp(source).metadata();
  const w = meta.width ?? 0;
  const h = meta.height ?? 0;
  const side = Math.round(Math.min(w, h) * (0.55 + 0.35 * prng.next()));
  const left = prng.int(w - side + 1);
  const top = prng.int(h - side + 1);
  let image = sharp(source)
    .extract({ left, top, width: side, height: side })
    .rotate(Math.round((prng.next() - 0.5) * 16), { background: '#808080' })
    .modulate({ brightness: 0.8 + 0.4 * prng.next(), saturation: 0.7 + 0.6 * prng.next() });
  if (prng.next() < 0.5) image = image.flop();
  return image.resize(320, 320, { fit: 'cover' }).jpeg({ quality: 88 }).toBuffer();
}

/** `<root>/<City>/<city>-<i>.jpg`, `perCity` variants per city; returns the files. */
export async function photoTree(
  shared: SharedFixtures,
  root: string,
  perCity: number,
  seedBase: number,
): Promise<string[]> {
  const files: string[] = [];
  for (const [c, { city, photo }] of CITIES.entries()) {
    const source = await readFile(join(shared.sanityDir, photo));
    await mkdir(join(root, city), { recursive: true });
    for (let i = 0; i < perCity; i++) {
      const file = join(root, city, `${city.toLowerCase()}-${i}.jpg`);
      await writeFile(file, await variant(source, seedBase + c * 1000 + i));
      files.push(file);
    }
  }
  return files;
}

/**
 * Imports the shared MobileNetV2 as backbone 'mnv2', a `perCity` x 3 photo library (labelled by
 * folder) and assigns 60/20/20 splits.
 */
export async function threeCityLibrary(
  client: Client,
  shared: SharedFixtures,
  work: string,
  perCity: number,
): Promise<SplitSummary> {
  await client.runJob('backbones.import', { path: shared.mobilenetV2Tflite, name: 'mnv2' });
  await photoTree(shared, join(work, 'photos'), perCity, 1);
  await client.runJob('import.start', { paths: [join(work, 'photos')] });
  return client.call('split.assign', { train: 0.6, val: 0.2, test: 0.2, seed: 3 });
}
