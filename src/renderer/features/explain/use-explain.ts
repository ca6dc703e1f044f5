import { useEffect, useRef } from 'react';
import type { ExplainMethod } from '../../../shared/contract/ml-types';
import { isActive } from '../../ui/job-state';
import { useJob, type JobHandle } from '../../ui/use-job';

export type ExplainRequest = {
  modelId: string;
  imageId: number;
  method: ExplainMethod;
  /** null: the model's own top city. */
  city: string | null;
};

/**
 * Asks for a heatmap whenever the question changes (photo, model, method, city). The library
 * answers a question asked before from its cache (for "the model's own city" too, once it has
 * explained that photo with that model), so switching back and forth is instant; a job still
 * running for the previous question is cancelled, its answer no longer wanted.
 */
export function useExplain(request: ExplainRequest | null): JobHandle<'explain.start'> {
  const job = useJob('explain.start');
  const { start, cancel } = job;
  const active = useRef(false);
  active.current = isActive(job.state.phase);
  const requestRef = useRef(request);
  requestRef.current = request;
  const key = request === null ? '' : JSON.stringify(request);

  const resultRef = useRef(job.state.result);
  resultRef.current = job.state.result;

  useEffect(() => {
    const current = requestRef.current;
    if (current === null) return;
    // Naming the city the last answer found for "the model's own city" asks nothing new.
    if (answerTo(resultRef.current, current) !== null) return;
    if (active.current) cancel();
    void start(current);
  }, [key, start, cancel]);

  return job;
}

/** The job's answer when it answers this very question (not a previous one still shown). */
export function answerTo<R extends ExplainRequestLike>(
  result: R | null,
  request: ExplainRequest | null,
): R | null {
  if (result === null || request === null) return null;
  const same =
    result.modelId === request.modelId &&
    result.imageId === request.imageId &&
    result.method === request.method &&
    (request.city === null || result.city === request.city);
  return same ? result : null;
}

type ExplainRequestLike = {
  modelId: string;
  imageId: number | null;
  method: ExplainMethod;
  city: string;
};
