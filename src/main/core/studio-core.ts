import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type Database from 'better-sqlite3';
import type { AssetKind } from '../../shared/contract/client';
import { AppError } from '../../shared/contract/errors';
import type { AppEvent, JobKind, LibraryEvent } from '../../shared/contract/job-types';
import type { LibraryInfo } from '../../shared/contract/library-types';
import type { libraryMethods } from '../../shared/contract/library-methods';
import type { Handlers } from '../../shared/contract/methods';
import { sync, type CoreServices } from './core-services';
import { EventBus } from './event-bus';
import { runImportJob } from './import/import-job';
import { JobManager, type JobContext, type JobRunner } from './jobs/job-manager';
import { Library } from './library';
import { assetFile } from './paths';
import { addCity, listCitiesWithCounts, removeCity } from './repo/cities';
import { contentHashOf, getImage, listImages } from './repo/images';
import { setHumanLabels } from './repo/labels';
import { assignLibrarySplits } from './repo/splits';
import { libraryStats } from './repo/stats';
import { Thumbnails } from './thumbnails';
import { createMlHandlers, MlService, type MlServiceOptions } from './ml-jobs/ml-service';
import { createStudyHandlers } from './study/study-handlers';
import { createGeoHandlers } from './geolocate/geo-handlers';
import { createCollectHandlers } from './collect/collect-handlers';
import { collectSetup, type CollectSetupOptions } from './collect/collect-setup';
import { createLabelingHandlers } from './labeling/labeling-handlers';

export type StudioCoreOptions = {
  version: string;
  /** Shown by app.info: 'in-process', 'electron', 'http', ... */
  transportName?: string;
  /**
   * The ML service's options (Electron main passes a utilityProcess spawner; the CLI and HTTP
   * server fork), or false for none: the ML methods then answer BACKEND_UNAVAILABLE.
   */
  ml?: MlServiceOptions | false;
  /**
   * The photo collectors (Street View, Mapillary): where API keys are kept (the Electron shell
   * passes its safeStorage store; default: environment variables plus session memory) and, for
   * tests, the services' base URLs and retry timing.
   */
  collect?: CollectSetupOptions;
};

/** Library-changed events during an import are coalesced to at most one per this interval. */
const CHANGED_EVENT_MS = 500;

type Open = { library: Library; jobs: JobManager; thumbnails: Thumbnails };

/** The methods StudioCore implements itself: the library, its import and its jobs. */
type LibraryHandlers = Pick<Handlers, keyof typeof libraryMethods>;

/**
 * The application core behind every door: implements the contract's handlers over the open
 * library (SQLite + cache folder) and runs jobs. One library is open at a time. Everything here
 * is reached through `handlers` (validated by dispatch) except the few in-process helpers below.
 */
export class StudioCore {
  readonly handlers: Handlers;
  private readonly bus = new EventBus();
  private open: Open | null = null;
  /** library.open / close run one at a time. */
  private lifecycle: Promise<unknown> = Promise.resolve();
  private lastImagesEvent = 0;
  /** Owns the ML host processes; disposed by close(). */
  private readonly ml: MlService | null;

  constructor(private readonly options: StudioCoreOptions) {
    this.ml = options.ml === false ? null : new MlService(this, options.ml);
    const services = this.services(collectSetup(options.collect));
    this.handlers = {
      ...this.createHandlers(),
      ...createMlHandlers(services),
      ...createStudyHandlers(services),
      ...createGeoHandlers(services),
      ...createCollectHandlers(services),
      ...createLabelingHandlers(services),
    };
  }

  subscribe(listener: (e: AppEvent) => void): () => void {
    return this.bus.subscribe(listener);
  }

  /**
   * Absolute path of a cached image of the open library, or null (unknown id, no library, no
   * cached image). A thumbnail is made from the norm image the first time it is asked for.
   */
  async assetPath(kind: AssetKind, imageId: number): Promise<string | null> {
    const open = this.open;
    if (open === null || !Number.isSafeInteger(imageId) || imageId <= 0) return null;
    const hash = contentHashOf(open.library.sql, imageId);
    if (hash === null) return null;
    if (kind === 'thumb') return open.thumbnails.file(hash);
    const file = assetFile(open.library.paths.cacheDir, kind, hash);
    return existsSync(file) ? file : null;
  }

  /** The open library's database handle for other in-process services (ML), or throws LIBRARY_NOT_OPEN. */
  db(): Database.Database {
    return this.current().library.db;
  }

  /**
   * Runs work as a job of the open library (queued behind jobs of the same kind, recorded in the
   * jobs table, reported through JobEvents, cancelled by jobs.cancel). For in-process services
   * such as the ML host bridge. Returns the job id.
   */
  startJob<K extends JobKind>(kind: K, params: unknown, run: JobRunner<K>): string {
    return this.current().jobs.start(kind, params, run);
  }

