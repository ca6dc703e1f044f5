// What StudioCore gives every feature's handlers. Each feature exports
// `createXHandlers(services: CoreServices)`, so all of them are wired the same way, and the
// features depend on this structural type, never on StudioCore itself.
import type Database from 'better-sqlite3';
import type { JobKind, LibraryEvent } from '../../shared/contract/job-types';
import type { ImportReport } from '../../shared/contract/library-types';
import type { Handlers } from '../../shared/contract/methods';
import type { CollectSetup } from './collect/collect-job';
import type { Sql } from './db/sql';
import type { JobContext, JobRunner } from './jobs/job-manager';
import type { MlService } from './ml-jobs/ml-service';

export type CoreServices = {
  /** The open library's connection (throws LIBRARY_NOT_OPEN). */
  db(): Database.Database;
  /** The open library's prepared-statement wrapper (throws LIBRARY_NOT_OPEN). */
  sql(): Sql;
  /** The open library's folder (throws LIBRARY_NOT_OPEN). */
  libraryDir(): string;
  /** Runs work as a job of the open library; its job id. */
  startJob<K extends JobKind>(kind: K, params: unknown, run: JobRunner<K>): string;
  cancelJob(jobId: string): void;
  /** Whether the job is queued or running. */
  jobActive(jobId: string): boolean;
  /** Tells every client that part of the library changed. */
  notifyChanged(what: LibraryEvent['what']): void;
  /** The library's import (folders or a manifest CSV) inside the given job. */
  runImport(paths: string[], csv: string | null, ctx: JobContext): Promise<ImportReport>;
  /** Every contract method as wired, so one feature can start another's work (a study's predictions). */
  handlers(): Handlers;
  /** The ML service, or null when the core was started without it. */
  ml: MlService | null;
  /** The photo collectors' key store, base URLs and retry timing. */
  collect: CollectSetup;
};

/**
 * Adapts a synchronous handler (better-sqlite3 is synchronous) to the contract's Promise shape,
 * turning a throw into a rejection.
 */
export function sync<P, R>(fn: (params: P) => R): (params: P) => Promise<R> {
  return (params) => new Promise<R>((resolve) => resolve(fn(params)));
}
