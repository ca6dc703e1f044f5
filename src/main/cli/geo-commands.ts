// `geo list | export`: geolocation batches made by `geolocate` (or the app), from scripts.
import { resolve } from 'node:path';
import type { GeoBatchSummary } from '../../shared/contract/geo-types';
import type { CommandContext, CommandSpec } from './command';
import { UsageError } from './args';
import { choiceOption, flag, stringOption } from './ml-job';
import { geoMethods } from '../../shared/contract/geo-methods';
import { paramsShape } from '../../shared/contract/param-info';
import { paramOption } from './param-option';

const FORMATS = {
  csv: 'csv',
  geojson: 'geojson',
  xmp: 'xmp',
  'exif-copies': 'exif-copies',
  'exif-originals': 'exif-originals',
} as const;
const SCOPES = { all: 'all', reviewed: 'reviewed' } as const;

function batchArg(ctx: CommandContext): number {
  const raw = ctx.positionals[0] ?? '';
  const id = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(id) || id <= 0) {
    throw new UsageError(`BATCH must be a batch id (a positive whole number), not "${raw}".`);
  }
  return id;
}

const summaryLine = (b: GeoBatchSummary): string => {
  const c = b.counts;
  const accuracy =
    b.accuracy.accuracy === null
      ? ''
      : `, ${(100 * b.accuracy.accuracy).toFixed(0)}% right on ${b.accuracy.withTruth} GPS photos`;
  return `${b.id}  ${b.name}  ${b.modelId}  ${c.predicted}/${c.photos} predicted${b.complete ? '' : ' (incomplete: geolocate --resume ' + String(b.id) + ')'}, ${c.accepted + c.corrected} reviewed, ${c.unsure} unsure, ${c.unknown} unknown${accuracy}`;
};

const GEO_LIST: CommandSpec = {
  name: 'geo list',
  aliases: ['geo'],
  summary: 'List the geolocation batches',
  details: 'Prints the batches (newest first) with their counts and accuracy on GPS photos.',
  positionals: { min: 0, max: 0 },
  options: {},
  library: 'open',
  async run(ctx) {
    const batches = await ctx.client.call('geo.list', {});
    ctx.output(batches, () =>
      batches.length === 0 ? 'No geolocation batch yet.' : batches.map(summaryLine).join('\n'),
    );
  },
};

const GEO_EXPORT: CommandSpec = {
  name: 'geo export',
  args: 'BATCH',
  summary: "Write a batch's locations back (file, sidecars, copies or originals)",
  details:
    "csv / geojson: print the file, or write it to --dest. xmp: <name>.xmp beside each photo.\nexif-copies: JPEG copies with EXIF GPS in the folder --dest. exif-originals: edits the photos\nthemselves, only with --confirm-originals and --backup-dir (untouched copies go there first).\nPhotos with their own GPS and skipped photos are never written, nor photos answered unknown\n(none of the model's cities) unless --include-unknown or a reviewer chose their city.",
  positionals: { min: 1, max: 1 },
  options: {
    format: {
      type: 'string',
      value: 'csv|geojson|xmp|exif-copies|exif-originals',
      description: 'what to write',
      required: true,
    },
    dest: { type: 'string', value: 'PATH', description: 'the file (csv, geojson) or folder' },
    scope: paramOption(paramsShape(geoMethods['geo.export'].params).scope, {
      value: 'all|reviewed',
      description: 'which photos',
    }),
    'backup-dir': { type: 'string', value: 'DIR', description: 'exif-originals: backups here' },
    'confirm-originals': { type: 'boolean', description: 'exif-originals: yes, edit the photos' },
    'include-unknown': {
      type: 'boolean',
      description: "also photos answered unknown (the model's forced choice, marked so)",
    },
  },
  library: 'open',
  async run(ctx) {
    const format = choiceOption(ctx, 'format', FORMATS) ?? 'csv';
    const dest = stringOption(ctx, 'dest');
    const backupDir = stringOption(ctx, 'backup-dir');
    if (format === 'exif-copies' && dest === undefined) {
      throw new UsageError('--format exif-copies needs --dest DIR.');
    }
    if (
      format === 'exif-originals' &&
      (backupDir === undefined || !flag(ctx, 'confirm-originals'))
    ) {
      throw new UsageError(
        '--format exif-originals needs --confirm-originals and --backup-dir DIR.',
      );
    }
    const result = await ctx.client.call('geo.export', {
      batchId: batchArg(ctx),
      format,
      scope: choiceOption(ctx, 'scope', SCOPES) ?? 'all',
      dest: dest === undefined ? null : resolve(ctx.io.cwd, dest),
      backupDir: backupDir === undefined ? null : resolve(ctx.io.cwd, backupDir),
      confirmOriginals: flag(ctx, 'confirm-originals'),
      includeUnknown: flag(ctx, 'include-unknown'),
    });
    for (const s of result.skipped) ctx.log(`littleplanet: not written: ${s.path}: ${s.reason}`);
    ctx.output(result, () =>
      result.text !== null && result.dest === null
        ? result.text.trimEnd()
        : `Wrote ${result.written} ${format === 'csv' || format === 'geojson' ? 'rows' : 'photos'}${result.dest === null ? '' : ` to ${result.dest}`}${result.backupDir === null ? '' : ` (backups in ${result.backupDir})`}; ${result.skipped.length} skipped.`,
    );
  },
};

export const GEO_COMMANDS: readonly CommandSpec[] = [GEO_LIST, GEO_EXPORT];
