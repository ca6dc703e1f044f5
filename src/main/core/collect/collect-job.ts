import { AppError, toErrorData } from '../../../shared/contract/errors';
import type {
  CollectCityCounts,
  CollectJobResult,
  CollectProvider,
  CollectRun,
  CollectRunStatus,
} from '../../../shared/contract/collect-types';
import type { ImportReport } from '../../../shared/contract/library-types';
import { mulberry32 } from '../../../shared/domain/random';
import type { JobContext } from '../jobs/job-manager';
import type { Sql } from '../db/sql';
import type { Clock } from './clock';
import type { Collector, CollectorContext } from './collector';
import { collectCity, type CollectRound } from './collect-city';
import { cityCounts, fetchedRows, finishRun, getRun } from './collect-repo';
import { writeManifest } from './collect-files';
import { CollectHttp } from './http';
import { mapillaryCollector } from './mapillary';
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

/** The run's collector, talking to the service through a rate-limited, retrying, redacting client. */
function openCollector(deps: CollectJobDeps, run: CollectRun, key: string): Collector {
  const { ctx, setup } = deps;
  const { options, provider } = run;
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
    warn: (message) => ctx.log('warn', redact(message, [key])),
  });
  return MAKERS[provider]({ http, baseUrl: setup.baseUrls[provider], key, options });
}

/**
 * One job of a collect run: each city in turn (see collectCity); a refused key or a spent quota
 * end the run at once. Whatever was fetched is then imported. Every message is redacted (the key
 * never leaves here).
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
  const totalWanted = options.count * options.cities.length;
  const round: CollectRound = {
    sql,
    runId,
    provider,
    service: SERVICE[provider],
    options,
    collector: openCollector(deps, run, key),
    ctx,
    scrub,
    report: (current) => {
      const done = cityCounts(sql, runId, options).reduce(
        (sum, c) => sum + Math.min(c.fetched, c.target),
        0,
      );
      ctx.progress(done, totalWanted, progressMessage(current));
    },
    counters: { fetchedNow: 0, failuresInARow: 0 },
  };
  const warnings: string[] = [];
  let stopError: AppError | null = null;
  try {
    for (const cityName of options.cities) {
      if (ctx.signal.aborted) break;
      const warning = await collectCity(round, cityName);
      if (warning !== null) warnings.push(warning);
    }
  } catch (error) {
    if (!ctx.signal.aborted || !(error instanceof Error && error.name === 'AbortError')) {
      const data = toErrorData(error);
      stopError = new AppError(data.code, scrub(data.message), data.details);
    }
  }
  const imported = await importCollected(deps, run, scrub, warnings);
  const status: CollectRunStatus =
    stopError !== null ? 'failed' : ctx.signal.aborted ? 'cancelled' : 'done';
  finishRun(sql, runId, status, stopError?.toData() ?? null, imported);
  if (stopError !== null) throw stopError;
  return {
    runId,
    status,
    perCity: cityCounts(sql, runId, options),
    fetchedNow: round.counters.fetchedNow,
    import: imported,
    destDir: options.destDir,
    warnings,
  };
}

/**
 * Writes the run's manifest (attribution) and imports what was fetched unless cancelled; an
 * import that fails becomes a warning, not a failed run.
 */
async function importCollected(
  deps: CollectJobDeps,
  run: CollectRun,
  scrub: (text: string) => string,
  warnings: string[],
): Promise<ImportReport | null> {
  const { sql, runId, ctx } = deps;
  const rows = fetchedRows(sql, runId);
  const { destDir } = run.options;
  const manifest = writeManifest(destDir, runId, run.provider, LICENCE[run.provider], rows);
  if (rows.length === 0 || ctx.signal.aborted) return null;
  try {
    return await deps.importManifest(manifest, {
      ...ctx,
      progress: (done, total, message) =>
        ctx.progress(done, total, `importing: ${message ?? ''}`.trim()),
    });
  } catch (error) {
    warnings.push(
      `the import of the collected photos failed: ${scrub(toErrorData(error).message)}`,
    );
    return null;
  }
}
