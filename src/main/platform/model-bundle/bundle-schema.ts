import { z } from 'zod';
import { hyperParamsSchema } from '../../../shared/contract/ml-methods';
import type {
  ClassMetrics,
  EvaluationReport,
  ModelBundleMeta,
  OpenSetMeta,
  Proportion,
  TrainSummary,
} from '../../../shared/contract/ml-types';

/**
 * Runtime schema of a model bundle's metadata. Bundles are imported from files a user picked, so
 * everything is checked; `z.ZodType<T>` ties each schema to its contract type at compile time.
 */
const count = z.number().int().nonnegative().max(1e12);
const unit = z.number().min(0).max(1);
const name = z.string().min(1).max(200);

const proportionShape = {
  successes: count,
  trials: count,
  value: unit.nullable(),
  lo: unit.nullable(),
  hi: unit.nullable(),
};
const proportion: z.ZodType<Proportion> = z.object(proportionShape).strict();
// One strict object: an intersection of two strict objects would refuse each other's keys.
const topKEntry = z.object({ k: z.number().int().min(1), ...proportionShape }).strict();

const classMetrics: z.ZodType<ClassMetrics> = z
  .object({
    class: name,
    support: count,
    predicted: count,
    truePositives: count,
    precision: proportion,
    recall: proportion,
    f1: unit.nullable(),
    binaryAccuracy: proportion,
  })
  .strict();

const macro = z.object({ value: unit.nullable(), classes: count }).strict();

const evaluationReport: z.ZodType<EvaluationReport> = z
  .object({
    classes: z.array(name).max(1000),
    n: count,
    confusion: z.array(z.array(count).max(1000)).max(1000),
    accuracy: proportion,
    topK: z.array(topKEntry).max(1000),
    perClass: z.array(classMetrics).max(1000),
    macro: z.object({ precision: macro, recall: macro, f1: macro }).strict(),
    topConfusions: z.array(z.object({ true: name, predicted: name, count }).strict()).max(100),
    calibration: z
      .object({
        ece: unit,
        mce: unit,
        bins: z
          .array(
            z
              .object({
                lo: unit,
                hi: unit,
                count,
                confidence: unit.nullable(),
                accuracy: unit.nullable(),
              })
              .strict(),
          )
          .max(100),
      })
      .strict(),
    logLoss: z.number().nonnegative(),
    brier: z.number().min(0).max(2),
    chance: z
      .object({
        uniform: unit,
        majority: z
          .object({ class: name, accuracy: proportion, source: z.enum(['prior', 'evaluated']) })
          .strict(),
      })
      .strict(),
  })
  .strict();

const trainSummary: z.ZodType<TrainSummary, z.ZodTypeDef, unknown> = z
  .object({
    stage: z.union([z.literal(1), z.literal(2)]),
    epochsRun: count,
    bestEpoch: count.nullable(),
    bestAccuracy: unit.nullable(),
    monitored: z.enum(['val', 'train']),
    finalLearningRate: z.number().nonnegative(),
    stopReason: z.enum(['completed', 'earlyStopped', 'cancelled']),
    classWeights: z.array(z.number().nonnegative()).max(1000),
    trainCount: count,
    valCount: count,
    hyperParams: hyperParamsSchema,
    epochMs: z.array(z.number().nonnegative()).max(100_000),
    backend: z.string().max(100),
  })
  .strict();

const finite = z.number().finite();
const openSetMeta: z.ZodType<OpenSetMeta> = z
  .object({
    method: z.literal('mahalanobis'),
    temperature: z.number().positive().max(1000),
    threshold: finite,
    keepRate: unit,
    fittedOn: z.enum(['val', 'train']),
    count,
    shrinkage: unit,
    quantiles: z.array(finite).min(2).max(1001),
  })
  .strict();

export const bundleMetaSchema: z.ZodType<ModelBundleMeta, z.ZodTypeDef, unknown> = z
  .object({
    format: z.literal('littleplanet-model'),
    version: z.literal(1),
    createdAt: z.string().max(100),
    backbone: z
      .object({
        name,
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        splitLayer: name.nullable(),
        featureDim: z.number().int().min(1).max(65536),
      })
      .strict(),
    classes: z
      .array(z.string().trim().min(1).max(100))
      .min(2)
      .max(1000)
      .refine((c) => new Set(c).size === c.length, 'class names must be unique'),
    preprocessing: z
      .object({
        resize: z.number().int().min(1).max(4096),
        crop: z.number().int().min(1).max(4096),
        scale: z.number().finite(),
        offset: z.number().finite(),
        tta: z.enum(['center', 'multiCrop']),
      })
      .strict(),
    head: z
      .object({
        inputDim: z.number().int().min(1).max(65536),
        hidden: z.number().int().min(1).max(8192).nullable(),
        dropout: z.number().min(0).max(0.95),
        numClasses: z.number().int().min(2).max(1000),
      })
      .strict(),
    hasUpper: z.boolean(),
    metrics: evaluationReport.nullable(),
    splitHash: z.string().max(200).nullable(),
    hyperParams: z
      .object({ stage1: hyperParamsSchema.nullable(), stage2: hyperParamsSchema.nullable() })
      .strict(),
    summaries: z.array(trainSummary).max(10),
    backend: z.string().max(100),
    openSet: openSetMeta.optional(),
  })
  .strict();
