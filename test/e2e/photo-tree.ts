import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';

/** The shared sanity photos (real camera JPEGs), read in place when the fixtures are present. */
export const SANITY_DIR = join(__dirname, '../../../shared/fixtures/sanity');
const SANITY_PHOTOS = ['cat_720p.jpg', 'hot_dog.jpg', 'parrot.jpg'];

export type PhotoTree = {
  root: string;
  /** City folder name → photos written in it (folder names match the paper's cities). */
  cities: Record<string, string[]>;
  /** Photos in a folder named after no city: imported unlabeled. */
  unlabeled: string[];
  /** A byte-identical copy of the first Paris photo. */
  duplicate: string;
  /** A file named .jpg that holds text: the import reports it as a per-file error. */
  broken: string;
  /** A non-image file the import skips. */
  notes: string;
  /** How many distinct photos the tree holds (what an import of `root` should add). */
  distinct: number;
  /** How many of them sit in a city folder (what the import should label). */
  labeled: number;
};

/** A street-photo-sized JPEG with its own colours, so every file has different pixels. */
async function writePhoto(path: string, seed: number): Promise<void> {
  const hue = (seed * 67) % 360;
  const [r, g, b] = [hue, (hue + 120) % 360, (hue + 240) % 360].map((h) =>
    Math.round(128 + 100 * Math.sin((h * Math.PI) / 180)),
  ) as [number, number, number];
  const stripe = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="240">` +
      `<rect x="${(seed * 37) % 260}" y="0" width="60" height="240" fill="rgb(${b},${r},${g})"/>` +
      `<circle cx="${40 + ((seed * 53) % 240)}" cy="120" r="${20 + (seed % 5) * 8}" fill="rgb(${g},${b},${r})"/>` +
      `</svg>`,
  );
  await sharp({ create: { width: 320, height: 240, channels: 3, background: { r, g, b } } })
    .composite([{ input: stripe }])
    .jpeg({ quality: 85 })
    .toFile(path);
}

/**
 * Writes a folder-per-city tree under `root`: Paris (3), London (2), Sydney (1), plus `unsorted/`
 * with two generated photos, the shared sanity photos when present, a duplicate, a broken file
 * and a text file.
 */
export async function makePhotoTree(root: string): Promise<PhotoTree> {
  const layout: Record<string, number> = { Paris: 3, London: 2, Sydney: 1 };
  const cities: Record<string, string[]> = {};
  let seed = 1;
  for (const [city, n] of Object.entries(layout)) {
    mkdirSync(join(root, city), { recursive: true });
    cities[city] = [];
    for (let i = 0; i < n; i += 1) {
      const path = join(root, city, `${city.toLowerCase()}-${i + 1}.jpg`);
      await writePhoto(path, seed++);
      cities[city].push(path);
    }
  }
  const unsorted = join(root, 'unsorted');
  mkdirSync(unsorted, { recursive: true });
  const unlabeled: string[] = [];
  for (let i = 0; i < 2; i += 1) {
    const path = join(unsorted, `street-${i + 1}.jpg`);
    await writePhoto(path, seed++);
    unlabeled.push(path);
  }
  for (const name of SANITY_PHOTOS) {
    const from = join(SANITY_DIR, name);
    if (!existsSync(from)) continue;
    const to = join(unsorted, name);
    copyFileSync(from, to);
    unlabeled.push(to);
  }
  const firstParis = cities.Paris?.[0];
  if (firstParis === undefined) throw new Error('photo tree: no Paris photo');
  const duplicate = join(unsorted, 'paris-copy.jpg');
  copyFileSync(firstParis, duplicate);
  const broken = join(unsorted, 'broken.jpg');
  writeFileSync(broken, 'this is not a JPEG, just text with a .jpg name\n');
  const notes = join(root, 'notes.txt');
  writeFileSync(notes, 'field notes\n');
  const labeled = Object.values(cities).reduce((n, list) => n + list.length, 0);
  return {
    root,
    cities,
    unlabeled,
    duplicate,
    broken,
    notes,
    distinct: labeled + unlabeled.length,
    labeled,
  };
}

/** `n` tiny distinct JPEGs named m0.jpg … m<n-1>.jpg in `dir`, for paging through a big grid. */
export async function makeManyPhotos(dir: string, n: number): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const paths: string[] = [];
  for (let i = 0; i < n; i += 1) {
    const path = join(dir, `m${i}.jpg`);
    const background = { r: i % 256, g: (i * 7) % 256, b: (i * 13) % 256 };
    await sharp({ create: { width: 48, height: 32, channels: 3, background } })
      .jpeg()
      .toFile(path);
    paths.push(path);
  }
  return paths;
}
