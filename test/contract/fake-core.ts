import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { AssetKind } from '../../src/shared/contract/client';
import { AppError } from '../../src/shared/contract/errors';
import type { AppEvent } from '../../src/shared/contract/job-types';
import type { ImportReport, LibraryStats } from '../../src/shared/contract/library-types';
import { methods, type Handlers } from '../../src/shared/contract/methods';
import { EventBus } from '../../src/main/core/event-bus';

/**
 * A small stand-in for StudioCore built on the real contract, for testing the doors on their own:
 * fixed library answers, an `import.start` job that reports through real JobEvents, and a cached
 * thumbnail (a real JPEG) for image 1. Methods it does not implement answer UNSUPPORTED, so the fake
 * keeps compiling as later features add methods to the contract.
 */
export type FakeCore = {
  readonly handlers: Handlers;
  subscribe(listener: (event: AppEvent) => void): () => void;
  assetPath(kind: AssetKind, imageId: number): Promise<string | null>;
  emit(event: AppEvent): void;
  readonly listenerCount: number;
  /** Parameters each handler received, after validation. */
  readonly calls: { method: string; params: unknown }[];
  /** The JPEG served as image 1's thumbnail. */
  readonly thumbPath: string;
  close(): Promise<void>;
};

export const FAKE_STATS: LibraryStats = {
  images: 3,
  labeled: 2,
  unlabeled: 1,
  cities: { Paris: 2, Detroit: 0 },
  splits: { train: 2, val: 0, test: 0, unassigned: 1 },
  labelSources: { folder: 2, csv: 0, gps: 0, human: 0, model: 0, queue: 0 },
  perCity: [
    { city: 'Paris', total: 2, train: 2, val: 0, test: 0 },
    { city: 'Detroit', total: 0, train: 0, val: 0, test: 0 },
  ],
};

export const FAKE_REPORT: ImportReport = {
  imported: 2,
  duplicates: 1,
  skipped: 0,
  alreadyPresent: 0,
  labeled: 2,
  errors: [],
  duplicateOf: [],
  durationMs: 5,
};

export async function createFakeCore(): Promise<FakeCore> {
  const dir = mkdtempSync(join(tmpdir(), 'lp-fake-core-'));
  const thumbPath = join(dir, 'thumb-1.jpg');
  await sharp({ create: { width: 8, height: 8, channels: 3, background: '#3366cc' } })
    .jpeg()
    .toFile(thumbPath);

  const bus = new EventBus();
  const calls: { method: string; params: unknown }[] = [];
  let jobs = 0;

  const implemented: Partial<Handlers> = {
    'app.info': () =>
      Promise.resolve({ version: '0.0.0-test', libraryOpen: true, transport: 'fake' }),
    'library.stats': () => Promise.resolve(FAKE_STATS),
    'cities.add': (p) => Promise.resolve({ id: 7, ...p }),
    'import.start': () => {
      jobs += 1;
      const jobId = `job-${jobs}`;
      // Like the real job manager: the id comes back first, the events follow asynchronously.
      setImmediate(() => {
        bus.emit({ channel: 'job', payload: { type: 'queued', jobId, kind: 'import' } });
        bus.emit({
          channel: 'job',
          payload: { type: 'progress', jobId, kind: 'import', done: 1, total: 2, message: null },
        });
        bus.emit({
          channel: 'job',
          payload: { type: 'done', jobId, kind: 'import', result: FAKE_REPORT },
        });
      });
      return Promise.resolve({ jobId });
    },
    'jobs.cancel': () => Promise.resolve({ cancelled: false }),
  };

  const handlers = Object.fromEntries(
    Object.keys(methods).map((name) => {
      const impl = (implemented as Record<string, (p: unknown) => Promise<unknown>>)[name];
      return [
        name,
        (params: unknown) => {
          calls.push({ method: name, params });
          return impl !== undefined
            ? impl(params)
            : Promise.reject(new AppError('UNSUPPORTED', `The fake core has no ${name}.`));
        },
      ];
    }),
  ) as Handlers;

  return {
    handlers,
    subscribe: (listener) => bus.subscribe(listener),
    assetPath(kind, imageId) {
      if (imageId === 13) {
        return Promise.reject(new AppError('LIBRARY_NOT_OPEN', 'No library is open.'));
      }
      return Promise.resolve(kind === 'thumb' && imageId === 1 ? thumbPath : null);
    },
    emit: (event) => bus.emit(event),
    get listenerCount() {
      return bus.size;
    },
    calls,
    thumbPath,
    close() {
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
}
