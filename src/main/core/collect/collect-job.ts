import { AppError, toErrorData } from '../../../shared/contract/errors';
import type {
  CollectCityCounts,
  CollectJobResult,
  CollectOptions,
  CollectProvider,
  CollectRunStatus,
} from '../../../shared/contract/collect-types';
import type { ImportReport } from '../../../shared/contract/library-types';
import type { LatLon } from '../../../shared/domain/geo';
import { mulberry32 } from '../../../shared/domain/random';
import type { JobContext } from '../jobs/job-manager';
import type { Sql } from '../db/sql';
import { requireCity } from '../repo/cities';
import type { Clock } from './clock';
import type { Collector, CollectorContext } from './collector';
import {
  cityCounts,
  fetchedRows,
  finishRun,
  getRun,
  insertPoint,
  isTaken,
  nextSeq,
  pendingPoints,
  recordFetched,
  recordOutcome,
  type PointRow,
} from './collect-repo';
import { itemFileName, writeManifest, writePhoto } from './collect-files';
import { CollectHttp, PointFailed } from './http';
import { mapillaryCollector } from './mapillary';
import { plannedPoint, type Area } from './points';
import { RateLimiter } from './rate-limiter';
import { redact } from './redact';
import type { SecretStore } from './secret-store';
import { streetViewCollector } from './streetview';

/** How the collectors reach the services; tests point the URLs at a local fake and speed up time. */
export type CollectSetup = {
  secrets: SecretStore;
  baseUrls: Readonly<Record<CollectProvider, string>>;
  clock: Clock;
  /** Retries of a 429 / 5xx / network failure, and the first pause before one (doubled each time). */
  retries: number;
  backoffMs: number;
  maxBackoffMs: number;
};

/** Points failing one after another (5xx forever, a dead network) that end the run. */
export const MAX_FAILURES_IN_A_ROW = 5;

const SERVICE: Record<CollectProvider, string> = {
  streetview: 'Street View',
  mapillary: 'Mapillary',
};
const LICENCE: Record<CollectProvider, string> = {
  streetview: 'Google Maps Platform Terms of Service',
  mapillary: 'CC BY-SA 4.0',
};
const MAKERS: Record<CollectProvider, (ctx: CollectorContext) => Collector> = {
  streetview: streetViewCollector,
  mapillary: mapillaryCollector,
};

export function missingKeyError(provider: CollectProvider, note: string): AppError {
  return new AppError('UNAUTHORIZED', `No ${SERVICE[provider]} key is set. ${note}`, {
    reason: 'no-key',
  });
}

/** Where a city's points are drawn: the run's box, else the disc around the city's centre. */
function areaOf(options: CollectOptions, centre: LatLon): Area {
  return options.bbox === null
    ? { kind: 'disc', centre, radiusKm: options.radiusKm }
    : { kind: 'box', bbox: options.bbox };
}

function progressMessage(c: CollectCityCounts): string {
  return `${c.city}: ${c.fetched}/${c.target} photos (${c.noImagery} without imagery, ${c.duplicates} duplicates, ${c.failed} failed)`;
}

export type CollectJobDeps = {
  sql: Sql;
  runId: number;
  ctx: JobContext;
  setup: CollectSetup;
  /** Imports the run's manifest (the normal import: labels, positions, duplicates). */
  importManifest(csvPath: string, ctx: JobContext): Promise<ImportReport>;
};

/**
 * One job of a collect run: for each city, the pending points of an earlier job first, then fresh
 * seeded points, until the city has its photos or its point budget is spent. "No imagery" and
 * duplicates draw a fresh point; a failed point is recorded with its reason and the run goes on,
 * unless MAX_FAILURES_IN_A_ROW fail in a row; a refused key or a spent quota end the run at once.
 * Whatever was fetched is then imported. Every message is redacted (the key never leaves here).
 */
