import type { z } from 'zod';

/**
 * A method of the contract: a runtime schema for its parameters (every door validates untrusted
 * input with it) and a compile-time result type. `jobKind` marks methods that start a job.
 */
export type MethodSpec<P extends z.ZodTypeAny, R, J extends string | null = null> = {
  params: P;
  jobKind: J;
  /** Phantom: never set at run time, only carries the result type. */
  readonly __result?: R;
};

export function method<R>() {
  return <P extends z.ZodTypeAny>(params: P): MethodSpec<P, R> => ({ params, jobKind: null });
}

export function jobMethod<J extends string>(jobKind: J) {
  return <P extends z.ZodTypeAny>(params: P): MethodSpec<P, { jobId: string }, J> => ({
    params,
    jobKind,
  });
}
