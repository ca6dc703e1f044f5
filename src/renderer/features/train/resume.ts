import type { RunSummary } from '../../../shared/contract/ml-types';

/** Job statuses a run can be continued from: stopped by the user, by an error or by a crash. */
const STOPPED = new Set(['cancelled', 'failed', 'interrupted']);

/**
 * The runs `train.start` can continue with `resumeJobId`: stopped ones that no later run has
 * resumed already (the later run holds the newer checkpoints, so that one is resumed instead).
 */
export function resumableRuns(runs: readonly RunSummary[]): Set<string> {
  const resumed = new Set(runs.map((r) => r.resumedFrom).filter((id) => id !== null));
  return new Set(
    runs.filter((r) => STOPPED.has(r.status) && !resumed.has(r.jobId)).map((r) => r.jobId),
  );
}
