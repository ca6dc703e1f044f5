/**
 * Library setup shared by the ML benchmark sections: a fresh library made through the contract (as
 * the CLI and the app do), photos imported from a `path,city` manifest, splits, and the shared
 * MobileNetV2 imported as a backbone.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Client } from '../src/shared/contract/client';
import type { ImagePage, ImportReport } from '../src/shared/contract/library-types';
import { inProcessTransport } from '../src/main/core/in-process-transport';
import { StudioCore } from '../src/main/core/studio-core';

/** The contract's default backbone name, so `features.start` and `train.start` find it. */
export const BENCH_BACKBONE = 'mobilenet_v2_1.0_224';

export type BenchLibrary = {
  dir: string;
  core: StudioCore;
  client: Client;
  close: () => Promise<void>;
};

export async function createBenchLibrary(prefix: string): Promise<BenchLibrary> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const core = new StudioCore({ version: 'bench' });
  const client = createClient(inProcessTransport(core));
  await client.call('library.open', { dir, create: true });
  return { dir, core, client, close: () => core.close() };
}

/** Imports `rows` ([path, city]) through a CSV manifest; every row must be imported. */
export async function importLabeled(
  lib: BenchLibrary,
  rows: readonly (readonly [string, string])[],
): Promise<ImportReport> {
  const csv = join(lib.dir, 'bench-manifest.csv');
  const quote = (s: string): string => `"${s.replaceAll('"', '""')}"`;
  writeFileSync(csv, `path,city\n${rows.map(([p, c]) => `${quote(p)},${quote(c)}`).join('\n')}\n`);
  const report = await lib.client.runJob('import.start', { paths: [], csv });
  if (report.imported + report.alreadyPresent < rows.length - report.duplicates) {
    const why = report.errors
      .slice(0, 3)
      .map((e) => `${e.path}: ${e.reason}`)
      .join('; ');
    throw new Error(`bench import kept ${report.imported} of ${rows.length} photos (${why})`);
  }
  return report;
}

export async function importSharedBackbone(
  lib: BenchLibrary,
  tflite: string,
  name = BENCH_BACKBONE,
): Promise<void> {
  await lib.client.runJob('backbones.import', { path: tflite, name });
}

/** The cached 256x256 'norm' JPEG of every labeled image (what feature extraction decodes). */
export async function normImages(lib: BenchLibrary): Promise<string[]> {
  const files: string[] = [];
  let cursor: number | null = null;
  do {
    const page: ImagePage = await lib.client.call('images.list', {
      cursor,
      limit: 1000,
      labeled: true,
    });
    for (const item of page.items) {
      const file = await lib.core.assetPath('norm', item.id);
      if (file === null) throw new Error(`image ${item.id} has no cached 256x256 image`);
      files.push(file);
    }
    cursor = page.nextCursor;
  } while (cursor !== null);
  return files;
}
