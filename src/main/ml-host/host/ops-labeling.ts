// The labeling queues' host ops: rank, retrain, random control and suspects, on cached features
// read from the library (view 0). Plain typed-array math (ml-host/labeling), so no tensors are made.
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { AppError } from '../../../shared/contract/errors';
import { LABEL_STRATEGIES } from '../../../shared/contract/label-queue-types';
import { readFeatures, withDatabase } from '../pipeline/feature-db';
import type {
  ClassGuess,
  FeatureRef,
  FeatureSource,
  LabelHostOpMap,
  LabelledRef,
} from '../labeling/host-op-types';
import { centresFor, rankCandidates } from '../labeling/rank';
import { projectForDistance } from '../labeling/k-center';
import { scorePoolWith } from '../labeling/score-pool';
import {
  accuracyOf,
  headProbabilitiesPlain,
  trainSoftmaxHead,
  type FeatureMatrix,
} from '../labeling/softmax-head';
import { confidentSuspects, outOfFoldProbabilities } from '../labeling/suspects';
import { mulberry32, shuffleInPlace } from '../../../shared/domain/random';
import { checkHeadConfig, checkHeadWeights } from '../../platform/model-bundle/weights';
import type { HeadState } from '../train/types';
import type { OpContext, OpHandler } from './host';
import { ensureBackend, parse } from './ops-common';
import { headProbabilities } from '../train/head';

const path = z.string().min(1).max(4096);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const id = z.number().int().positive();
const featureRef = z.object({ imageId: id, contentHash: sha256 }).strict();
const labelledRef = featureRef.extend({ label: z.number().int().min(0) }).strict();
const source = {
  dbPath: path,
  backbone: z.object({ name: z.string().min(1).max(100), sha256 }).strict(),
  dim: z.number().int().min(1).max(100_000),
};
const numClasses = z.number().int().min(2).max(1000);
const seed = z.number().int().nonnegative();
const headSchema = z
  .object({
    config: z
      .object({
        inputDim: z.number().int(),
        numClasses: z.number().int(),
        hidden: z.number().int().nullable(),
        dropout: z.number(),
      })
      .strict(),
    weights: z.array(
      z
        .object({
          name: z.string(),
          shape: z.array(z.number().int()),
          values: z.instanceof(Float32Array),
        })
        .strict(),
    ),
  })
  .strict()
  .transform((head, ctx): HeadState => {
    try {
      checkHeadConfig(head.config);
      checkHeadWeights(head.config, head.weights);
    } catch (error) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message });
    }
    return head;
  });

/** Rows read per SQLite pass. */
const READ_CHUNK = 2048;

function cancelled(ctx: OpContext): void {
  if (ctx.signal.aborted) throw new AppError('CANCELLED', 'Cancelled.');
}

/** The cached rows of `refs` that exist, compacted: their features and which refs they are. */
function readPresent<R extends FeatureRef>(
  db: Database.Database,
  src: FeatureSource,
  refs: readonly R[],
): { data: FeatureMatrix; present: R[]; missing: number[] } {
  const { x, missing } = readFeatures(
    db,
    src.backbone,
    src.dim,
    refs.map((r) => ({ imageId: r.imageId, contentHash: r.contentHash, views: 1 })),
  );
  if (missing.length === 0)
    return { data: { x, n: refs.length, dim: src.dim }, present: [...refs], missing };
  const gone = new Set(missing);
  const present: R[] = [];
  const out = new Float32Array((refs.length - missing.length) * src.dim);
  refs.forEach((r, i) => {
    if (gone.has(r.imageId)) return;
    out.set(x.subarray(i * src.dim, (i + 1) * src.dim), present.length * src.dim);
    present.push(r);
  });
  return { data: { x: out, n: present.length, dim: src.dim }, present, missing };
}

function labelsOf(refs: readonly LabelledRef[]): Int32Array {
  return Int32Array.from(refs, (r) => r.label);
}

function checkLabels(refs: readonly LabelledRef[], k: number): void {
  if (refs.some((r) => r.label >= k))
    throw new AppError('BAD_ARGUMENT', 'labels must index the classes');
}

