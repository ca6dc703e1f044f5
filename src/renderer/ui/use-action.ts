import { useCallback, useReducer, useRef } from 'react';
import type { AppErrorData } from '../../shared/contract/errors';
import { errorData } from '../app/errors';
import { actionReducer, IDLE_ACTION, runAction, type ActionState } from './action-state';

export type Action<R> = {
  busy: boolean;
  error: AppErrorData | null;
  result: R | null;
  /** Runs `work`; resolves to whether it succeeded (never rejects). */
  run: (work: () => Promise<R>, onError?: (error: unknown) => void) => Promise<boolean>;
  /** Forgets the last error and result. */
  reset: () => void;
  /** Shows an error that came from outside a run, without changing `busy`. */
  report: (error: unknown) => void;
};

/**
 * The busy / error / result state of a user action that calls the core (add, remove, export,
 * start): one hook instead of a `busy` and an `error` state written by hand around every call.
 */
export function useAction<R = void>(): Action<R> {
  const initial: ActionState<R> = IDLE_ACTION;
  const [state, dispatch] = useReducer(actionReducer<R>, initial);
  const runs = useRef(0);
  const run = useCallback(
    (work: () => Promise<R>, onError?: (error: unknown) => void) =>
      runAction(dispatch, ++runs.current, work, onError),
    [],
  );
  const reset = useCallback(() => dispatch({ type: 'reset' }), []);
  const report = useCallback(
    (error: unknown) => dispatch({ type: 'report', error: errorData(error) }),
    [],
  );
  return { busy: state.busy, error: state.error, result: state.result, run, reset, report };
}
