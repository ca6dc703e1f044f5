// Ctrl-C during a job, the same way for every command: the first one cancels the job (as soon as
// its id is known, if it is not yet), the job ends CANCELLED and the command exits 1; a second
// one quits at once.
import type { CommandContext } from './command';

export type InterruptCancels = {
  /** The job's id, once known; cancels it at once if Ctrl-C came first. */
  jobStarted(jobId: string): void;
  /** Stops listening for Ctrl-C (call in a finally). */
  uninstall(): void;
};

export function interruptCancels(
  ctx: CommandContext,
  /** Printed at the first Ctrl-C, e.g. "Cancelling the import… (press Ctrl-C again to quit at once)". */
  message: string,
  /** Clears the progress display before anything is printed. */
  clearProgress: () => void,
): InterruptCancels {
  let jobId: string | null = null;
  let interrupted = false;
  const cancel = (id: string): void => {
    ctx.client.call('jobs.cancel', { jobId: id }).catch((error: unknown) => {
      ctx.log(`Could not cancel: ${error instanceof Error ? error.message : String(error)}`);
    });
  };
  const uninstall = ctx.io.onInterrupt(() => {
    clearProgress();
    if (interrupted) {
      ctx.log('Stopped.');
      ctx.io.exit(1);
    }
    interrupted = true;
    ctx.log(message);
    if (jobId !== null) cancel(jobId);
  });
  return {
    jobStarted(id) {
      if (jobId !== null) return;
      jobId = id;
      if (interrupted) cancel(id);
    },
    uninstall,
  };
}
