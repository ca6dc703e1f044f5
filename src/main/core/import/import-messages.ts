import type { AppErrorData } from '../../../shared/contract/errors';
import type { ImportReport } from '../../../shared/contract/library-types';

/** Main thread -> import worker. */
export type ImportWorkerRequest = { type: 'cancel' };

/** Import worker -> main thread. */
export type ImportWorkerMessage =
  | { type: 'progress'; done: number; total: number; message: string | null }
  | { type: 'committed'; count: number }
  | { type: 'done'; report: ImportReport; cancelled: boolean }
  | { type: 'failed'; error: AppErrorData };
