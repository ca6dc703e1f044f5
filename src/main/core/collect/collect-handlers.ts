// The collect methods of the contract: runs in SQLite, the work in a 'collect' job, keys in the
// secret store. See collect-job.ts for the run itself.
import { randomInt } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { collectMethods } from '../../../shared/contract/collect-methods';
import { AppError } from '../../../shared/contract/errors';
import type { Handlers } from '../../../shared/contract/methods';
import { sync, type CoreServices } from '../core-services';
import type { Sql } from '../db/sql';
import { matchCityName } from '../import/city-match';
import { listCities } from '../repo/cities';
import { getRun, insertRun, listRuns, setRunJob } from './collect-repo';
import { missingKeyError, runCollectJob } from './collect-job';

export type CollectHandlers = Pick<Handlers, keyof typeof collectMethods>;

/** The library's own names for the asked cities (matched loosely, like import folders). */
function libraryCities(sql: Sql, asked: readonly string[]): string[] {
  const names = listCities(sql).map((c) => c.name);
  const unknown: string[] = [];
  const found: string[] = [];
  for (const name of asked) {
    const match = matchCityName(name, names);
    if (match === null) unknown.push(name);
    else if (!found.includes(match)) found.push(match);
  }
  if (unknown.length > 0) {
    throw new AppError(
      'BAD_ARGUMENT',
      `Unknown cit${unknown.length === 1 ? 'y' : 'ies'}: ${unknown.join(', ')}. Add ${unknown.length === 1 ? 'it' : 'them'} on the Cities screen (a centre and radius) first.`,
      { cities: unknown },
    );
  }
  return found;
}

export function createCollectHandlers(core: CoreServices): CollectHandlers {
  const setup = core.collect;
  const { secrets } = setup;
  const start = (runId: number): { jobId: string } => {
    const run = getRun(core.sql(), runId);
    const jobId = core.startJob('collect', { runId, provider: run.provider }, (ctx) =>
      runCollectJob({
        sql: core.sql(),
        runId,
        ctx,
        setup,
        importManifest: (csv, jobCtx) => core.runImport([], csv, jobCtx),
      }),
    );
    setRunJob(core.sql(), runId, jobId);
    return { jobId };
  };
  const requireKey = (provider: 'streetview' | 'mapillary'): void => {
    if (secrets.get(provider) === null) {
      throw missingKeyError(provider, secrets.status(provider).note);
    }
  };

  return {
    'collect.start': sync((params) => {
      requireKey(params.provider);
      const sql = core.sql();
      const cities = libraryCities(sql, params.cities);
      const destDir =
        params.destDir === null
          ? join(core.libraryDir(), 'collected', params.provider)
          : resolve(params.destDir);
      const runId = insertRun(
        sql,
        {
          provider: params.provider,
          cities,
          count: params.count,
          radiusKm: params.radiusKm,
          bbox: params.bbox,
          width: params.width,
          height: params.height,
          fov: params.fov,
          headings: params.headings,
          pitch: params.pitch,
          ratePerSecond: params.ratePerSecond,
          maxPointsPerCity: params.maxPointsPerCity ?? params.count * 10 + 20,
          seed: params.seed ?? randomInt(0, 2 ** 32 - 1),
        },
        destDir,
      );
      return start(runId);
    }),
    'collect.resume': sync(({ runId }) => {
      const run = getRun(core.sql(), runId);
      if (run.status === 'running') {
        throw new AppError('CONFLICT', `Collect run ${runId} is still running.`, { runId });
      }
      requireKey(run.provider);
      return start(runId);
    }),
    'collect.runs': sync(() => listRuns(core.sql())),
    'collect.run': sync(({ runId }) => getRun(core.sql(), runId)),
    'collect.key.status': sync(({ provider }) => secrets.status(provider)),
    'collect.key.set': sync(({ provider, key, persist }) => secrets.set(provider, key, persist)),
    'collect.key.clear': sync(({ provider }) => secrets.clear(provider)),
  };
}
