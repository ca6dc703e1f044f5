import { randomUUID } from 'node:crypto';
import { AppError, toErrorData, type AppErrorData } from '../../../shared/contract/errors';
import type {
  EpochMetrics,
  JobEvent,
  JobInfo,
  JobKind,
  JobResults,
  JobStatus,
} from '../../../shared/contract/job-types';
import type { Sql } from '../db/sql';
import type { EventBus } from '../event-bus';

export type JobContext = {
  readonly jobId: string;
  /** Aborted by jobs.cancel or when the library closes; stop soon and return what is done. */
  readonly signal: AbortSignal;
  progress(done: number, total: number, message?: string | null): void;
  log(level: 'info' | 'warn', message: string): void;
  /** A training epoch ended (sent as an 'epoch' JobEvent, never throttled). */
  epoch(metrics: EpochMetrics): void;
};

/** The work of a job; resolving after the signal aborted records the job as cancelled. */
export type JobRunner<K extends JobKind> = (ctx: JobContext) => Promise<JobResults[K]>;

/** Progress events are throttled to this interval; the database copy more lazily. */
export const PROGRESS_EVENT_MS = 100;
const PROGRESS_DB_MS = 1000;

type JobRow = {
  id: string;
  kind: string;
  status: JobStatus;
  progress_done: number;
  progress_total: number;
  progress_message: string | null;
  error_json: string | null;
  result_json: string | null;
  created_at: string;
  updated_at: string;
};

type Live = {
  controller: AbortController;
  progress: { done: number; total: number; message: string | null };
  finished: Promise<void>;
};

/**
 * Runs jobs of one library and records them in its `jobs` table. Jobs of the same kind run one
 * after another (two imports racing over the same files would only waste work); different kinds
 * may overlap. Every state change is both persisted and emitted as a JobEvent.
 */
export class JobManager {
  private readonly live = new Map<string, Live>();
  private readonly tails = new Map<string, Promise<void>>();

  constructor(
    private readonly sql: Sql,
    private readonly bus: EventBus,
  ) {}

  start<K extends JobKind>(kind: K, params: unknown, run: JobRunner<K>): string {
    const id = randomUUID();
    const now = new Date().toISOString();
    this.sql.run(
      `INSERT INTO jobs (id, kind, status, params_json, owner_pid, created_at, updated_at)
       VALUES (?, ?, 'queued', ?, ?, ?, ?)`,
      [id, kind, JSON.stringify(params ?? null), process.pid, now, now],
    );
    const controller = new AbortController();
    const live: Live = {
      controller,
      progress: { done: 0, total: 0, message: null },
      finished: Promise.resolve(),
    };
    this.live.set(id, live);
    this.emit({ type: 'queued', jobId: id, kind });

    const previous = this.tails.get(kind) ?? Promise.resolve();
    live.finished = previous.then(() => this.execute(id, kind, live, run));
    this.tails.set(kind, live.finished);
    return id;
  }

  /** True when the job was queued or running and is now being cancelled. */
  cancel(jobId: string): boolean {
    const live = this.live.get(jobId);
    if (live === undefined) {
      if (this.row(jobId) === undefined) throw notFound(jobId);
      return false;
    }
    if (live.controller.signal.aborted) return false;
    live.controller.abort();
    return true;
  }

  get(jobId: string): JobInfo {
    const row = this.row(jobId);
    if (row === undefined) throw notFound(jobId);
    return this.toInfo(row);
  }

  /** Newest first; bounded so a years-old library does not send thousands of rows to the UI. */
  list(limit = 500): JobInfo[] {
    return this.sql
      .all<JobRow>('SELECT * FROM jobs ORDER BY created_at DESC, rowid DESC LIMIT ?', [limit])
      .map((row) => this.toInfo(row));
  }

  /** Cancels every job and waits until all have stopped (used before the database closes). */
  async shutdown(): Promise<void> {
    for (const live of this.live.values()) live.controller.abort();
    await Promise.all([...this.live.values()].map((l) => l.finished));
  }