const allRows = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i);

function topOf(probs: Float32Array, row: number, k: number, topK: number): ClassGuess[] {
  const guesses: ClassGuess[] = [];
  for (let c = 0; c < k; c++) guesses.push({ classIndex: c, p: probs[row * k + c] as number });
  guesses.sort((a, b) => b.p - a.p || a.classIndex - b.classIndex);
  return guesses.slice(0, topK);
}

/** Trains on `train` and measures on `val` (both already read). */
function trainAndMeasure(
  train: { data: FeatureMatrix; labels: Int32Array },
  val: { data: FeatureMatrix; labels: Int32Array },
  rows: Int32Array,
  k: number,
  seed: number,
  signal: AbortSignal,
): { head: HeadState; valAccuracy: number | null } {
  const head = trainSoftmaxHead(
    train.data,
    rows,
    Int32Array.from(rows, (r) => train.labels[r] as number),
    k,
    { seed, signal },
  );
  const valAccuracy =
    val.data.n === 0 ? null : accuracyOf(headProbabilitiesPlain(head, val.data), k, val.labels);
  return { head, valAccuracy };
}

type LabelOpTable = { [K in keyof LabelHostOpMap]: OpHandler<LabelHostOpMap[K]['result']> };

export const labelOps: LabelOpTable = {
  'label.rank': async (raw, ctx) => {
    const p = parse(
      z
        .object({
          ...source,
          head: headSchema,
          candidates: z.array(featureRef).max(2_000_000),
          labelled: z.array(featureRef).max(2_000_000),
          strategy: z.enum(LABEL_STRATEGIES),
          n: z.number().int().min(1).max(2_000_000),
          seed,
          topK: z.number().int().min(1).max(1000),
        })
        .strict(),
      raw,
      'label.rank',
    );
    if (p.head.config.inputDim !== p.dim) {
      throw new AppError(
        'MODEL_INVALID',
        `The head takes ${p.head.config.inputDim} features, the cache has ${p.dim}.`,
      );
    }
    // Scoring every candidate is the one large product here: the backend's matMul (WebAssembly
    // SIMD or native) runs it several times faster than plain loops (measured in the bench).
    await ensureBackend();
    return withDatabase(p.dbPath, async (db) => {
      const k = p.head.config.numClasses;
      const present: FeatureRef[] = [];
      const missing: number[] = [];
      const total = p.candidates.length;
      ctx.progress(0, total, 'Scoring photos');
      const scored = await scorePoolWith(
        p.head,
        {
          n: total,
          dim: p.dim,
          read: (start, count) => {
            const chunk = readPresent(db, p, p.candidates.slice(start, start + count));
            present.push(...chunk.present);
            missing.push(...chunk.missing);
            return chunk.data;
          },
        },
        (head, data) => headProbabilities(head, data.x.subarray(0, data.n * data.dim), READ_CHUNK),
        (done) => {
          cancelled(ctx);
          ctx.progress(done, total, 'Scoring photos');
        },
        READ_CHUNK,
      );
      const labelled = readPresent(db, p, p.labelled).data;
      const ranked = rankCandidates({
        strategy: p.strategy,
        n: p.n,
        seed: p.seed,
        count: scored.rows,
        probs: scored.probs,
        k,
        // Only the rows diversity spreads are read a second time (a sample, or the least sure).
        project: (indices) => {
          const refs = Array.from(indices, (i) => present[i] as FeatureRef);
          const { x } = readFeatures(
            db,
            p.backbone,
            p.dim,
            refs.map((r) => ({ imageId: r.imageId, contentHash: r.contentHash, views: 1 })),
          );
          return projectForDistance({ x, n: refs.length, dim: p.dim }, p.seed);
        },
        centres: centresFor(labelled, p.seed),
      });
      return {
        items: ranked.map((r) => ({
          imageId: (present[r.index] as FeatureRef).imageId,
          score: r.score,
          top: topOf(scored.probs, r.index, k, p.topK),
        })),
        missing,
      };
    });
  },

  'label.train': async (raw, ctx) => {
    const p = parse(
      z
        .object({
          ...source,
          train: z.array(labelledRef).max(2_000_000),
          val: z.array(labelledRef).max(2_000_000),
          numClasses,
          seed,
        })
        .strict(),
      raw,
      'label.train',
    );
    checkLabels([...p.train, ...p.val], p.numClasses);
    return withDatabase(p.dbPath, (db) => {
      const train = readPresent(db, p, p.train);
      const val = readPresent(db, p, p.val);
      cancelled(ctx);
      ctx.progress(0, 1, `Retraining on ${train.present.length} labels`);
      const { head, valAccuracy } = trainAndMeasure(
        { data: train.data, labels: labelsOf(train.present) },
        { data: val.data, labels: labelsOf(val.present) },
        allRows(train.data.n),
        p.numClasses,
        p.seed,
        ctx.signal,
      );
      ctx.progress(1, 1, null);
      return { head, valAccuracy, trainCount: train.present.length, valCount: val.present.length };
    });
  },

  'label.control': async (raw, ctx) => {
    const p = parse(
      z
        .object({
          ...source,
          train: z.array(labelledRef).max(2_000_000),
          val: z.array(labelledRef).max(2_000_000),
          numClasses,
          sizes: z.array(z.number().int().min(1)).max(1000),
          seed,
        })
        .strict(),
      raw,
      'label.control',
    );
    checkLabels([...p.train, ...p.val], p.numClasses);
    return withDatabase(p.dbPath, (db) => {
      const train = readPresent(db, p, p.train);
      const val = readPresent(db, p, p.val);
      const trainLabels = labelsOf(train.present);
      const valSet = { data: val.data, labels: labelsOf(val.present) };
      // One seeded order; each size takes its first rows, so the control's photos are nested.
      const order = shuffleInPlace(
        Array.from({ length: train.data.n }, (_, i) => i),
        mulberry32(p.seed),
      );
      const points = p.sizes.map((size, i) => {
        cancelled(ctx);
        ctx.progress(i, p.sizes.length, 'Random control');
        const rows = Int32Array.from(order.slice(0, Math.min(size, order.length)));
        const { valAccuracy } = trainAndMeasure(
          { data: train.data, labels: trainLabels },
          valSet,
          rows,
          p.numClasses,
          p.seed,
          ctx.signal,
        );
        return { labels: rows.length, valAccuracy, valCount: val.present.length };
      });
      ctx.progress(p.sizes.length, p.sizes.length, null);
      return { points };
    });
  },

  'label.suspects': async (raw, ctx) => {
    const p = parse(
      z
        .object({
          ...source,
          items: z.array(labelledRef).max(2_000_000),
          numClasses,
          folds: z.number().int().min(2).max(50),
          seed,
          topK: z.number().int().min(1).max(1000),
        })
        .strict(),
      raw,
      'label.suspects',
    );
    checkLabels(p.items, p.numClasses);
    return withDatabase(p.dbPath, (db) => {
      const { data, present, missing } = readPresent(db, p, p.items);
      const labels = labelsOf(present);
      const k = p.numClasses;
      ctx.progress(0, p.folds, 'Out-of-fold heads');
      const probs = outOfFoldProbabilities(
        data,
        labels,
        k,
        Math.min(p.folds, Math.max(2, data.n)),
        {
          seed: p.seed,
          signal: ctx.signal,
          onFold: (done) => ctx.progress(done, p.folds, 'Out-of-fold heads'),
        },
      );
      cancelled(ctx);
      const { suspects } = confidentSuspects(probs, labels, k);
      return {
        suspects: suspects.map((s) => ({
          imageId: (present[s.index] as LabelledRef).imageId,
          label: s.label,
          suggested: s.suggested,
          score: s.score,
          labelProbability: s.labelProbability,
          top: topOf(probs, s.index, k, p.topK),
        })),
        judged: present.length,
        missing,
      };
    });
  },
};