export async function runCollectJob(deps: CollectJobDeps): Promise<CollectJobResult> {
  const { sql, runId, ctx, setup } = deps;
  const run = getRun(sql, runId);
  const { options, provider } = run;
  const key = setup.secrets.get(provider);
  if (key === null) {
    const error = missingKeyError(provider, setup.secrets.status(provider).note);
    finishRun(sql, runId, 'failed', error.toData(), null);
    throw error;
  }
  const scrub = (text: string): string => redact(text, [key]);
  const warnings: string[] = [];
  const http = new CollectHttp({
    service: SERVICE[provider],
    limiter: new RateLimiter(options.ratePerSecond, setup.clock),
    clock: setup.clock,
    secrets: [key],
    retries: setup.retries,
    backoffMs: setup.backoffMs,
    maxBackoffMs: setup.maxBackoffMs,
    random: mulberry32(options.seed ^ 0x5a5a5a5a),
    signal: ctx.signal,
    warn: (message) => ctx.log('warn', scrub(message)),
  });
  const collector = MAKERS[provider]({
    http,
    baseUrl: setup.baseUrls[provider],
    key,
    options,
  });

  let fetchedNow = 0;
  let failuresInARow = 0;
  let stopError: AppError | null = null;
  const totalWanted = options.count * options.cities.length;
  const report = (current: CollectCityCounts): void => {
    const done = cityCounts(sql, runId, options).reduce(
      (sum, c) => sum + Math.min(c.fetched, c.target),
      0,
    );
    ctx.progress(done, totalWanted, progressMessage(current));
  };

  const visit = async (point: PointRow): Promise<'fetched' | 'other'> => {
    const lookup = await collector.lookup(point, (id) => isTaken(sql, provider, id));
    if (lookup.kind === 'none') {
      recordOutcome(sql, point.id, 'no-imagery', null);
      return 'other';
    }
    if (lookup.kind === 'duplicate') {
      recordOutcome(sql, point.id, 'duplicate', null, lookup.itemId);
      return 'other';
    }
    const bytes = await lookup.download();
    const { item } = lookup;
    const file = writePhoto(
      options.destDir,
      point.city,
      itemFileName(provider, item.itemId),
      bytes,
    );
    const claimed = recordFetched(sql, provider, runId, point.id, {
      item_id: item.itemId,
      file,
      item_lat: item.lat,
      item_lon: item.lon,
      captured_at: item.capturedAt,
      credit: item.credit,
    });
    if (!claimed) {
      recordOutcome(sql, point.id, 'duplicate', null, item.itemId);
      return 'other';
    }
    return 'fetched';
  };

  try {
    for (const cityName of options.cities) {
      if (ctx.signal.aborted) break;
      const city = requireCity(sql, cityName);
      const pending = pendingPoints(sql, runId, city.name);
      let seq = nextSeq(sql, runId, city.name);
      let counts = cityCounts(sql, runId, options).find((c) => c.city === city.name);
      if (counts === undefined) continue;
      report(counts);
      while (counts.fetched < counts.target && !ctx.signal.aborted) {
        let point = pending.shift();
        if (point === undefined) {
          if (counts.points >= options.maxPointsPerCity) break;
          point = insertPoint(
            sql,
            runId,
            city.name,
            plannedPoint(options.seed, city, areaOf(options, city), seq++, options.headings),
          );
        }
        try {
          if ((await visit(point)) === 'fetched') fetchedNow++;
          failuresInARow = 0;
        } catch (error) {
          if (ctx.signal.aborted) break;
          if (!(error instanceof PointFailed)) throw error;
          const reason = scrub(error.reason);
          recordOutcome(sql, point.id, 'failed', reason);
          ctx.log('warn', `${city.name}, point ${point.seq}: ${reason}`);
          failuresInARow++;
          if (failuresInARow >= MAX_FAILURES_IN_A_ROW) {
            throw new AppError(
              'IO_ERROR',
              `${SERVICE[provider]} failed ${failuresInARow} points in a row (last: ${reason}); stopped. Resume the run later.`,
              { reason: 'failing' },
            );
          }
        }
        counts = cityCounts(sql, runId, options).find((c) => c.city === city.name) ?? counts;
        report(counts);
      }
      if (!ctx.signal.aborted && counts.fetched < counts.target) {
        warnings.push(
          `${city.name}: ${counts.fetched} of ${counts.target} photos after ${counts.points} points (${counts.noImagery} without imagery, ${counts.duplicates} duplicates, ${counts.failed} failed)`,
        );
      }
    }
  } catch (error) {
    if (!ctx.signal.aborted || !(error instanceof Error && error.name === 'AbortError')) {
      const data = toErrorData(error);
      stopError = new AppError(data.code, scrub(data.message), data.details);
    }
  }

  const rows = fetchedRows(sql, runId);
  const manifest = writeManifest(options.destDir, runId, provider, LICENCE[provider], rows);
  let imported: ImportReport | null = null;
  if (rows.length > 0 && !ctx.signal.aborted) {
    try {
      imported = await deps.importManifest(manifest, {
        ...ctx,
        progress: (done, total, message) =>
          ctx.progress(done, total, `importing: ${message ?? ''}`.trim()),
      });
    } catch (error) {
      warnings.push(
        `the import of the collected photos failed: ${scrub(toErrorData(error).message)}`,
      );
    }
  }
  const status: CollectRunStatus =
    stopError !== null ? 'failed' : ctx.signal.aborted ? 'cancelled' : 'done';
  finishRun(sql, runId, status, stopError?.toData() ?? null, imported);
  if (stopError !== null) throw stopError;
  return {
    runId,
    status,
    perCity: cityCounts(sql, runId, options),
    fetchedNow,
    import: imported,
    destDir: options.destDir,
    warnings,
  };
}