  private async execute<K extends JobKind>(
    id: string,
    kind: K,
    live: Live,
    run: JobRunner<K>,
  ): Promise<void> {
    const { signal } = live.controller;
    try {
      if (signal.aborted) {
        this.finish(id, 'cancelled', null, null);
        this.emit({ type: 'cancelled', jobId: id, kind });
        return;
      }
      const startedAt = new Date().toISOString();
      this.sql.run(
        `UPDATE jobs SET status = 'running', started_at = ?, updated_at = ? WHERE id = ?`,
        [startedAt, startedAt, id],
      );
      let lastEvent = 0;
      let lastDb = 0;
      const ctx: JobContext = {
        jobId: id,
        signal,
        progress: (done, total, message = null) => {
          live.progress = { done, total, message };
          const now = Date.now();
          if (now - lastEvent >= PROGRESS_EVENT_MS || done === total) {
            lastEvent = now;
            this.emit({ type: 'progress', jobId: id, kind, done, total, message });
          }
          if (now - lastDb >= PROGRESS_DB_MS) {
            lastDb = now;
            this.saveProgress(id, live);
          }
        },
        log: (level, message) => this.emit({ type: 'log', jobId: id, kind, level, message }),
        epoch: (metrics) => this.emit({ type: 'epoch', jobId: id, kind, metrics }),
      };

      let result: JobResults[K];
      try {
        result = await run(ctx);
      } catch (error) {
        this.saveProgress(id, live);
        if (signal.aborted || (error instanceof AppError && error.code === 'CANCELLED')) {
          this.finish(id, 'cancelled', null, null);
          this.emit({ type: 'cancelled', jobId: id, kind });
        } else {
          const data = toErrorData(error);
          this.finish(id, 'failed', null, data);
          this.emit({ type: 'failed', jobId: id, kind, error: data });
        }
        return;
      }
      this.saveProgress(id, live);
      if (signal.aborted) {
        // Keep the partial result (e.g. what an import did before it stopped) for jobs.get/history.
        this.finish(id, 'cancelled', result, null);
        this.emit({ type: 'cancelled', jobId: id, kind });
      } else {
        this.finish(id, 'done', result, null);
        // K is one kind here, but TypeScript cannot narrow the generic to one union member.
        this.emit({ type: 'done', jobId: id, kind, result } as JobEvent);
      }
    } catch (error) {
      // Only bookkeeping can land here (e.g. the database went away); never leave a job hanging.
      console.error(`job ${id} bookkeeping failed:`, error);
      this.emit({ type: 'failed', jobId: id, kind, error: toErrorData(error) });
    } finally {
      this.live.delete(id);
    }
  }

  private saveProgress(id: string, live: Live): void {
    this.sql.run(
      `UPDATE jobs SET progress_done = ?, progress_total = ?, progress_message = ?, updated_at = ?
       WHERE id = ?`,
      [
        live.progress.done,
        live.progress.total,
        live.progress.message,
        new Date().toISOString(),
        id,
      ],
    );
  }

  private finish(id: string, status: JobStatus, result: unknown, error: AppErrorData | null): void {
    const now = new Date().toISOString();
    this.sql.run(
      `UPDATE jobs SET status = ?, result_json = ?, error_json = ?, finished_at = ?, updated_at = ?
       WHERE id = ?`,
      [
        status,
        result === null ? null : JSON.stringify(result),
        error === null ? null : JSON.stringify(error),
        now,
        now,
        id,
      ],
    );
  }

  private row(jobId: string): JobRow | undefined {
    return this.sql.get<JobRow>('SELECT * FROM jobs WHERE id = ?', [jobId]);
  }

  private toInfo(row: JobRow): JobInfo {
    const live = this.live.get(row.id);
    return {
      id: row.id,
      kind: row.kind as JobKind,
      status: row.status,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      progress: live?.progress ?? {
        done: row.progress_done,
        total: row.progress_total,
        message: row.progress_message,
      },
      error: row.error_json === null ? null : (JSON.parse(row.error_json) as AppErrorData),
    };
  }

  private emit(payload: JobEvent): void {
    this.bus.emit({ channel: 'job', payload });
  }
}

function notFound(jobId: string): AppError {
  return new AppError('NOT_FOUND', `No job with id "${jobId}" in this library.`, { jobId });
}
