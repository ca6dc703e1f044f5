import type { AppErrorData } from '../../../shared/contract/errors';
import type { JobEvent, JobInfo, JobKind, JobStatus } from '../../../shared/contract/job-types';
import type { ImportReport } from '../../../shared/contract/library-types';

export type JobRow = {
  id: string;
  kind: JobKind;
  status: JobStatus;
  done: number;
  total: number;
  message: string | null;
  error: AppErrorData | null;
  /** A one-line outcome for finished jobs, e.g. "12 imported, 1 duplicate". */
  summary: string | null;
  order: number;
};

export const ACTIVE: readonly JobStatus[] = ['queued', 'running'];

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function importSummary(r: ImportReport): string {
  const parts = [`${r.imported} imported`];
  if (r.alreadyPresent > 0) parts.push(`${r.alreadyPresent} already present`);
  if (r.duplicates > 0) parts.push(plural(r.duplicates, 'duplicate'));
  if (r.skipped > 0) parts.push(`${r.skipped} skipped`);
  if (r.errors.length > 0) parts.push(plural(r.errors.length, 'error'));
  return parts.join(', ');
}

export function rowFromInfo(info: JobInfo, order: number): JobRow {
  return {
    id: info.id,
    kind: info.kind,
    status: info.status,
    done: info.progress.done,
    total: info.progress.total,
    message: info.progress.message,
    error: info.error,
    // A job that finished before this window opened: its last progress line is all there is.
    summary: info.status === 'done' ? info.progress.message : null,
    order,
  };
}

/** Folds one job event into the table of jobs (pure, so it is easy to reason about). */
export function applyJobEvent(
  rows: ReadonlyMap<string, JobRow>,
  event: JobEvent,
  order: number,
): Map<string, JobRow> {
  const next = new Map(rows);
  const prev: JobRow = rows.get(event.jobId) ?? {
    id: event.jobId,
    kind: event.kind,
    status: 'queued',
    done: 0,
    total: 0,
    message: null,
    error: null,
    summary: null,
    order,
  };
  switch (event.type) {
    case 'queued':
      next.set(event.jobId, { ...prev, status: 'queued' });
      break;
    case 'progress':
      next.set(event.jobId, {
        ...prev,
        status: 'running',
        done: event.done,
        total: event.total,
        message: event.message ?? prev.message,
      });
      break;
    case 'epoch':
    case 'log':
      next.set(event.jobId, {
        ...prev,
        status: 'running',
        message: event.type === 'log' ? event.message : prev.message,
      });
      break;
    case 'done':
      next.set(event.jobId, {
        ...prev,
        status: 'done',
        done: Math.max(prev.done, prev.total),
        summary: event.kind === 'import' ? importSummary(event.result) : 'Finished',
      });
      break;
    case 'failed':
      next.set(event.jobId, { ...prev, status: 'failed', error: event.error });
      break;
    case 'cancelled':
      next.set(event.jobId, { ...prev, status: 'cancelled' });
      break;
  }
  return next;
}
