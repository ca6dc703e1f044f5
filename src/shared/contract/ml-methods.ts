import { z } from 'zod';
import { jobMethod, method } from './define';
import type {
  BackboneSummary,
  BackendReport,
  CatalogueEntry,
  EvaluationCellPhoto,
  MaximiseImage,
  ModelDetail,
  ModelSummary,
  RunSummary,
  StoredEvaluation,
  TrainHyperParams,
} from './ml-types';
import {
  EMBED_METHODS,
  EXPLAIN_METHODS,
  IMBALANCE_MODES,
  MAXIMISE_SIZE,
  MAXIMISE_STEPS,
  OPTIMIZERS,
} from './ml-types';

/**
 * Hyper-parameters of one training stage. Defaults follow the paper's recipe: SGD with momentum
 * 0.9, L2, rate divided by 10 when validation accuracy stalls; stage 2 overrides the rate.
 */
export const hyperParamsSchema = z
  .object({
    epochs: z.number().int().min(1).max(1000).default(30),
    batchSize: z.number().int().min(1).max(8192).default(256),
    optimizer: z.enum(OPTIMIZERS).default('sgd'),
    learningRate: z.number().positive().max(10).default(0.01),
    momentum: z.number().min(0).max(0.999).default(0.9),
    l2: z.number().min(0).max(1).default(1e-4),
    lrDropFactor: z.number().positive().max(1).default(0.1),
    lrPatience: z.number().int().min(1).max(100).default(3),
    earlyStopPatience: z.number().int().min(1).max(1000).nullable().default(8),
    hidden: z.number().int().min(1).max(8192).nullable().default(null),
    /** Off by default (the paper regularises with L2 only); try 0.2-0.5 with a hidden layer. */
    dropout: z.number().min(0).max(0.95).default(0),
    imbalance: z.enum(IMBALANCE_MODES).default('classWeights'),
    seed: z.number().int().nonnegative().max(0xffffffff).default(1),
  })
  .strict();

/** Stage 2 starts from the stage-1 head with a ten times smaller rate and fewer epochs. */
export const STAGE2_DEFAULTS = { learningRate: 0.001, epochs: 10 } as const;

/** Fills in defaults: `stage2` applies STAGE2_DEFAULTS under the caller's own values. */
export function resolveHyperParams(
  partial: z.input<typeof hyperParamsSchema>,
  stage: 1 | 2 = 1,
): TrainHyperParams {
  return hyperParamsSchema.parse(stage === 2 ? { ...STAGE2_DEFAULTS, ...partial } : partial);
}

const modelId = z.string().min(1).max(100);
/** Backbone names become folder names: keep them portable. */
const backboneName = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
    'use letters, digits, dot, dash or underscore (max 64)',
  );
const tta = z.enum(['center', 'multiCrop']);
const empty = z.object({}).strict();

