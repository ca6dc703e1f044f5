// The labeling-queue methods of the contract over the open library: answers and undo are short
// SQL; ranking, retraining, the random control and the suspects are jobs on the ML host.
import { resolve } from 'node:path';
import { AppError } from '../../../shared/contract/errors';
import type { labelQueueMethods } from '../../../shared/contract/label-queue-methods';
import type { LabelingStatus } from '../../../shared/contract/label-queue-types';
import type { Handlers } from '../../../shared/contract/methods';
import { sync, type CoreServices } from '../core-services';
import { sqlOf } from '../db/sql';
import { mlPaths } from '../ml-jobs/ml-paths';
import { modelRecord } from '../ml-jobs/models-repo';
import { setHumanLabels } from '../repo/labels';
import { readSettings } from '../repo/settings';
import { queueLabelCount, recordAnswer, undoLast } from './label-events';
import { excludedCount } from './label-pool';
import { LabelSessions, type Session } from './label-sessions';
import { labelsCsv } from './labels-export';
import type { LabelingCore, LabelingMl } from './labeling-core';
import {
  curveOf,
  modelContext,
  recordCurvePoint,
  retrainHead,
  runControl,
  runSuggest,
  runSuspects,
} from './labeling-jobs';

export type LabelQueueHandlers = Pick<Handlers, keyof typeof labelQueueMethods>;

function requireMl(core: LabelingCore): LabelingMl {
  if (core.ml === null) {
    throw new AppError(
      'BACKEND_UNAVAILABLE',
      'The labeling queues need the ML service, which this app was started without.',
    );
  }
  return core.ml;
}

export function retrainEvery(core: LabelingCore): number {
  return (
    sqlOf(core.db()).get<{ retrain_every: number }>(
      'SELECT retrain_every FROM labeling_settings WHERE id = 1',
    )?.retrain_every ?? 25
  );
}

/** Seeds of successive retrains: fixed per head version, so a session replays the same way. */
const RETRAIN_SEED = 1;

export function createLabelingHandlers(services: CoreServices): LabelQueueHandlers {
  const core: LabelingCore = { ...services, ml: services.ml?.labeling ?? null };
  const sessions = new LabelSessions();
  const sql = () => sqlOf(core.db());
  const sessionOf = (modelId: string): Session => sessions.of(mlPaths(core.db()).dbPath, modelId);

  const status = (modelId: string): LabelingStatus => {
    modelRecord(sql(), modelId);
    const session = sessionOf(modelId);
    settle(session);
    return {
      modelId,
      retrainEvery: retrainEvery(core),
      queueLabels: queueLabelCount(sql()),
      sinceRetrain: session.sinceRetrain,
      retraining: session.retrainJob !== null,
      headVersion: session.headVersion,
      curve: curveOf(sql(), modelId),
      excluded: excludedCount(sql()),
    };
  };

  const startRetrain = (modelId: string, session: Session): void => {
    const ml = core.ml;
    if (ml === null) return;
    session.retrainJob = core.startJob('label-train', { modelId }, async (job) => {
      try {
        const ctx = modelContext(core, ml, modelId);
        const { head, point } = await retrainHead(ctx, RETRAIN_SEED, job);
        // A replaced retrain may still finish its last step: only the current one lands.
        if (session.retrainJob === job.jobId && !job.signal.aborted) {
          recordCurvePoint(ctx.sql, modelId, point);
          session.head = head;
          session.headVersion += 1;
          session.sinceRetrain = 0;
        }
        return point;
      } finally {
        if (session.retrainJob === job.jobId) session.retrainJob = null;
      }
    });
  };

  /** A retrain cancelled before it ran (by a user, or a library closing) leaves no slot taken. */
  const settle = (session: Session): void => {
    if (session.retrainJob !== null && !core.jobActive(session.retrainJob))
      session.retrainJob = null;
  };

  const afterTrainingChange = (modelId: string): void => {
    const session = sessionOf(modelId);
    settle(session);
    const next = LabelSessions.afterLabel(session, retrainEvery(core));
    if (next === 'none') return;
    if (next === 'replace' && session.retrainJob !== null) core.cancelJob(session.retrainJob);
    startRetrain(modelId, session);
  };

  return {
    'labels.setByPath': sync(({ paths, city }) => {
      const s = sql();
      const wanted = [...new Set(paths.map((p) => resolve(p)))];
      const rows = s.all<{ id: number; path: string }>(
        'SELECT id, path FROM images WHERE path IN (SELECT value FROM json_each(?))',
        [JSON.stringify(wanted)],
      );
      const found = new Set(rows.map((r) => r.path));
      const missing = wanted.filter((p) => !found.has(p));
      if (missing.length > 0) {
        throw new AppError(
          'BAD_ARGUMENT',
          `Not in the library: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` (and ${missing.length - 5} more)` : ''}; no label was changed. Import the photos first.`,
          { missing: missing.slice(0, 100) },
        );
      }
      const result = setHumanLabels(
        s,
        rows.map((r) => r.id),
        city,
        readSettings(s).split,
      );
      core.notifyChanged('labels');
      return result;
    }),

    'labels.export': sync(() => labelsCsv(sql())),

    'queue.suggest': (params) => {
      const ml = requireMl(core);
      const ctx = modelContext(core, ml, params.modelId);
      const session = sessionOf(params.modelId);
      const jobId = core.startJob('label-rank', params, (job) =>
        runSuggest(ctx, session, params, job),
      );
      return Promise.resolve({ jobId });
    },

    'queue.answer': sync((params) => {
      modelRecord(sql(), params.modelId);
      const event = recordAnswer(sql(), params);
      core.notifyChanged('labels');
      if (params.action !== 'skip' && params.action !== 'keep') afterTrainingChange(params.modelId);
      return { event, status: status(params.modelId) };
    }),

    'queue.undo': sync(({ modelId, queue }) => {
      modelRecord(sql(), modelId);
      const undone = undoLast(sql(), queue);
      if (undone !== null) {
        core.notifyChanged('labels');
        const session = sessionOf(modelId);
        if (undone.action !== 'skip' && undone.action !== 'keep') {
          session.sinceRetrain = Math.max(0, session.sinceRetrain - 1);
        }
      }
      return { undone, status: status(modelId) };
    }),

    'queue.status': sync(({ modelId }) => status(modelId)),

    'queue.settings': sync(({ retrainEvery: every }) => {
      if (every !== undefined) {
        sql().run('UPDATE labeling_settings SET retrain_every = ? WHERE id = 1', [every]);
      }
      return { retrainEvery: retrainEvery(core) };
    }),

    'queue.control': ({ modelId, seed }) => {
      const ml = requireMl(core);
      const ctx = modelContext(core, ml, modelId);
      const jobId = core.startJob('label-control', { modelId, seed }, (job) =>
        runControl(ctx, seed, job),
      );
      return Promise.resolve({ jobId });
    },

    'suspects.start': (params) => {
      const ml = requireMl(core);
      const ctx = modelContext(core, ml, params.modelId);
      const jobId = core.startJob('suspects', params, (job) => runSuspects(ctx, params, job));
      return Promise.resolve({ jobId });
    },
  };
}