  /** Tells every client that part of the library changed (e.g. 'models' after training). */
  notifyChanged(what: LibraryEvent['what']): void {
    this.bus.emit({ channel: 'library', payload: { type: 'changed', what } });
  }

  /** Cancels running jobs, waits for them, closes the database and stops the ML host. */
  async close(): Promise<void> {
    await this.serialized(() => this.closeCurrent());
    await this.ml?.dispose();
  }

  private current(): Open {
    if (this.open === null) {
      throw new AppError('LIBRARY_NOT_OPEN', 'No library is open. Open or create one first.');
    }
    return this.open;
  }

  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lifecycle.then(fn, fn);
    this.lifecycle = run.catch(() => undefined);
    return run;
  }

  private async closeCurrent(): Promise<void> {
    const open = this.open;
    if (open === null) return;
    this.open = null;
    await open.jobs.shutdown();
    open.library.close();
  }

  private openLibrary(dir: string, create: boolean): Promise<LibraryInfo> {
    return this.serialized(async () => {
      const target = resolve(dir);
      // Reopening the same folder: stop its jobs first, as opening recovers from "crashed" jobs.
      if (this.open?.library.paths.dir === target) await this.closeCurrent();
      const library = Library.open(target, { create });
      await this.closeCurrent();
      this.open = {
        library,
        jobs: new JobManager(library.sql, this.bus),
        thumbnails: new Thumbnails(library.paths),
      };
      this.notifyChanged('opened');
      return library.info();
    });
  }

  private startImport(paths: string[], csv: string | null): string {
    return this.current().jobs.start('import', { paths, csv }, (ctx) =>
      this.runImport(paths, csv, ctx),
    );
  }

  /** An import inside a job (its own, or a geolocation batch's), telling clients what changed. */
  private async runImport(paths: string[], csv: string | null, ctx: JobContext) {
    const { library } = this.current();
    try {
      return await runImportJob(library, { paths, csv }, ctx, () => {
        const now = Date.now();
        if (now - this.lastImagesEvent >= CHANGED_EVENT_MS) {
          this.lastImagesEvent = now;
          this.notifyChanged('images');
        }
      });
    } finally {
      this.notifyChanged('images');
      this.notifyChanged('labels');
    }
  }

  /** What every feature's handlers get of the core (see CoreServices). */
  private services(collect: CoreServices['collect']): CoreServices {
    return {
      db: () => this.db(),
      sql: () => this.current().library.sql,
      libraryDir: () => this.current().library.paths.dir,
      startJob: (kind, params, run) => this.startJob(kind, params, run),
      cancelJob: (jobId) => void this.current().jobs.cancel(jobId),
      jobActive: (jobId) => ['queued', 'running'].includes(this.current().jobs.get(jobId).status),
      notifyChanged: (what) => this.notifyChanged(what),
      runImport: (paths, csv, ctx) => this.runImport(paths, csv, ctx),
      handlers: () => this.handlers,
      ml: this.ml,
      collect,
    };
  }

  private createHandlers(): LibraryHandlers {
    const sql = () => this.current().library.sql;
    const settings = () => this.current().library.settings();
    return {
      'app.info': sync(() => ({
        version: this.options.version,
        libraryOpen: this.open !== null,
        transport: this.options.transportName ?? 'in-process',
      })),
      'library.open': ({ dir, create }) => this.openLibrary(dir, create),
      'library.info': sync(() => this.current().library.info()),
      'library.stats': sync(() => libraryStats(sql())),

      'images.list': sync((query) => listImages(sql(), query)),
      'images.get': sync(({ id }) => getImage(sql(), id)),

      'labels.set': sync(({ imageIds, city }) => {
        const result = setHumanLabels(sql(), imageIds, city, settings().split);
        if (result.updated > 0) this.notifyChanged('labels');
        return result;
      }),

      'cities.list': sync(() => listCitiesWithCounts(sql())),
      'cities.add': sync((input) => {
        const { city, labeled } = addCity(sql(), input, settings().split);
        this.notifyChanged('cities');
        if (labeled > 0) this.notifyChanged('labels');
        return city;
      }),
      'cities.remove': sync(({ name }) => {
        const result = removeCity(sql(), name);
        this.notifyChanged('cities');
        if (result.labelsRemoved > 0) this.notifyChanged('labels');
        return result;
      }),

      'import.start': sync(({ paths, csv }) => ({ jobId: this.startImport(paths, csv) })),

      'split.assign': sync((config) => {
        const summary = assignLibrarySplits(sql(), config);
        this.notifyChanged('splits');
        return summary;
      }),

      'jobs.list': sync(() => (this.open === null ? [] : this.open.jobs.list())),
      'jobs.get': sync(({ jobId }) => this.current().jobs.get(jobId)),
      'jobs.cancel': sync(({ jobId }) => ({ cancelled: this.current().jobs.cancel(jobId) })),
    };
  }
}