export const mlMethods = {
  /** Backend in use (and why), conv-gradient support, ML host process id (starts the host). */
  'ml.info': method<{ backend: BackendReport; hostPid: number | null }>()(empty),

  'backbones.list': method<BackboneSummary[]>()(empty),
  /** Known backbones that `backbones.download` can fetch when online. */
  'backbones.catalogue': method<CatalogueEntry[]>()(empty),
  /** Imports a TensorFlow Lite file or a TF.js model folder (layers or graph) as a backbone. */
  'backbones.import': jobMethod('backbone')(
    z.object({ path: z.string().min(1), name: backboneName }).strict(),
  ),
  /** Downloads a backbone (a catalogue name, or any URL with its sha256) and imports it. */
  'backbones.download': jobMethod('backbone')(
    z
      .object({
        name: backboneName,
        url: z.string().url().nullable().default(null),
        sha256: z
          .string()
          .regex(/^[0-9a-fA-F]{64}$/)
          .nullable()
          .default(null),
      })
      .strict()
      .refine((p) => (p.url === null) === (p.sha256 === null), {
        message: 'give url and sha256 together (or neither, for a catalogue backbone)',
      }),
  ),
  'backbones.remove': method<{ removed: string }>()(z.object({ name: backboneName }).strict()),

  /** Computes (or completes) the cached backbone features of every labeled image. */
  'features.start': jobMethod('features')(
    z
      .object({
        backbone: z.string().min(1).default('mobilenet_v2_1.0_224'),
        /** Augmented views cached per training image (random 224 crop of 256 + mirror). */
        views: z.number().int().min(1).max(16).default(4),
      })
      .strict(),
  ),

  /**
   * Trains a model on the train split, monitoring the val split: stage 1 (head on cached
   * features), then stage 2 (the last block with the head) unless `stage2` is null.
   */
  'train.start': jobMethod('train')(
    z
      .object({
        name: z.string().trim().min(1).max(100),
        backbone: z.string().min(1).default('mobilenet_v2_1.0_224'),
        /** Layer where stage 2 splits the backbone (null: the backbone's default last block). */
        splitLayer: z.string().min(1).nullable().default(null),
        views: z.number().int().min(1).max(16).default(4),
        stage1: hyperParamsSchema.partial().default({}),
        stage2: hyperParamsSchema.partial().nullable().default(null),
        /** Continue the interrupted training job with this id from its checkpoints. */
        resumeJobId: z.string().min(1).nullable().default(null),
      })
      .strict(),
  ),

  /**
   * Evaluates a model on a split of the library, or on a second image set that is not part of the
   * library (the paper's out-of-distribution Flickr test): folders whose sub-folders are city names,
   * and/or a CSV manifest (`path,city` or `path,lat,lon`).
   */
  'evaluate.start': jobMethod('evaluate')(
    z
      .object({
        modelId,
        split: z.enum(['val', 'test']).default('test'),
        external: z
          .object({
            paths: z.array(z.string().min(1)).default([]),
            csv: z.string().min(1).nullable().default(null),
          })
          .strict()
          .nullable()
          .default(null),
        /**
         * Folders of photos from none of the model's cities (the domain-shift view): how many of
         * them the model answers "unknown", and how well its score tells them from the evaluated
         * photos (AUROC).
         */
        outside: z
          .object({ paths: z.array(z.string().min(1)).min(1).max(1000) })
          .strict()
          .nullable()
          .default(null),
        tta: tta.default('center'),
      })
      .strict(),
  ),
  'evaluations.list': method<StoredEvaluation[]>()(
    z.object({ modelId: modelId.nullable().default(null) }).strict(),
  ),

  /**
   * The photos of one confusion-matrix cell of a stored evaluation (true city → predicted city),
   * the most confident answers first.
   */
  'evaluations.cell': method<EvaluationCellPhoto[]>()(
    z
      .object({
        evaluationId: z.number().int().positive(),
        trueCity: z.string().min(1).max(100),
        predictedCity: z.string().min(1).max(100),
        limit: z.number().int().min(1).max(10_000).default(500),
      })
      .strict(),
  ),

  'runs.list': method<RunSummary[]>()(empty),
  'runs.get': method<RunSummary>()(z.object({ jobId: z.string().min(1) }).strict()),

  /** Top-k cities for library images or image files; stored per model for library images. */
  'predict.start': jobMethod('predict')(
    z
      .object({
        modelId,
        imageIds: z.array(z.number().int().positive()).max(100_000).default([]),
        paths: z.array(z.string().min(1)).max(100_000).default([]),
        topK: z.number().int().min(1).max(100).default(3),
        tta: tta.default('center'),
      })
      .strict()
      .refine((p) => p.imageIds.length + p.paths.length > 0, {
        message: 'give at least one image id or path',
      }),
  ),

  /**
   * Why the model sees a city in one photo: an occlusion, inclusion or Grad-CAM heatmap over the
   * centre crop. `city` null explains the model's own top city. Cached per model, photo content,
   * method, city, box and stride.
   */
  'explain.start': jobMethod('explain')(
    z
      .object({
        modelId,
        imageId: z.number().int().positive().nullable().default(null),
        path: z.string().min(1).nullable().default(null),
        method: z.enum(EXPLAIN_METHODS).default('occlusion'),
        city: z.string().trim().min(1).max(100).nullable().default(null),
        /** The paper's occluder: 32 px squares every 16 px of the 224 input. */
        box: z.number().int().min(4).max(1024).default(32),
        stride: z.number().int().min(1).max(1024).default(16),
      })
      .strict()
      .refine((p) => (p.imageId === null) !== (p.path === null), {
        message: 'give exactly one of imageId or path',
      }),
  ),

  /**
   * A t-SNE (or UMAP) map of a seeded sample of labelled photos of the model's cities (default
   * 1,000, as in the paper): the same sample and seed give the same map. Cached.
   */
  'embed.start': jobMethod('embed')(
    z
      .object({
        modelId,
        method: z.enum(EMBED_METHODS).default('tsne'),
        sample: z.number().int().min(3).max(20_000).default(1000),
        seed: z.number().int().nonnegative().max(0xffffffff).default(1),
        split: z.enum(['train', 'val', 'test']).nullable().default(null),
      })
      .strict(),
  ),

  /**
   * Class-maximising images (the paper's section 6.3): gradient ascent on the input, from seeded
   * noise, to raise a city's log-probability; `city` null draws every city of the model. Cached as PNG files
   * in the model's folder per city, steps, seed and size.
   */
  'maximise.start': jobMethod('maximise')(
    z
      .object({
        modelId,
        city: z.string().trim().min(1).max(100).nullable().default(null),
        steps: z.number().int().min(1).max(2000).default(MAXIMISE_STEPS),
        seed: z.number().int().nonnegative().max(0xffffffff).default(1),
        size: z.number().int().min(64).max(512).default(MAXIMISE_SIZE),
      })
      .strict(),
  ),
  /** The model's cached class-maximising images (every steps / seed / size), in class order. */
  'maximise.list': method<MaximiseImage[]>()(z.object({ modelId }).strict()),

  'models.list': method<ModelSummary[]>()(empty),
  'models.get': method<ModelDetail>()(z.object({ modelId }).strict()),
  'models.remove': method<{ removed: string }>()(z.object({ modelId }).strict()),
  /**
   * When the model answers "unknown": the share of its validation photos that keep their city
   * (the rest, and every photo less like the training photos, are "unknown"); null restores the
   * default fitted at training time (0.95).
   */
  'models.setUnknown': method<ModelDetail>()(
    z.object({ modelId, keepRate: z.number().min(0.5).max(1).nullable() }).strict(),
  ),
  /** Writes the model as one portable file (.lpmodel). */
  'models.export': method<{ path: string; bytes: number }>()(
    z.object({ modelId, path: z.string().min(1) }).strict(),
  ),
  /** Reads a .lpmodel file (validated: hostile files are refused with MODEL_INVALID). */
  'models.import': method<ModelSummary>()(
    z
      .object({
        path: z.string().min(1),
        name: z.string().trim().min(1).max(100).nullable().default(null),
      })
      .strict(),
  ),
};
