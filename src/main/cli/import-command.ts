import { resolve } from 'node:path';
import type { ImportReport } from '../../shared/contract/library-types';
import type { CommandSpec } from './command';
import { plural, seconds } from './format';
import { interruptCancels } from './interrupt-cancels';
import { progressReporter } from './progress-reporter';

/** How many skipped files the human summary lists; --json always has them all. */
const LISTED_ERRORS = 20;

function reportText(report: ImportReport): string {
  const lines = [
    `Imported ${plural(report.imported, 'new image')} (${report.labeled} labeled) in ${seconds(report.durationMs)}.`,
    `${plural(report.duplicates, 'duplicate')}, ${report.skipped} skipped, ${report.alreadyPresent} already in the library.`,
  ];
  const conflicts = report.duplicateOf.filter((d) => d.labelConflict !== undefined);
  if (conflicts.length > 0) {
    lines.push('', 'Duplicates with another label:');
    for (const d of conflicts.slice(0, LISTED_ERRORS)) {
      lines.push(`  ${d.path} (copy of ${d.existingPath}): ${d.labelConflict}`);
    }
    const more = conflicts.length - LISTED_ERRORS;
    if (more > 0) lines.push(`  … and ${more} more (--json lists them all)`);
  }
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
