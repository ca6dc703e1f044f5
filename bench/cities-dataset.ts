/**
 * Labelled photo sets for the ml-cities harness: a folder per city given on the command line, the
 * proxies made here when none is ('sanity': variants of the shared sanity photos, three "cities";
 * 'synthetic': two classes of generated textures that overlap), or ../shared/datasets.
 */
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import sharp from 'sharp';
import { PAPER_CITIES } from '../src/shared/domain/cities';
import { mulberry32 } from '../src/shared/domain/random';

const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp', '.heic', '.heif', '.tif']);
const squash = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');

export type CityFolder = {
  /** The folder's city: a paper city when the name means one, else the folder name itself. */
  city: string;
  /** Centre for cities.add when the city is not one of the paper's (unknown: 0, 0). */
  files: string[];
};
export type Dataset = { dir: string; label: string; cities: CityFolder[]; ignored: string[] };

function subdirs(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((n) => !n.startsWith('.'))
      .map((n) => join(dir, n))
      .filter((p) => statSync(p).isDirectory())
      .sort();
  } catch {
    return [];
  }
}

function imagesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => IMAGE_EXTENSIONS.has(extname(n).toLowerCase()))
    .sort()
    .map((n) => join(dir, n));
}

/** The paper city a folder name means ('new_york', 'NewYork', 'rio' …), or null. */
export function cityForFolder(folder: string): string | null {
  const key = squash(folder);
  if (key === '') return null;
  const exact = PAPER_CITIES.find((c) => squash(c.name) === key);
  if (exact !== undefined) return exact.name;
  const prefix = PAPER_CITIES.filter((c) => squash(c.name).startsWith(key) && key.length >= 3);
  return prefix.length === 1 ? (prefix[0]?.name ?? null) : null;
}

/**
 * A folder whose sub-folders hold photos, one sub-folder per city (at least two). Names that mean
 * a paper city become that city; any other name is a city of its own.
 */
export function asDataset(dir: string, label = dir): Dataset | null {
  const cities: CityFolder[] = [];
  const ignored: string[] = [];
  for (const sub of subdirs(dir)) {
    const name = sub.slice(dir.length + 1);
    const files = imagesIn(sub);
    if (files.length === 0) ignored.push(name);
    else cities.push({ city: cityForFolder(name) ?? name.trim(), files });
  }
  return cities.length >= 2 ? { dir, label, cities, ignored } : null;
}

/** `root` itself, else its first sub-folder that is a dataset. */
export function findDataset(root: string): Dataset | null {
  return (
    asDataset(root) ??
    subdirs(root)
      .map((d) => asDataset(d))
      .find((d) => d !== null) ??
    null
  );
}

const SANITY_CITIES = { Paris: 'cat_720p.jpg', London: 'hot_dog.jpg', Sydney: 'parrot.jpg' };

/**
 * The 'sanity' proxy: `perCity` variants (random crops 45-90% of the side, mirror, brightness and
 * hue shifts, blur) of each shared sanity photo, one photo per "city". Separable by design: it
 * checks the harness end to end, not which configuration wins on street photos.
 */
export async function sanitySet(sanityDir: string, perCity: number): Promise<Dataset> {
  const dir = join(tmpdir(), `littleplanet-bench-cities-sanity-v1-${perCity}`);
  const cities: CityFolder[] = [];
  for (const [city, file] of Object.entries(SANITY_CITIES)) {
    const src = join(sanityDir, file);
    const { width = 640, height = 480 } = await sharp(src).metadata();
    mkdirSync(join(dir, city), { recursive: true });
    const rnd = mulberry32(squash(city).length * 7919 + perCity);
    const files: string[] = [];
    for (let i = 0; i < perCity; i++) {
      const out = join(dir, city, `${city}-${String(i).padStart(4, '0')}.jpg`);
      files.push(out);
      const scale = 0.45 + 0.45 * rnd();
      const w = Math.round(width * scale);
      const h = Math.round(height * scale);
      const left = Math.floor(rnd() * (width - w));
      const top = Math.floor(rnd() * (height - h));
      const brightness = 0.6 + 0.8 * rnd();
      const hue = Math.round(rnd() * 120 - 60);
      const mirror = rnd() < 0.5;
      const blur = rnd() < 0.3 ? 0.5 + 2 * rnd() : 0;
      if (existsSync(out)) continue;
      let img = sharp(src)
        .extract({ left, top, width: w, height: h })
        .modulate({ brightness, hue });
      if (mirror) img = img.flop();
      if (blur > 0) img = img.blur(blur);
      await img.jpeg({ quality: 85 }).toFile(out);
    }
    cities.push({ city, files });
  }
  return { dir, label: 'sanity (generated from ../shared/fixtures/sanity)', cities, ignored: [] };
}

/**
 * The 'synthetic' proxy: two "cities" of 320x240 textures. Both draw stripes at a random angle,
 * colours, noise and blobs; Paris's stripes lean towards horizontal and are a little finer, Sydney's
 * towards vertical and coarser, with overlapping ranges, so accuracy is below 100% and
 * configurations can differ.
 */
export async function syntheticSet(perCity: number): Promise<Dataset> {
  const dir = join(tmpdir(), `littleplanet-bench-cities-synthetic-v1-${perCity}`);
  const w = 320;
  const h = 240;
  const cities: CityFolder[] = [];
  for (const [c, city] of ['Paris', 'Sydney'].entries()) {
    mkdirSync(join(dir, city), { recursive: true });
    const files: string[] = [];
    for (let i = 0; i < perCity; i++) {
      const out = join(dir, city, `${city}-${String(i).padStart(4, '0')}.jpg`);
      files.push(out);
      if (existsSync(out)) continue;
      const rnd = mulberry32(100_003 * (c + 1) + i);
      // Angle: Paris centred on 0 (horizontal), Sydney on 90°, each ±60°: they overlap.
      const angle = ((c === 0 ? 0 : 90) + (rnd() - 0.5) * 120) * (Math.PI / 180);
      const period = (c === 0 ? 10 : 14) + rnd() * 12;
      const [r0, g0, b0] = [rnd() * 200, rnd() * 200, rnd() * 200];
      const blobs = Array.from({ length: 4 }, () => [rnd() * w, rnd() * h, 20 + rnd() * 40]);
      const px = Buffer.alloc(w * h * 3);
      const ca = Math.cos(angle);
      const sa = Math.sin(angle);
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const t = Math.sin(((x * sa + y * ca) / period) * 2 * Math.PI);
          let blob = 0;
          for (const [bx, by, br] of blobs) {
            if ((x - bx!) ** 2 + (y - by!) ** 2 < br! ** 2) blob = 50;
          }
          const n = (rnd() - 0.5) * 90;
          const i3 = (y * w + x) * 3;
          px[i3] = r0 + 40 * t + n + blob;
          px[i3 + 1] = g0 + 40 * t + n - blob;
          px[i3 + 2] = b0 - 30 * t + n;
        }
      }
      await sharp(px, { raw: { width: w, height: h, channels: 3 } })
        .jpeg({ quality: 85 })
        .toFile(out);
    }
    cities.push({ city, files });
  }
  return {
    dir,
    label: 'synthetic (generated textures, two overlapping classes)',
    cities,
    ignored: [],
  };
}
