import type { AppErrorData } from '../../shared/contract/errors';
import { errorData } from '../app/errors';

/** One user action that calls the core: running or not, and how the last run ended. */
export type ActionState<R> = {
  busy: boolean;
  error: AppErrorData | null;
  result: R | null;
  /** The run whose answer counts: an older run's late answer is dropped. */
  run: number;
};

export type ActionEvent<R> =
  | { type: 'start'; run: number }
  | { type: 'done'; run: number; result: R }
  | { type: 'failed'; run: number; error: AppErrorData }
  | { type: 'reset' }
  /** An error from outside a run (a file dialog, say), shown the same way. */
  | { type: 'report'; error: AppErrorData };

export const IDLE_ACTION: ActionState<never> = { busy: false, error: null, result: null, run: 0 };

/** Folds one event into the state (pure). */
export function actionReducer<R>(state: ActionState<R>, event: ActionEvent<R>): ActionState<R> {
  switch (event.type) {
    case 'start':
      return { busy: true, error: null, result: null, run: event.run };
    case 'done':
      return event.run === state.run
        ? { ...state, busy: false, error: null, result: event.result }
        : state;
    case 'failed':
      return event.run === state.run ? { ...state, busy: false, error: event.error } : state;
    case 'reset':
      return { ...IDLE_ACTION, run: state.run };
    case 'report':
      return { ...state, error: event.error };
  }
}

/**
 * Runs `work` as run number `run`, telling `dispatch` when it starts and how it ends. Resolves to
 * whether it succeeded; it never rejects, the error is in the state (and passed to `onError`).
 */
export async function runAction<R>(
  dispatch: (event: ActionEvent<R>) => void,
  run: number,
  work: () => Promise<R>,
  onError?: (error: unknown) => void,
): Promise<boolean> {
  dispatch({ type: 'start', run });
  try {
    const result = await work();
    dispatch({ type: 'done', run, result });
    return true;
  } catch (error) {
    dispatch({ type: 'failed', run, error: errorData(error) });
    onError?.(error);
    return false;
  }
}
