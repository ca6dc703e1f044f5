import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, type TestContext } from 'node:test';
import sharp from 'sharp';
import { createClient, type Client } from '../../src/shared/contract/client';
import type { AppEvent, JobEvent } from '../../src/shared/contract/job-types';
import type { ImportReport } from '../../src/shared/contract/library-types';
import { skipOutsideCi } from '../helpers/ci';
import { inProcessTransport } from '../../src/main/core/in-process-transport';
import { StudioCore } from '../../src/main/core/studio-core';

export const repoRoot = resolve(__dirname, '..', '..');
/** The read-only shared fixtures live next to the repository, never inside it. */
export const sharedDir = resolve(repoRoot, '..', 'shared');
export const exifSamples = join(sharedDir, 'fixtures', 'exif-samples');
export const sanityDir = join(sharedDir, 'fixtures', 'sanity');
export const fixturesPresent = existsSync(exifSamples);
export const FIXTURES_ABSENT = `${join(sharedDir, 'fixtures')} absent`;

/** Registers clean-up: a test's `t.after`, or node:test's `after` inside a suite. */
export type Cleanup =
  { after(fn: () => void | Promise<void>): void } | ((fn: () => void | Promise<void>) => void);

/**
 * Clean-up for state shared by a describe() block: call it in the suite body (not in a hook, where
 * node:test would run `after` as soon as the hook ends); everything registered runs after the suite.
 */
export function suiteCleanup(): Cleanup {
  const fns: (() => void | Promise<void>)[] = [];
  after(async () => {
    for (const fn of fns.reverse()) await fn();
  });
  return (fn) => {
    fns.push(fn);
  };
}

function onCleanup(cleanup: Cleanup, fn: () => void | Promise<void>): void {
  if (typeof cleanup === 'function') cleanup(fn);
  else cleanup.after(fn);
}

