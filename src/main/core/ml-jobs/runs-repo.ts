import { AppError } from '../../../shared/contract/errors';
import type { EpochMetrics } from '../../../shared/contract/job-types';
import type { BackendReport, RunSummary, TrainSummary } from '../../../shared/contract/ml-types';
import type { Sql } from '../db/sql';

/** What a train job was started with, after defaults and resume resolution. */
export type RunParams = {
  name: string;
  backbone: string;
  splitLayer: string | null;
  views: number;
  stage1: Record<string, unknown>;
  stage2: Record<string, unknown> | null;
};

type RunRow = {
  job_id: string;
  name: string;
  backbone: string;
  params_json: string;
  run_dir: string;
  resumed_from: string | null;
  classes_json: string;
  counts_json: string | null;
  backend_json: string | null;
  epochs_json: string;
  summaries_json: string;
  model_id: string | null;
  created_at: string;
  finished_at: string | null;
  status: string;
};

const SELECT = `SELECT r.*, j.status AS status FROM runs r JOIN jobs j ON j.id = r.job_id`;

function toSummary(r: RunRow): RunSummary {
  return {
    jobId: r.job_id,
    name: r.name,
    status: r.status,
    backbone: r.backbone,
    modelId: r.model_id,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
    backend: r.backend_json === null ? null : (JSON.parse(r.backend_json) as BackendReport),
    epochs: JSON.parse(r.epochs_json) as EpochMetrics[],
    summaries: JSON.parse(r.summaries_json) as TrainSummary[],
    classes: JSON.parse(r.classes_json) as string[],
    classCounts:
      r.counts_json === null
        ? null
        : (JSON.parse(r.counts_json) as { train: number[]; val: number[] }),
    resumedFrom: r.resumed_from,
  };
}

export function insertRun(
  sql: Sql,
  run: {
    jobId: string;
    params: RunParams;
    runDir: string;
    resumedFrom: string | null;
  },
): void {
  sql.run(
    `INSERT INTO runs (job_id, name, backbone, params_json, run_dir, resumed_from, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
    [
      run.jobId,
      run.params.name,
      run.params.backbone,
      JSON.stringify(run.params),
      run.runDir,
      run.resumedFrom,
      new Date().toISOString(),
    ],
  );
}

export function setRunData(
  sql: Sql,
  jobId: string,
  data: { classes: string[]; counts: { train: number[]; val: number[] } },
): void {
  sql.run('UPDATE runs SET classes_json = ?, counts_json = ? WHERE job_id = ?', [
    JSON.stringify(data.classes),
    JSON.stringify(data.counts),
    jobId,
  ]);
}

/** Appends one epoch as it ends, so runs.get shows a live (and crash-surviving) history. */
export function appendEpoch(sql: Sql, jobId: string, metrics: EpochMetrics): void {
  sql.run(
    `UPDATE runs SET epochs_json = json_insert(epochs_json, '$[#]', json(?)) WHERE job_id = ?`,
    [JSON.stringify(metrics), jobId],
  );
}

export function finishRun(
  sql: Sql,
  jobId: string,
  done: {
    backend: BackendReport | null;
    epochs: EpochMetrics[] | null;
    summaries: TrainSummary[];
    modelId: string | null;
  },
): void {
  sql.run(
    `UPDATE runs SET backend_json = coalesce(?, backend_json), epochs_json = coalesce(?, epochs_json),
       summaries_json = ?, model_id = ?, finished_at = ? WHERE job_id = ?`,
    [
      done.backend === null ? null : JSON.stringify(done.backend),
      done.epochs === null ? null : JSON.stringify(done.epochs),
      JSON.stringify(done.summaries),
      done.modelId,
      new Date().toISOString(),
      jobId,
    ],
  );
}

export function listRuns(sql: Sql): RunSummary[] {
  return sql.all<RunRow>(`${SELECT} ORDER BY r.created_at DESC, r.rowid DESC`).map(toSummary);
}

export function getRun(sql: Sql, jobId: string): RunSummary {
  return toSummary(runRow(sql, jobId));
}

function runRow(sql: Sql, jobId: string): RunRow {
  const row = sql.get<RunRow>(`${SELECT} WHERE r.job_id = ?`, [jobId]);
  if (row === undefined) {
    throw new AppError('NOT_FOUND', `No training run with job id "${jobId}".`, { jobId });
  }
  return row;
}

/** What a resume needs of an earlier run: its settings, its folder and whether it still runs. */
export function runToResume(
  sql: Sql,
  jobId: string,
): { params: RunParams; runDir: string; status: string } {
  const row = runRow(sql, jobId);
  return {
    params: JSON.parse(row.params_json) as RunParams,
    runDir: row.run_dir,
    status: row.status,
  };
}
