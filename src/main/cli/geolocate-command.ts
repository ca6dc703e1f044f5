import { resolve } from 'node:path';
import { AppError } from '../../shared/contract/errors';
import type { GeoExportResult, GeoItem } from '../../shared/contract/geo-types';
import type { ParamsIn } from '../../shared/contract/methods';
import { UsageError } from './args';
import type { CommandContext, CommandSpec } from './command';
import { runGeoJob } from './geo-wait';
import { flag, numberOption, stringOption } from './ml-job';

/** Every photo of a batch, a page at a time (the contract caps a page at 1000). */
export async function allBatchItems(ctx: CommandContext, batchId: number): Promise<GeoItem[]> {
  const items: GeoItem[] = [];
  for (;;) {
    const page = await ctx.client.call('geo.items', {
      batchId,
      order: 'path',
      offset: items.length,
      limit: 1000,
    });
    items.push(...page.items);
    if (page.items.length === 0 || items.length >= page.total) return items;
  }
}

async function exportTo(
  ctx: CommandContext,
  params: ParamsIn<'geo.export'>,
  what: string,
): Promise<GeoExportResult> {
  const result = await ctx.client.call('geo.export', params);
  for (const s of result.skipped) ctx.log(`littleplanet: no ${what} for ${s.path}: ${s.reason}`);
  return result;
}

/** One printed row: a city (its centre as lat/lon), or unknown with the model's forced choice. */
type GeolocateRow = {
  path: string;
  city: string | null;
  p: number;
  lat: number | null;
  lon: number | null;
  unknown: boolean;
  oodScore: number | null;
  forcedChoice?: string;
};

