// One city of a collect run: its pending points first, then fresh seeded points, until it has
// its photos or its point budget is spent; and one point's lookup, download and record.
import { AppError } from '../../../shared/contract/errors';
import type {
  CollectCityCounts,
  CollectOptions,
  CollectProvider,
} from '../../../shared/contract/collect-types';
import type { LatLon } from '../../../shared/domain/geo';
import type { Sql } from '../db/sql';
import type { JobContext } from '../jobs/job-manager';
import { requireCity } from '../repo/cities';
import type { Collector } from './collector';
import {
  cityCounts,
  insertPoint,
  isTaken,
  nextSeq,
  pendingPoints,
  recordFetched,
  recordOutcome,
  type PointRow,
} from './collect-repo';
import { itemFileName, writePhoto } from './collect-files';
import { PointFailed } from './http';
import { plannedPoint, type Area } from './points';

/** Points failing one after another (5xx forever, a dead network) that end the run. */
export const MAX_FAILURES_IN_A_ROW = 5;

/** What every city of one collect job shares. */
export type CollectRound = {
  sql: Sql;
  runId: number;
  provider: CollectProvider;
  /** The service's name for messages ('Street View'). */
  service: string;
  options: CollectOptions;
  collector: Collector;
  ctx: JobContext;
  /** Removes the key from a message. */
  scrub(text: string): string;
  /** Reports progress with the counts of the city being collected. */
  report(current: CollectCityCounts): void;
  /** Photos fetched by this job, and points failed one after another (across cities). */
  counters: { fetchedNow: number; failuresInARow: number };
};

/** Where a city's points are drawn: the run's box, else the disc around the city's centre. */
function areaOf(options: CollectOptions, centre: LatLon): Area {
  return options.bbox === null
    ? { kind: 'disc', centre, radiusKm: options.radiusKm }
    : { kind: 'box', bbox: options.bbox };
}

const countsOf = (round: CollectRound, city: string): CollectCityCounts | undefined =>
  cityCounts(round.sql, round.runId, round.options).find((c) => c.city === city);

/**
 * Collects one city. "No imagery" and duplicates draw a fresh point; a failed point is recorded
 * with its reason and the city goes on, unless MAX_FAILURES_IN_A_ROW fail in a row (IO_ERROR).
 * Returns a warning when the city ends short of its target (and was not cancelled).
 */
export async function collectCity(round: CollectRound, cityName: string): Promise<string | null> {
  const { sql, runId, options, ctx, counters } = round;
  const city = requireCity(sql, cityName);
  const pending = pendingPoints(sql, runId, city.name);
  let seq = nextSeq(sql, runId, city.name);
  let counts = countsOf(round, city.name);
  if (counts === undefined) return null;
  round.report(counts);
  while (counts.fetched < counts.target && !ctx.signal.aborted) {
    let point = pending.shift();
    if (point === undefined) {
      if (counts.points >= options.maxPointsPerCity) break;
      const planned = plannedPoint(
        options.seed,
        city,
        areaOf(options, city),
        seq++,
        options.headings,
      );
      point = insertPoint(sql, runId, city.name, planned);
    }
    try {
      if ((await visitPoint(round, point)) === 'fetched') counters.fetchedNow++;
      counters.failuresInARow = 0;
    } catch (error) {
      if (ctx.signal.aborted) break;
      if (!(error instanceof PointFailed)) throw error;
      pointFailed(round, point, city.name, error);
    }
    counts = countsOf(round, city.name) ?? counts;
    round.report(counts);
  }
  if (ctx.signal.aborted || counts.fetched >= counts.target) return null;
  return `${city.name}: ${counts.fetched} of ${counts.target} photos after ${counts.points} points (${counts.noImagery} without imagery, ${counts.duplicates} duplicates, ${counts.failed} failed)`;
}

/** Records a failed point; IO_ERROR once MAX_FAILURES_IN_A_ROW have failed one after another. */
function pointFailed(round: CollectRound, point: PointRow, city: string, error: PointFailed): void {
  const reason = round.scrub(error.reason);
  recordOutcome(round.sql, point.id, 'failed', reason);
  round.ctx.log('warn', `${city}, point ${point.seq}: ${reason}`);
  round.counters.failuresInARow++;
  if (round.counters.failuresInARow >= MAX_FAILURES_IN_A_ROW) {
    throw new AppError(
      'IO_ERROR',
      `${round.service} failed ${round.counters.failuresInARow} points in a row (last: ${reason}); stopped. Resume the run later.`,
      { reason: 'failing' },
    );
  }
}

/** Looks a point up and downloads what it found, unless there is none or it is taken already. */
async function visitPoint(round: CollectRound, point: PointRow): Promise<'fetched' | 'other'> {
  const { sql, provider, runId, options } = round;
  const lookup = await round.collector.lookup(point, (id) => isTaken(sql, provider, id));
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
  const fileName = itemFileName(provider, item.itemId);
  const file = writePhoto(options.destDir, point.city, fileName, bytes);
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
}