/** A fresh temp folder, removed after the test (or suite) that made it. */
export function tempDir(cleanup: Cleanup, prefix = 'lp-core-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onCleanup(cleanup, () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export type Studio = { core: StudioCore; client: Client; dir: string; events: AppEvent[] };

/** A StudioCore with a new library open in a temp folder, closed after the test/suite. */
export async function openStudio(cleanup: Cleanup): Promise<Studio> {
  const dir = mkdtempSync(join(tmpdir(), 'lp-lib-'));
  const core = new StudioCore({ version: '0.0.0-test' });
  const events: AppEvent[] = [];
  core.subscribe((e) => events.push(e));
  const client = createClient(inProcessTransport(core));
  await client.call('library.open', { dir, create: true });
  onCleanup(cleanup, async () => {
    await core.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { core, client, dir, events };
}

/** Runs an import to the end and returns its report (and every event it sent). */
export async function importAll(
  client: Client,
  params: { paths?: string[]; csv?: string | null },
): Promise<{ report: ImportReport; events: JobEvent[] }> {
  const events: JobEvent[] = [];
  const report = await client.runJob('import.start', params, (e) => events.push(e));
  return { report, events };
}

/** Degrees to the EXIF "d/1 m/1 s/1000" rational triple. */
function dms(value: number): string {
  const abs = Math.abs(value);
  const d = Math.floor(abs);
  const m = Math.floor((abs - d) * 60);
  const s = (abs - d - m / 60) * 3600;
  return `${d}/1 ${m}/1 ${Math.round(s * 1000)}/1000`;
}

export type PhotoOptions = {
  width?: number;
  height?: number;
  /** Distinct seeds give distinct bytes (no accidental duplicates). */
  seed: number;
  gps?: { lat: number; lon: number };
  /** Add pixel noise so decoding takes realistic time (for cancel/kill tests). */
  noise?: boolean;
};

/** A real JPEG made with sharp, optionally with EXIF GPS written by sharp's withExif. */
export async function makeJpeg(path: string, options: PhotoOptions): Promise<string> {
  const width = options.width ?? 96;
  const height = options.height ?? 64;
  const s = options.seed;
  const background = { r: s % 256, g: (s * 37) % 256, b: Math.floor(s / 256) % 256 };
  let image = sharp({
    create: {
      width,
      height,
      channels: 3,
      background,
      ...(options.noise === true ? { noise: { type: 'gaussian', mean: 128, sigma: 40 } } : {}),
    },
  });
  if (options.noise === true) {
    // Noise alone would ignore the seed; a seeded tint keeps images distinct and reproducible.
    image = sharp(await image.png().toBuffer()).tint(background);
  }
  let jpeg = image.jpeg({ quality: 85 });
  if (options.gps !== undefined) {
    const { lat, lon } = options.gps;
    jpeg = jpeg.withExif({
      IFD2: { DateTimeOriginal: '2021:06:01 12:00:00' },
      IFD3: {
        GPSLatitudeRef: lat >= 0 ? 'N' : 'S',
        GPSLatitude: dms(lat),
        GPSLongitudeRef: lon >= 0 ? 'E' : 'W',
        GPSLongitude: dms(lon),
      },
    });
  }
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, await jpeg.toBuffer());
  return path;
}

/** Skips the test with the standard message when the shared fixtures are not there (CI: fails). */
export function needFixtures(t: TestContext): boolean {
  if (fixturesPresent) return true;
  t.skip(skipOutsideCi(FIXTURES_ABSENT));
  return false;
}

/**
 * `count` different photos that each cost a full 1024x768 decode, made quickly: one noisy JPEG
 * copied with a distinct tail after its end marker (decoders ignore it; the hash sees it).
 */
export async function makeDistinctCopies(
  dir: string,
  count: number,
  name: (i: number) => string = (i) => `copy-${i}.jpg`,
): Promise<string[]> {
  const base = await sharp({
    create: {
      width: 1024,
      height: 768,
      channels: 3,
      background: '#456',
      noise: { type: 'gaussian', mean: 128, sigma: 40 },
    },
  })
    .jpeg({ quality: 85 })
    .toBuffer();
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const path = join(dir, name(i));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, Buffer.concat([base, Buffer.from(`copy-${i}`)]));
    paths.push(path);
  }
  return paths;
}

export type FakeImage = {
  path: string;
  city?: string | null;
  source?: 'folder' | 'csv' | 'gps' | 'human' | 'model';
  lat?: number | null;
  lon?: number | null;
};

/**
 * Inserts image rows (and their labels) straight into the open library, for tests of listing,
 * stats and splits that need many images but no pixels. Content hashes derive from the path.
 */
export function insertImages(core: StudioCore, images: readonly FakeImage[]): number[] {
  const db = core.db();
  const cityId = db.prepare('SELECT id FROM cities WHERE name = ?').pluck();
  const insert = db.prepare(
    `INSERT INTO images (path, content_hash, bytes, mtime_ms, width, height, format, source,
                         imported_at, lat, lon, city_id, label_source)
     VALUES (?, ?, 1000, 0, 640, 480, 'jpeg', 'test', '2024-01-01T00:00:00Z', ?, ?, ?, ?)`,
  );
  const label = db.prepare(
    `INSERT INTO labels (image_id, city_id, source, created_at) VALUES (?, ?, ?, '2024-01-01T00:00:00Z')`,
  );
  return db.transaction(() =>
    images.map((image) => {
      const city = image.city == null ? null : (cityId.get(image.city) as number | undefined);
      if (image.city != null && city === undefined) throw new Error(`no city ${image.city}`);
      const source = city === null ? null : (image.source ?? 'folder');
      const hash = createHash('sha256').update(image.path).digest('hex');
      const id = Number(
        insert.run(image.path, hash, image.lat ?? null, image.lon ?? null, city, source)
          .lastInsertRowid,
      );
      if (city !== null) label.run(id, city, source);
      return id;
    }),
  )();
}
