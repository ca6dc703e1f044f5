// Runs a geolocation batch's job from the CLI: progress on stderr, the first Ctrl-C cancels it
// (the batch keeps every chunk already predicted; `geolocate --resume ID` continues), a second
// one quits at once. geo.create starts its job itself, so this waits on a job id it is handed.
import { AppError } from '../../shared/contract/errors';
import type { GeoJobResult } from '../../shared/contract/geo-types';
import type { JobEvent } from '../../shared/contract/job-types';
import type { CommandContext } from './command';
import { progressReporter } from './progress-reporter';
import { interruptCancels } from './interrupt-cancels';

export async function runGeoJob(
  ctx: CommandContext,
  start: () => Promise<{ jobId: string; batchId: number }>,
): Promise<GeoJobResult> {
  const progress = progressReporter(ctx, 'geolocate');
  const interrupt = interruptCancels(
    ctx,
    'Cancelling the geolocation after the photos in flight… (press Ctrl-C again to quit at once)',
    () => progress.finish(),
  );
  let jobId: string | null = null;
  const early: JobEvent[] = [];
  let settle: ((event: JobEvent) => void) | null = null;
  // Subscribed before the job starts, so not even a very short job's end is missed.
  const unsubscribe = ctx.client.subscribe((event) => {
    if (event.channel !== 'job') return;
    if (jobId === null) early.push(event.payload);
    else if (event.payload.jobId === jobId) settle?.(event.payload);
  });
  try {
    const started = await start();
    jobId = started.jobId;
    interrupt.jobStarted(jobId);
    const id = jobId;
    return await new Promise<GeoJobResult>((resolve, reject) => {
      settle = (event) => {
        progress.onEvent(event);
        if (event.type === 'done' && event.kind === 'geolocate') resolve(event.result);
        else if (event.type === 'failed') reject(AppError.fromData(event.error));
        else if (event.type === 'cancelled') {
          // The CLI prints CANCELLED as a bare "Cancelled.": say how to go on first.
          ctx.log(
            `littleplanet: batch ${started.batchId} keeps what was predicted; \`geolocate --resume ${started.batchId}\` continues it.`,
          );
          reject(new AppError('CANCELLED', 'The geolocation was cancelled.'));
        }
      };
      for (const event of early.splice(0)) if (event.jobId === id) settle(event);
    });
  } finally {
    progress.finish();
    interrupt.uninstall();
    unsubscribe();
  }
}
