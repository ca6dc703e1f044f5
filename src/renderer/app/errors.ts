import { AppError, toErrorData, type AppErrorData } from '../../shared/contract/errors';

/** Anything thrown by a client call, as the `{ code, message }` the user is shown. */
export function errorData(error: unknown): AppErrorData {
  return error instanceof AppError ? error.toData() : toErrorData(error);
}

export function isCancelled(error: unknown): boolean {
  return error instanceof AppError && error.code === 'CANCELLED';
}
