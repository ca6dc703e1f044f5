// The import report as files are settled: counts always cover everything, the lists of problems
// and duplicates stop at MAX_LISTED.
import type { ImportError, ImportReport } from '../../../shared/contract/library-types';
import type { CommitOutcome } from './import-writer';

/** Reports list at most this many problems/duplicates; the counts always cover all of them. */
export const MAX_LISTED = 10_000;

export class ImportTally {
  readonly report: ImportReport = {
    imported: 0,
    duplicates: 0,
    skipped: 0,
    alreadyPresent: 0,
    labeled: 0,
    errors: [],
    duplicateOf: [],
    durationMs: 0,
  };

  /** `committed` hears how many images each commit added (so the UI can refresh). */
  constructor(private readonly committed: (count: number) => void) {}

  fail(error: ImportError): void {
    this.report.skipped++;
    if (this.report.errors.length < MAX_LISTED) this.report.errors.push(error);
  }

  duplicate(path: string, existingPath: string, labelConflict?: string): void {
    this.report.duplicates++;
    if (this.report.duplicateOf.length < MAX_LISTED) {
      this.report.duplicateOf.push({
        path,
        existingPath,
        ...(labelConflict ? { labelConflict } : {}),
      });
    }
  }

  alreadyPresent(): void {
    this.report.alreadyPresent++;
  }

  /** Counts what a batched commit did with each queued image. */
  settle(outcomes: CommitOutcome[]): void {
    let added = 0;
    for (const o of outcomes) {
      if (o.kind === 'imported') {
        added++;
        this.report.imported++;
        if (o.image.cityId !== null) this.report.labeled++;
      } else if (o.kind === 'duplicate') this.duplicate(o.image.path, o.existingPath);
      else this.report.alreadyPresent++;
    }
    if (added > 0) this.committed(added);
  }

  /** One line for the problems past the list, and the duration since `startedMs`. */
  finish(startedMs: number): ImportReport {
    const notListed = this.report.skipped - this.report.errors.length;
    if (notListed > 0) {
      this.report.errors.push({ path: '…', reason: `${notListed} more problems not listed` });
    }
    this.report.durationMs = Date.now() - startedMs;
    return this.report;
  }
}
