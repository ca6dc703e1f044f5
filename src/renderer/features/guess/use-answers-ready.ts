import { useEffect, useRef, useState } from 'react';
import type { AppErrorData } from '../../../shared/contract/errors';
import type { JobInfo } from '../../../shared/contract/job-types';
import type { StudySummary } from '../../../shared/contract/study-types';
import { errorData } from '../../app/errors';
import { useStudio } from '../../app/studio-context';

export type AnswersState = {
  study: StudySummary | null;
  /** The predict job, when its id is known (it is not after a reload of the app). */
  job: JobInfo | null;
  error: AppErrorData | null;
};

const POLL_MS = 700;

/**
 * Waits for the model's answers of a study: polls study.get (the truth: how many answers are
 * still missing) and, when known, the predict job for its progress. Polling rather than job
 * events, because the job may finish before this view subscribes, and it stops by itself.
 */
export function useAnswersReady(studyId: number, jobId: string | null, onReady: () => void) {
  const { client } = useStudio();
  const [state, setState] = useState<AnswersState>({ study: null, job: null, error: null });
  // The latest callback, read when the answers are in, so a new identity does not restart polling.
  const readyRef = useRef(onReady);
  readyRef.current = onReady;

  useEffect(() => {
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async (): Promise<void> => {
      try {
        const [study, job] = await Promise.all([
          client.call('study.get', { studyId }),
          jobId === null ? Promise.resolve(null) : client.call('jobs.get', { jobId }),
        ]);
        if (!alive) return;
        setState({ study, job, error: job?.error ?? null });
        if (study.modelAnswersMissing === 0) return readyRef.current();
        // A finished job that left answers missing will not fill them: stop and say so.
        if (job !== null && ['failed', 'cancelled', 'interrupted'].includes(job.status)) return;
      } catch (error) {
        if (alive) setState((s) => ({ ...s, error: errorData(error) }));
      }
      if (alive) timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [client, studyId, jobId]);

  return state;
}
