import type {
  CollectJobResult,
  CollectProvider,
  CollectRun,
} from '../../shared/contract/collect-types';
import { COLLECT_PROVIDERS } from '../../shared/contract/collect-types';
import { resolve } from 'node:path';
import { UsageError } from './args';
import type { CommandContext, CommandSpec } from './command';
import { defined, flag, numberOption, runCancellableJob, stringOption } from './ml-job';
import { collectMethods } from '../../shared/contract/collect-methods';
import { paramDefault, paramsShape } from '../../shared/contract/param-info';
import { paramOption } from './param-option';

function isProvider(word: string): word is CollectProvider {
  return (COLLECT_PROVIDERS as readonly string[]).includes(word);
}

/** `--size 256x256` → [256, 256]. */
function sizeOption(ctx: CommandContext): { width?: number; height?: number } {
  const raw = stringOption(ctx, 'size');
  if (raw === undefined) return {};
  const match = /^(\d{1,4})x(\d{1,4})$/i.exec(raw);
  if (match === null) throw new UsageError(`--size must look like 256x256, not "${raw}".`);
  return { width: Number(match[1]), height: Number(match[2]) };
}

/** `--heading random`, `--heading 90` or `--heading 0,90,180,270`. */
function headingOption(ctx: CommandContext): 'random' | number[] | undefined {
  const raw = stringOption(ctx, 'heading');
  if (raw === undefined || raw === 'random') return raw;
  const values = raw.split(',').map((v) => Number(v.trim()));
  if (values.some((v) => !Number.isFinite(v) || v < 0 || v > 360)) {
    throw new UsageError(
      `--heading takes "random" or degrees 0-360 (e.g. 0,90,180), not "${raw}".`,
    );
  }
  return values;
}

/** `--bbox minLon,minLat,maxLon,maxLat`. */
function bboxOption(ctx: CommandContext): [number, number, number, number] | undefined {
  const raw = stringOption(ctx, 'bbox');
  if (raw === undefined) return undefined;
  const values = raw.split(',').map((v) => Number(v.trim()));
  if (values.length !== 4 || values.some((v) => !Number.isFinite(v))) {
    throw new UsageError(`--bbox takes minLon,minLat,maxLon,maxLat, not "${raw}".`);
  }
  return values as [number, number, number, number];
}

/** `--city Paris London` (the words after the provider) and/or `--city "Paris,New York"`. */
function cityNames(ctx: CommandContext): string[] {
  const fromOption = (stringOption(ctx, 'city') ?? '').split(',');
  return [...fromOption, ...ctx.positionals.slice(1)].map((c) => c.trim()).filter((c) => c !== '');
}

function countsText(perCity: CollectJobResult['perCity']): string {
  return perCity
    .map(
      (c) =>
        `  ${c.city}: ${c.fetched}/${c.target} photos, ${c.points} points (${c.noImagery} without imagery, ${c.duplicates} duplicates, ${c.failed} failed)`,
    )
    .join('\n');
}

function resultText(result: CollectJobResult): string {
  const lines = [
    `Collect run ${result.runId} (${result.status}): ${result.fetchedNow} new photos in ${result.destDir}`,
    countsText(result.perCity),
  ];
  if (result.import !== null) {
    lines.push(
      `Imported ${result.import.imported} (${result.import.labeled} labeled, ${result.import.duplicates} duplicates, ${result.import.alreadyPresent} already in the library).`,
    );
  }
  for (const warning of result.warnings) lines.push(`warning: ${warning}`);
  return lines.join('\n');
}

function runsText(runs: CollectRun[]): string {
  if (runs.length === 0) return 'No collect runs yet.';
  return runs
    .map((r) => `#${r.id} ${r.provider} ${r.status} ${r.createdAt}\n${countsText(r.perCity)}`)
    .join('\n');
}

/**
 * `littleplanet collect streetview|mapillary --city NAME... --count N`: photos from the Street View
 * Static API or Mapillary into `<library>/collected/<provider>/<City>/`, then imported. Keys come
 * only from the environment here, never from the command line (where they would land in shell
 * history and process lists).
 */
const collectParams = paramsShape(collectMethods['collect.start'].params);

