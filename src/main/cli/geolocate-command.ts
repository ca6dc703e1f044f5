import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AppError } from '../../shared/contract/errors';
import {
  geolocationCsv,
  geolocationGeoJson,
  type GeolocatedPhoto,
} from '../core/geolocate/exports';
import { writeSidecar } from '../core/geolocate/xmp-sidecar';
import type { CommandSpec } from './command';
import { flag, runCancellableJob, stringOption } from './ml-job';

export const GEOLOCATE_COMMAND: CommandSpec = {
  name: 'geolocate',
  args: 'PATH...',
  summary: 'Estimate the city of photos and write it back beside them (never into them)',
  details:
    'Imports new photos into the library (unlabelled unless a folder or GPS says otherwise), predicts\ntheir city and prints [{path, city, p, lat, lon}] (lat/lon: the city centre). --xmp writes\n<name>.xmp beside each photo (an existing sidecar by another program is left alone).',
  positionals: { min: 1, max: Number.POSITIVE_INFINITY },
  options: {
    model: { type: 'string', value: 'ID', description: 'the model to use', required: true },
    xmp: { type: 'boolean', description: 'write an XMP sidecar beside each photo' },
    csv: { type: 'string', value: 'FILE', description: 'also write the results as CSV' },
    geojson: { type: 'string', value: 'FILE', description: 'also write them as GeoJSON points' },
  },
  library: 'open',
  async run(ctx) {
    const modelId = stringOption(ctx, 'model') ?? '';
    await ctx.client.call('models.get', { modelId });
    const paths = ctx.positionals.map((p) => resolve(ctx.io.cwd, p));
    const report = await runCancellableJob(
      ctx,
      'import.start',
      { paths, csv: null },
      { what: 'import', label: 'import' },
    );
    for (const e of report.errors) ctx.log(`littleplanet: skipped ${e.path}: ${e.reason}`);
    const predicted = await runCancellableJob(
      ctx,
      'predict.start',
      { modelId, paths, topK: 1 },
      { what: 'prediction', label: 'geolocate' },
    );
    for (const e of predicted.errors)
      ctx.log(`littleplanet: cannot geolocate ${e.path}: ${e.reason}`);
    const cities = new Map((await ctx.client.call('cities.list', {})).map((c) => [c.name, c]));
    const rows: GeolocatedPhoto[] = [];
    for (const p of predicted.predictions) {
      const top = p.top[0];
      const city = top === undefined ? undefined : cities.get(top.city);
      if (top === undefined || city === undefined) {
        ctx.log(
          `littleplanet: ${p.path}: the model's city ${top?.city ?? '?'} is not in the library's cities`,
        );
        continue;
      }
      rows.push({
        path: p.path,
        city: city.name,
        country: city.country,
        p: top.probability,
        lat: city.lat,
        lon: city.lon,
      });
    }
    if (rows.length === 0) {
      throw new AppError('IO_ERROR', 'No photo could be geolocated.');
    }
    const sidecars = new Map<string, string | null>();
    if (flag(ctx, 'xmp')) {
      for (const r of rows) {
        const out = writeSidecar(r.path, {
          city: r.city,
          country: r.country,
          lat: r.lat,
          lon: r.lon,
          confidence: r.p,
          modelId,
        });
        sidecars.set(r.path, out.written ? out.path : null);
        if (!out.written) ctx.log(`littleplanet: no sidecar for ${r.path}: ${out.reason ?? ''}`);
      }
    }
    const csv = stringOption(ctx, 'csv');
    if (csv !== undefined) writeFileSync(resolve(ctx.io.cwd, csv), geolocationCsv(rows, modelId));
    const geojson = stringOption(ctx, 'geojson');
    if (geojson !== undefined) {
      writeFileSync(resolve(ctx.io.cwd, geojson), geolocationGeoJson(rows, modelId));
    }
    ctx.output(
      rows.map((r) => ({
        path: r.path,
        city: r.city,
        p: r.p,
        lat: r.lat,
        lon: r.lon,
        ...(sidecars.has(r.path) ? { xmp: sidecars.get(r.path) } : {}),
      })),
      () =>
        rows
          .map((r) => `${r.path}: ${r.city} ${(100 * r.p).toFixed(1)}% (${r.lat}, ${r.lon})`)
          .join('\n'),
    );
  },
};
