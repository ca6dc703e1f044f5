import type Database from 'better-sqlite3';
import type { JobKind, LibraryEvent } from '../../../shared/contract/job-types';
import type { JobRunner } from '../jobs/job-manager';

/** What the ML service needs of StudioCore (structural, so the service does not import it). */
export type MlCore = {
  /** The open library's connection (throws LIBRARY_NOT_OPEN). */
  db(): Database.Database;
  startJob<K extends JobKind>(kind: K, params: unknown, run: JobRunner<K>): string;
  notifyChanged(what: LibraryEvent['what']): void;
};
