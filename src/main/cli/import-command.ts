import { resolve } from 'node:path';
import type { JobEvent } from '../../shared/contract/job-types';
import type { ImportReport } from '../../shared/contract/library-types';
import type { CommandContext, CommandSpec } from './command';
import { plural, progressBar, seconds } from './format';
import { interruptCancels } from './interrupt-cancels';

/** How many skipped files the human summary lists; --json always has them all. */
const LISTED_ERRORS = 20;
const REDRAW_MS = 100;

/**
 * Job progress on stderr: a redrawn bar on a terminal, otherwise a line at each 10% step (logs and
 * CI output stay short). Warnings from the job are printed as they come.
 */
export function progressReporter(ctx: CommandContext, label: string) {
  const { stderr } = ctx.io;
  const tty = stderr.isTTY === true;
  let lastDraw = 0;
  let lastStep = -1;
  let drawn = false;

  const clear = (): void => {
    if (drawn) stderr.write('\r\x1b[K');
    drawn = false;
  };
  return {
    onEvent(event: JobEvent): void {
      if (event.type === 'log') {
        clear();
        ctx.log(`${event.level === 'warn' ? 'warning: ' : ''}${event.message}`);
      } else if (event.type === 'progress') {
        const now = Date.now();
        if (tty) {
          if (now - lastDraw < REDRAW_MS && event.done < event.total) return;
          lastDraw = now;
          stderr.write(
            `\r\x1b[K${label} ${progressBar(event.done, event.total, stderr.columns ?? 80, event.message)}`,
          );
          drawn = true;
        } else if (event.total > 0) {
          const step = Math.floor((10 * event.done) / event.total);
          if (step === lastStep) return;
          lastStep = step;
          ctx.log(`${label}: ${event.done}/${event.total} (${step * 10}%)`);
        }
      }
    },
    finish: clear,
  };
}

function reportText(report: ImportReport): string {
  const lines = [
    `Imported ${plural(report.imported, 'new image')} (${report.labeled} labeled) in ${seconds(report.durationMs)}.`,
    `${plural(report.duplicates, 'duplicate')}, ${report.skipped} skipped, ${report.alreadyPresent} already in the library.`,
  ];
  if (report.errors.length > 0) {
    lines.push('', 'Skipped:');
    for (const error of report.errors.slice(0, LISTED_ERRORS))
      lines.push(`  ${error.path}: ${error.reason}`);
    const more = report.errors.length - LISTED_ERRORS;
    if (more > 0) lines.push(`  … and ${more} more (--json lists them all)`);
  }
  return lines.join('\n');
}

export const importCommand: CommandSpec = {
  name: 'import',
  args: 'PATH...',
  summary: 'Import photos: folders (one per city), files, and/or a CSV manifest',
  details: [
    'A folder named after a city labels the photos in it; photos with GPS get the nearest city within',
    'its radius. A CSV manifest has rows `path,city` or `path,lat,lon`. Duplicates are detected by',
    'content. Creates the library if needed. Ctrl-C cancels the import cleanly; a second Ctrl-C quits.',
  ].join('\n'),
  positionals: { min: 0, max: Number.POSITIVE_INFINITY },
  options: { csv: { type: 'string', value: 'FILE', description: 'a CSV manifest to import' } },
  library: 'create',
  async run(ctx) {
    const csv = ctx.options.csv;
    const paths = ctx.positionals.map((p) => resolve(ctx.io.cwd, p));
    const progress = progressReporter(ctx, 'import');
    const interrupt = interruptCancels(
      ctx,
      'Cancelling the import… (press Ctrl-C again to quit at once)',
      () => progress.finish(),
    );
    try {
      const report = await ctx.client.runJob(
        'import.start',
        { paths, csv: typeof csv === 'string' ? resolve(ctx.io.cwd, csv) : null },
        (event) => {
          interrupt.jobStarted(event.jobId);
          progress.onEvent(event);
        },
      );
      progress.finish();
      ctx.output(report, () => reportText(report));
    } finally {
      progress.finish();
      interrupt.uninstall();
    }
  },
};