export const GEOLOCATE_COMMAND: CommandSpec = {
  name: 'geolocate',
  args: 'PATH...',
  summary: 'Estimate the city of photos and write it back beside them (never into them)',
  details:
    "Makes a geolocation batch: imports new photos into the library (unlabelled unless a folder or\nGPS says otherwise), predicts their city a chunk at a time and prints [{path, city, p, lat, lon}]\n(lat/lon: the city centre). The batch id goes to stderr; a killed or cancelled run continues\nwith --resume ID. --xmp writes <name>.xmp beside each photo (an existing sidecar by another\nprogram is left alone); --exif-copies writes JPEG copies with EXIF GPS into a folder. Photos that\nhave their own GPS are never written. A photo that looks like none of the model's cities is\nanswered {city: null, unknown: true} (its forcedChoice beside) and nothing is written for it\nunless --include-unknown (then marked as a forced choice). See also `geo list` and `geo export`.",
  positionals: { min: 0, max: Number.POSITIVE_INFINITY },
  options: {
    model: { type: 'string', value: 'ID', description: 'the model to use (not with --resume)' },
    resume: { type: 'int', value: 'BATCH', description: 'continue a cancelled or killed batch' },
    xmp: { type: 'boolean', description: 'write an XMP sidecar beside each photo' },
    csv: { type: 'string', value: 'FILE', description: 'also write the results as CSV' },
    geojson: { type: 'string', value: 'FILE', description: 'also write them as GeoJSON points' },
    'exif-copies': {
      type: 'string',
      value: 'DIR',
      description: 'write JPEG copies with EXIF GPS into DIR',
    },
    'include-unknown': {
      type: 'boolean',
      description: "also write photos answered unknown (the model's forced choice, marked so)",
    },
  },
  library: 'open',
  async run(ctx) {
    const resumeId = numberOption(ctx, 'resume');
    const modelOption = stringOption(ctx, 'model');
    let batchId: number;
    let result;
    if (resumeId !== undefined) {
      if (ctx.positionals.length > 0 || modelOption !== undefined) {
        throw new UsageError('--resume continues a batch as it was made: give no PATH or --model.');
      }
      const batch = await ctx.client.call('geo.get', { batchId: resumeId });
      batchId = batch.id;
      ctx.log(
        `littleplanet: resuming batch ${batchId} (${batch.counts.predicted}/${batch.counts.photos} photos predicted)`,
      );
      result = await runGeoJob(ctx, async () => ({
        ...(await ctx.client.call('geo.resume', { batchId })),
        batchId,
      }));
    } else {
      if (modelOption === undefined) throw new UsageError('--model ID is required.');
      if (ctx.positionals.length === 0)
        throw new UsageError('Give the photos or folders (PATH...).');
      const modelId = modelOption;
      await ctx.client.call('models.get', { modelId });
      const paths = ctx.positionals.map((p) => resolve(ctx.io.cwd, p));
      let created = 0;
      result = await runGeoJob(ctx, async () => {
        const batch = await ctx.client.call('geo.create', { modelId, paths });
        created = batch.id;
        ctx.log(
          `littleplanet: batch ${batch.id} (a killed run continues with --resume ${batch.id})`,
        );
        return { jobId: batch.jobId, batchId: batch.id };
      });
      batchId = created;
    }
    for (const e of result.errors) ctx.log(`littleplanet: cannot geolocate ${e.path}: ${e.reason}`);
    ctx.log(
      `littleplanet: batch ${batchId}: ${result.newlyPredicted} of ${result.photos} photos predicted in this run`,
    );

    const cities = new Map((await ctx.client.call('cities.list', {})).map((c) => [c.name, c]));
    const rows = (await allBatchItems(ctx, batchId)).flatMap((item): GeolocateRow[] => {
      const name = item.reviewedCity ?? item.predicted;
      const city = name === null ? undefined : cities.get(name);
      if (name !== null && city === undefined) {
        ctx.log(
          `littleplanet: ${item.path}: the model's city ${name} is not in the library's cities`,
        );
      }
      if (city === undefined) return [];
      const p = item.probability ?? 0;
      // One row per file given: copies of one photo share its prediction. "Unknown" unless a
      // reviewer chose the city: the forced choice is reported beside, never as the city.
      if (item.unknown && item.reviewedCity === null) {
        return item.paths.map((path) => ({
          path,
          city: null,
          p,
          lat: null,
          lon: null,
          unknown: true,
          oodScore: item.oodScore,
          forcedChoice: city.name,
        }));
      }
      return item.paths.map((path) => ({
        path,
        city: city.name,
        p,
        lat: city.lat,
        lon: city.lon,
        unknown: false,
        oodScore: item.oodScore,
      }));
    });
    rows.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    if (rows.length === 0) throw new AppError('IO_ERROR', 'No photo could be geolocated.');

    const includeUnknown = flag(ctx, 'include-unknown');
    let sidecars: Map<string, string | null> | null = null;
    if (flag(ctx, 'xmp')) {
      const out = await exportTo(ctx, { batchId, format: 'xmp', includeUnknown }, 'sidecar');
      const written = new Map(out.files.map((f) => [f.path, f.file]));
      sidecars = new Map(rows.map((r) => [r.path, written.get(r.path) ?? null]));
    }
    for (const format of ['csv', 'geojson'] as const) {
      const file = stringOption(ctx, format);
      if (file !== undefined) {
        await exportTo(
          ctx,
          { batchId, format, dest: resolve(ctx.io.cwd, file), includeUnknown },
          `${format} row`,
        );
      }
    }
    const copies = stringOption(ctx, 'exif-copies');
    if (copies !== undefined) {
      const out = await exportTo(
        ctx,
        { batchId, format: 'exif-copies', dest: resolve(ctx.io.cwd, copies), includeUnknown },
        'EXIF copy',
      );
      ctx.log(`littleplanet: ${out.written} JPEG copies with EXIF GPS in ${out.dest ?? copies}`);
    }
    ctx.output(
      rows.map((r) => ({ ...r, ...(sidecars?.has(r.path) ? { xmp: sidecars.get(r.path) } : {}) })),
      () =>
        [
          `Batch ${batchId}: ${rows.length} photos geolocated (${result.newlyPredicted} predicted in this run).`,
          ...rows.map((r) =>
            r.city === null
              ? `${r.path}: unknown, like none of the model's cities (forced choice ${r.forcedChoice ?? '?'} ${(100 * r.p).toFixed(1)}%)`
              : `${r.path}: ${r.city} ${(100 * r.p).toFixed(1)}% (${r.lat}, ${r.lon})`,
          ),
        ].join('\n'),
    );
  },
};
