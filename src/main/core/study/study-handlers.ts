// The study methods of the contract, over the open library's SQLite database. Everything here is
// short indexed SQL; the one heavy part, the model's answers, is delegated to a predict job.
import type { Handlers } from '../../../shared/contract/methods';
import type { studyMethods } from '../../../shared/contract/study-methods';
import { sync, type CoreServices } from '../core-services';
import { sqlOf } from '../db/sql';
import { joinStudy } from './participants';
import { studyResults } from './results';
import { answerRound, nextRound } from './rounds';
import { insertStudy, planStudy } from './study-create';
import { getStudy, listStudies, missingModelAnswers, removeStudy } from './study-repo';
import { exportStudy, importStudy } from './transfer';

export type StudyHandlers = Pick<Handlers, keyof typeof studyMethods>;

/** Starts a predict job storing the model's top-3 for these library images; its job id. */
async function startPredict(
  services: CoreServices,
  modelId: string,
  imageIds: number[],
): Promise<string> {
  const start = services.handlers()['predict.start'];
  return (await start({ modelId, imageIds, paths: [], topK: 3, tta: 'center' })).jobId;
}

export function createStudyHandlers(services: CoreServices): StudyHandlers {
  const sql = () => sqlOf(services.db());
  return {
    'study.create': async (params) => {
      const plan = planStudy(sql(), params);
      const id = insertStudy(sql(), params, plan);
      const warnings = [...plan.warnings];
      const missing = missingModelAnswers(sql(), id, params.modelId);
      let predictJobId: string | null = null;
      if (params.modelId !== null && missing.length > 0) {
        // Design: the model's answers live in the predictions table (one predict job, the same
        // path as the Predict screen); round.next copies them into the trial before a photo is
        // shown and refuses (CONFLICT) a photo whose answer is not there yet.
        try {
          predictJobId = await startPredict(services, params.modelId, missing);
        } catch (error) {
          warnings.push(
            `could not start the model's predictions (${error instanceof Error ? error.message : String(error)}); rounds wait for them`,
          );
        }
      }
      return { ...getStudy(sql(), id), predictJobId, warnings };
    },
    'study.list': sync(() => listStudies(sql())),
    'study.get': sync(({ studyId }) => getStudy(sql(), studyId)),
    'study.remove': sync(({ studyId }) => removeStudy(sql(), studyId)),
    'participant.join': sync((params) => joinStudy(sql(), params)),
    'round.next': sync((params) => nextRound(sql(), params)),
    'round.answer': sync((params) => answerRound(sql(), params)),
    'study.results': sync(({ studyId }) => studyResults(sql(), studyId)),
    'study.export': sync(({ studyId }) => exportStudy(sql(), studyId)),
    'study.import': ({ studyId, path, csvText }) =>
      importStudy(sql(), studyId, path !== null ? { path } : { csvText: csvText ?? '' }),
  };
}
