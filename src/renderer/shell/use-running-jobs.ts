import { useMemo } from 'react';
import { ACTIVE, type JobRow } from '../features/jobs/job-rows';
import { useJobRows } from '../features/jobs/use-job-rows';

/** The jobs that are queued or running, for the status bar (the same rows as the sidebar's). */
export function useRunningJobs(): JobRow[] {
  const [rows] = useJobRows();
  return useMemo(() => [...rows.values()].filter((r) => ACTIVE.includes(r.status)), [rows]);
}
