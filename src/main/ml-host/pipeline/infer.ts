// Running a trained model over images (the `model.evaluate` and `model.predict` ops). A library
// image with a valid cached centre-view feature and a stage-1 model only needs the head; everything
// else (fine-tuned models, multi-crop, files from outside the library) runs the whole network.
import { AppError } from '../../../shared/contract/errors';
import { argmaxRow, evaluate } from '../../../shared/domain/metrics';
import { readBackboneMeta } from '../backbone';
import { topK } from '../eval/predict';
import { readFeatures, withDatabase } from './feature-db';
import { readImageFile, readNormImage, reasonOf, type Rgb } from './images';
import { tensorLock } from './host-resources';
import { withModelRunner, type ModelAnswers, type ModelRunner } from './model-runner';
import type {
  EvaluateRunParams,
  EvaluateRunResult,
  InferItem,
  InferParams,
  PredictRunParams,
  PredictRunResult,
} from './types';
import { join } from 'node:path';

export type InferCallbacks = {
  signal: AbortSignal;
  progress(done: number, total: number): void;
};

/** One photo's answer: calibrated and uncalibrated probabilities [K], open-set score. */
type Answer = { probabilities: Float32Array; uncalibrated: Float32Array; oodScore: number | null };

type Outcome = {
  answers: (Answer | null)[];
  errors: { index: number; reason: string }[];
};

function answerAt(a: ModelAnswers, row: number, k: number): Answer {
  return {
    probabilities: a.probabilities.slice(row * k, (row + 1) * k),
    uncalibrated: a.uncalibrated.slice(row * k, (row + 1) * k),
    oodScore: a.oodScores === null ? null : (a.oodScores[row] as number),
  };
}

/** Decodes ahead of the forward pass so sharp (libuv threads) overlaps the network (main thread). */
const PREFETCH = 4;

function load(item: InferItem, maxPixels: number): Promise<Rgb> {
  return item.kind === 'norm' ? readNormImage(item.file) : readImageFile(item.file, maxPixels);
}

/** Cached centre features for the library items a stage-1 model can take them for. */
async function cachedProbabilities(
  p: InferParams,
  runner: ModelRunner,
  out: (Answer | null)[],
): Promise<void> {
  if (p.tta !== 'center' || !runner.usesCachedFeatures) return;
  const library = p.items
    .map((item, index) => ({ item, index }))
    .filter((e) => e.item.imageId !== null && e.item.contentHash !== null);
  if (library.length === 0) return;
  const { backbone } = runner.meta;
  const meta = await readBackboneMeta(join(p.backbonesRoot, backbone.name));
  const { x, missing } = await withDatabase(p.dbPath, (db) =>
    readFeatures(
      db,
      { name: backbone.name, sha256: meta.sha256 },
      backbone.featureDim,
      library.map((e) => ({
        imageId: e.item.imageId!,
        contentHash: e.item.contentHash!,
        views: 1,
      })),
    ),
  );
  const missingSet = new Set(missing);
  const answers = await runner.fromFeatures(x);
  const k = runner.classes.length;
  library.forEach((e, row) => {
    if (!missingSet.has(e.item.imageId!)) out[e.index] = answerAt(answers, row, k);
  });
}

function runModel(p: InferParams, cb: InferCallbacks): Promise<{ classes: string[] } & Outcome> {
  return tensorLock.shared(() =>
    withModelRunner(p.modelDir, p.backbonesRoot, (runner) => runWith(runner, p, cb)),
  );
}

async function runWith(
  runner: ModelRunner,
  p: InferParams,
  cb: InferCallbacks,
): Promise<{ classes: string[] } & Outcome> {
  const answers: (Answer | null)[] = p.items.map(() => null);
  await cachedProbabilities(p, runner, answers);
  const errors: Outcome['errors'] = [];
  const todo = p.items
    .map((item, index) => ({ item, index }))
    .filter((e) => answers[e.index] === null);
  const total = p.items.length;
  let done = total - todo.length;
  cb.progress(done, total);
  const pending = new Map<number, Promise<Rgb | Error>>();
  const fetch = (i: number): void => {
    const e = todo[i];
    if (e === undefined || pending.has(i)) return;
    pending.set(
      i,
      load(e.item, p.maxImagePixels).catch((error: unknown) =>
        error instanceof Error ? error : new Error(String(error)),
      ),
    );
  };
  for (let i = 0; i < Math.min(PREFETCH, todo.length); i++) fetch(i);
  for (let i = 0; i < todo.length; i++) {
    if (cb.signal.aborted) throw new AppError('CANCELLED', 'Cancelled.');
    const e = todo[i]!;
    const rgb = await pending.get(i)!;
    pending.delete(i);
    fetch(i + PREFETCH);
    if (rgb instanceof Error) errors.push({ index: e.index, reason: reasonOf(rgb) });
    else answers[e.index] = answerAt(await runner.fromImage(rgb, p.tta), 0, runner.classes.length);
    done++;
    cb.progress(done, total);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return { classes: runner.classes, answers, errors };
}

export async function evaluateImages(
  p: EvaluateRunParams,
  cb: InferCallbacks,
): Promise<EvaluateRunResult> {
  const { classes, answers, errors } = await runModel(p, cb);
  const k = classes.length;
  const skipped = errors.map((e) => ({ path: p.items[e.index]!.display, reason: e.reason }));
  const labels: number[] = [];
  const rows: Float32Array[] = [];
  const uncalibrated: Float32Array[] = [];
  const items: EvaluateRunResult['items'] = [];
  p.items.forEach((item, i) => {
    const answer = answers[i];
    if (answer === null || answer === undefined) return;
    if (item.label === null || item.label < 0 || item.label >= k) {
      throw new AppError('INTERNAL', `Evaluation item ${item.display} has no valid label.`);
    }
    labels.push(item.label);
    rows.push(answer.probabilities);
    uncalibrated.push(answer.uncalibrated);
    const predicted = argmaxRow(answer.probabilities);
    items.push({
      index: i,
      predicted,
      probability: answer.probabilities[predicted] as number,
      oodScore: answer.oodScore,
    });
  });
  const prior = p.priorCounts === null ? {} : { priorCounts: p.priorCounts };
  const report = evaluate({ classes, labels, probabilities: rows, ...prior });
  const before = evaluate({ classes, labels, probabilities: uncalibrated, ...prior });
  return { report, calibrationBefore: before.calibration, skipped, items };
}

export async function predictImages(
  p: PredictRunParams,
  cb: InferCallbacks,
): Promise<PredictRunResult> {
  const { classes, answers, errors } = await runModel(p, cb);
  const predictions: PredictRunResult['predictions'] = [];
  answers.forEach((answer, index) => {
    if (answer === null) return;
    predictions.push({
      index,
      top: topK(answer.probabilities, classes, p.k)[0]!,
      oodScore: answer.oodScore,
    });
  });
  return {
    predictions,
    errors: errors.map((e) => ({ path: p.items[e.index]!.display, reason: e.reason })),
  };
}