export const COLLECT_COMMAND: CommandSpec = {
  name: 'collect',
  args: 'streetview|mapillary [CITY...]',
  summary: 'Collect street photos of cities from Street View or Mapillary, then import them',
  details: [
    'Random points within --radius km of each city centre (area-uniform, seeded); Street View asks',
    'the free metadata endpoint first, Mapillary searches a small box around the point. No imagery',
    'or an already collected panorama/image draws a fresh point. Ctrl-C stops; --resume RUN goes on.',
    'Keys: LITTLEPLANET_STREETVIEW_KEY, LITTLEPLANET_MAPILLARY_TOKEN (environment only).',
    'Other servers: LITTLEPLANET_STREETVIEW_URL, LITTLEPLANET_MAPILLARY_URL.',
  ].join('\n'),
  positionals: { min: 0, max: Number.POSITIVE_INFINITY },
  options: {
    city: { type: 'string', value: 'NAME', description: 'a library city (comma-separate several)' },
    count: { type: 'int', value: 'N', description: 'photos to collect per city' },
    radius: paramOption(collectParams.radiusKm, {
      value: 'KM',
      description: 'around each city centre',
    }),
    bbox: {
      type: 'string',
      value: 'W,S,E,N',
      description: 'a box (minLon,minLat,maxLon,maxLat) instead of the radius; one city',
    },
    size: {
      type: 'string',
      value: 'WxH',
      description: `image size (default ${paramDefault(collectParams.width)}x${paramDefault(collectParams.height)})`,
    },
    fov: paramOption(collectParams.fov, { value: 'DEG', description: 'Street View field of view' }),
    heading: paramOption(collectParams.headings, {
      value: 'DEG|random',
      description: 'Street View heading(s), e.g. 0,90,180,270',
    }),
    pitch: paramOption(collectParams.pitch, { value: 'DEG', description: 'Street View pitch' }),
    rate: paramOption(collectParams.ratePerSecond, {
      value: 'N',
      description: 'requests per second at most',
    }),
    'max-points': { type: 'int', value: 'N', description: 'points drawn per city at most' },
    seed: { type: 'int', value: 'N', description: 'seed of the random points' },
    dest: { type: 'string', value: 'DIR', description: 'where the city folders go' },
    resume: { type: 'int', value: 'RUN', description: 'continue a stopped or cancelled run' },
    list: { type: 'boolean', description: 'list the past runs and stop' },
  },
  library: 'open',
  async run(ctx) {
    if (flag(ctx, 'list')) {
      const runs = await ctx.client.call('collect.runs', {});
      ctx.output(runs, () => runsText(runs));
      return;
    }
    const options = { what: 'collection', label: 'collect' };
    const resume = numberOption(ctx, 'resume');
    let result: CollectJobResult;
    if (resume !== undefined) {
      result = await runCancellableJob(ctx, 'collect.resume', { runId: resume }, options);
    } else {
      const provider = ctx.positionals[0] ?? '';
      if (!isProvider(provider)) {
        throw new UsageError(
          `collect needs a provider, streetview or mapillary${provider === '' ? '' : `, not "${provider}"`}.`,
        );
      }
      const cities = cityNames(ctx);
      if (cities.length === 0) throw new UsageError('collect needs --city NAME (one or more).');
      const count = numberOption(ctx, 'count');
      if (count === undefined) throw new UsageError('collect needs --count N (photos per city).');
      const dest = stringOption(ctx, 'dest');
      result = await runCancellableJob(
        ctx,
        'collect.start',
        {
          provider,
          cities,
          count,
          ...defined({
            radiusKm: numberOption(ctx, 'radius'),
            bbox: bboxOption(ctx),
            ...sizeOption(ctx),
            fov: numberOption(ctx, 'fov'),
            headings: headingOption(ctx),
            pitch: numberOption(ctx, 'pitch'),
            ratePerSecond: numberOption(ctx, 'rate'),
            maxPointsPerCity: numberOption(ctx, 'max-points'),
            seed: numberOption(ctx, 'seed'),
            destDir: dest === undefined ? undefined : resolve(ctx.io.cwd, dest),
          }),
        },
        { ...options, onStart: (jobId) => ctx.log(`collect: job ${jobId}`) },
      );
    }
    ctx.output(result, () => resultText(result));
  },
};
