import { useCallback, useEffect, useRef, useState } from 'react';
import type { EpochMetrics, JobEvent, JobKind, JobResults } from '../../shared/contract/job-types';
import type { JobMethodName, Methods, ParamsIn } from '../../shared/contract/methods';
import { errorData } from '../app/errors';
import { useStudio } from '../app/studio-context';
import { foldJobEvent, IDLE, isActive, type JobState } from './job-state';

type ResultOf<K extends JobMethodName> = JobResults[Methods[K]['jobKind'] & JobKind];

export type JobHandle<K extends JobMethodName> = {
  state: JobState<ResultOf<K>>;
  /** Starts the job; resolves with its id once started (null when it could not start). */
  start: (params: ParamsIn<K>) => Promise<string | null>;
  /** Follows a job that is already running (e.g. started before this view was opened). */
  attach: (jobId: string, epochs?: EpochMetrics[]) => void;
  cancel: () => void;
  reset: () => void;
};

/**
 * Starts one kind of job and follows its events: progress, epochs, log lines and the outcome.
 * Events are subscribed to before the start call, so none between the start and its answer is lost.
 */
export function useJob<K extends JobMethodName>(
  method: K,
  onDone?: (result: ResultOf<K>) => void,
): JobHandle<K> {
  const { client } = useStudio();
  const [state, setState] = useState<JobState<ResultOf<K>>>(IDLE);
  const jobRef = useRef<string | null>(null);
  const early = useRef<JobEvent[] | null>(null);
  const onDoneRef = useRef(onDone);
  onDoneRef.current = onDone;

  const apply = useCallback((event: JobEvent) => {
    setState((s) => foldJobEvent(s, event));
    if (event.type === 'done') onDoneRef.current?.(event.result as ResultOf<K>);
  }, []);

  useEffect(
    () =>
      client.subscribe((event) => {
        if (event.channel !== 'job') return;
        if (jobRef.current === null) early.current?.push(event.payload);
        else if (event.payload.jobId === jobRef.current) apply(event.payload);
      }),
    [client, apply],
  );

  const start = useCallback(
    async (params: ParamsIn<K>): Promise<string | null> => {
      jobRef.current = null;
      early.current = [];
      setState({ ...IDLE, phase: 'starting' });
      try {
        const started = (await client.call(method, params)) as { jobId: string };
        jobRef.current = started.jobId;
        setState((s) => ({ ...s, jobId: started.jobId, phase: 'running' }));
        const buffered = early.current ?? [];
        early.current = null;
        for (const event of buffered) if (event.jobId === started.jobId) apply(event);
        return started.jobId;
      } catch (error) {
        early.current = null;
        setState({ ...IDLE, phase: 'failed', error: errorData(error) });
        return null;
      }
    },
    [client, method, apply],
  );

  const attach = useCallback((jobId: string, epochs: EpochMetrics[] = []) => {
    jobRef.current = jobId;
    early.current = null;
    setState({ ...IDLE, phase: 'running', jobId, epochs });
  }, []);

  const cancel = useCallback(() => {
    const jobId = jobRef.current;
    if (jobId === null) return;
    client.call('jobs.cancel', { jobId }).then(
      (r) => {
        if (!r.cancelled) setState((s) => (isActive(s.phase) ? { ...s, phase: 'cancelled' } : s));
      },
      (error: unknown) => setState((s) => ({ ...s, error: errorData(error) })),
    );
  }, [client]);

  const reset = useCallback(() => {
    jobRef.current = null;
    early.current = null;
    setState(IDLE);
  }, []);

  return { state, start, attach, cancel, reset };
}
