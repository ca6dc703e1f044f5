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
import { withModelRunner, type ModelRunner } from './model-runner';
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

type Outcome = {
  probabilities: (Float32Array | null)[];
  errors: { index: number; reason: string }[];
};

/** Decodes ahead of the forward pass so sharp (libuv threads) overlaps the network (main thread). */
const PREFETCH = 4;

function load(item: InferItem, maxPixels: number): Promise<Rgb> {
  return item.kind === 'norm' ? readNormImage(item.file) : readImageFile(item.file, maxPixels);
}

/** Cached centre features for the library items a stage-1 model can take them for. */
async function cachedProbabilities(
  p: InferParams,
  runner: ModelRunner,
  out: (Float32Array | null)[],
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
  const probs = await runner.fromFeatures(x);
  const k = runner.classes.length;
  library.forEach((e, row) => {
    if (!missingSet.has(e.item.imageId!)) out[e.index] = probs.slice(row * k, (row + 1) * k);
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
  const probabilities: (Float32Array | null)[] = p.items.map(() => null);
  await cachedProbabilities(p, runner, probabilities);
  const errors: Outcome['errors'] = [];
  const todo = p.items
    .map((item, index) => ({ item, index }))
    .filter((e) => probabilities[e.index] === null);
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
    else probabilities[e.index] = await runner.fromImage(rgb, p.tta);
    done++;
    cb.progress(done, total);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return { classes: runner.classes, probabilities, errors };
}

export async function evaluateImages(
  p: EvaluateRunParams,
  cb: InferCallbacks,
): Promise<EvaluateRunResult> {
  const { classes, probabilities, errors } = await runModel(p, cb);
  const k = classes.length;
  const skipped = errors.map((e) => ({ path: p.items[e.index]!.display, reason: e.reason }));
  const labels: number[] = [];
  const rows: Float32Array[] = [];
  const items: EvaluateRunResult['items'] = [];
  p.items.forEach((item, i) => {
    const probs = probabilities[i];
    if (probs === null || probs === undefined) return;
    if (item.label === null || item.label < 0 || item.label >= k) {
      throw new AppError('INTERNAL', `Evaluation item ${item.display} has no valid label.`);
    }
    labels.push(item.label);
    rows.push(probs);
    const predicted = argmaxRow(probs);
    items.push({ index: i, predicted, probability: probs[predicted] as number });
  });
  const report = evaluate({
    classes,
    labels,
    probabilities: rows,
    ...(p.priorCounts === null ? {} : { priorCounts: p.priorCounts }),
  });
  return { report, skipped, items };
}

export async function predictImages(
  p: PredictRunParams,
  cb: InferCallbacks,
): Promise<PredictRunResult> {
  const { classes, probabilities, errors } = await runModel(p, cb);
  const predictions: PredictRunResult['predictions'] = [];
  probabilities.forEach((probs, index) => {
    if (probs === null) return;
    predictions.push({ index, top: topK(probs, classes, p.k)[0]! });
  });
  return {
    predictions,
    errors: errors.map((e) => ({ path: p.items[e.index]!.display, reason: e.reason })),
  };
}
