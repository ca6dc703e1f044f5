// The library pipeline's ops: backbones, the feature cache, training runs, evaluation and
// prediction. Every handler validates its params (they crossed a process boundary), makes sure a
// backend is chosen, and turns callbacks into the op's events.
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { AppError } from '../../../shared/contract/errors';
import { hyperParamsSchema } from '../../../shared/contract/ml-methods';
import { BACKBONE_CATALOGUE, downloadBackbone, importBackbone } from '../backbone';
import { BACKEND_PREFERENCES } from '../backend';
import { releaseSharedBackbone } from '../pipeline/backbone-cache';
import { tensorLock } from '../pipeline/host-resources';
import { extractChunk } from '../pipeline/extract';
import { embedImages } from '../pipeline/embed-run';
import { explainImage } from '../pipeline/explain-run';
import { maximiseImage } from '../pipeline/maximise-run';
import { evaluateImages, predictImages } from '../pipeline/infer';
import { releaseModelRunner } from '../pipeline/model-runner';
import { runTraining } from '../pipeline/train-run';
import type { OpHandler } from './host';
import { chosenBackend, ensureBackend, parse, progressGate } from './ops-common';
import type { MlHostOpMap } from './protocol';

const path = z.string().min(1).max(4096);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const name = z.string().min(1).max(100);
const location = { dbPath: path, backbonesRoot: path };
const backboneRef = z.object({ name, sha256 }).strict();
const id = z.number().int().positive();

const viewList = z.array(z.number().int().min(0).max(63)).max(64);

const featureItem = z
  .object({
    imageId: id,
    contentHash: sha256,
    normPath: path,
    views: viewList,
    blockViews: viewList.optional(),
  })
  .strict()
  .refine((i) => i.views.length > 0 || (i.blockViews?.length ?? 0) > 0, {
    message: 'an item needs at least one view (features or block inputs)',
  });

const datasetItem = z
  .object({ imageId: id, contentHash: sha256, normPath: path, label: z.number().int().min(0) })
  .strict();

const inferItem = z
  .object({
    imageId: id.nullable(),
    contentHash: sha256.nullable(),
    kind: z.enum(['norm', 'file']),
    file: path,
    display: z.string().max(4096),
    label: z.number().int().min(0).nullable(),
  })
  .strict();

const inferParams = {
  ...location,
  modelDir: path,
  items: z.array(inferItem).max(1_000_000),
  tta: z.enum(['center', 'multiCrop']),
  maxImagePixels: z.number().int().positive(),
};

const trainRunSchema = z
  .object({
    ...location,
    backbone: backboneRef,
    blocksDir: path,
    runDir: path,
    modelDir: path,
    resume: z.boolean(),
    classes: z.array(name).min(2).max(1000),
    train: z.array(datasetItem).min(1),
    val: z.array(datasetItem),
    views: z.number().int().min(1).max(16),
    augmentSeed: z.number().int().nonnegative(),
    stage1: hyperParamsSchema,
    stage2: hyperParamsSchema.nullable(),
    splitLayer: z.string().min(1).nullable(),
    splitHash: z.string().min(1).max(200),
    createdAt: z.string().min(1),
  })
  .strict()
  .refine((p) => [...p.train, ...p.val].every((i) => i.label < p.classes.length), {
    message: 'labels must index the classes',
  });

type MlOpTable = { [K in keyof MlHostOpMap]: OpHandler<MlHostOpMap[K]['result']> };

export const mlOps: MlOpTable = {
  'backbone.import': async (raw, ctx) => {
    const p = parse(z.object({ root: path, source: path, name }).strict(), raw, 'backbone.import');
    await ensureBackend();
    ctx.progress(0, 1, `Importing ${p.source}`);
    const meta = await tensorLock.shared(() =>
      importBackbone({ source: p.source, name: p.name, root: p.root }),
    );
    ctx.progress(1, 1, `Imported '${meta.name}'`);
    return meta;
  },

  'backbone.download': async (raw, ctx) => {
    const p = parse(
      z
        .object({ root: path, name, url: z.string().url().nullable(), sha256: sha256.nullable() })
        .strict(),
      raw,
      'backbone.download',
    );
    await ensureBackend();
    let url = p.url;
    let expected = p.sha256;
    let labelsUrl: string | null = null;
    if (url === null || expected === null) {
      const entry = BACKBONE_CATALOGUE.find((e) => e.name === p.name);
      if (entry === undefined) {
        throw new AppError(
          'NOT_FOUND',
          `'${p.name}' is not in the catalogue (${BACKBONE_CATALOGUE.map((e) => e.name).join(', ')}); give its url and sha256.`,
          { name: p.name },
        );
      }
      ({ url, sha256: expected, labelsUrl } = entry);
    }
    const due = progressGate();
    const from = url;
    return tensorLock.shared(() =>
      downloadBackbone({
        url,
        sha256: expected,
        name: p.name,
        root: p.root,
        labelsUrl,
        signal: ctx.signal,
        onProgress: ({ receivedBytes, totalBytes }) => {
          if (!due(receivedBytes === totalBytes)) return;
          ctx.progress(receivedBytes, totalBytes ?? 0, `Downloading ${from}`);
        },
      }),
    );
  },

  'backbone.catalogue': async (raw) => {
    parse(z.object({}).strict(), raw, 'backbone.catalogue');
    return Promise.resolve(
      BACKBONE_CATALOGUE.map((e) => ({
        name: e.name,
        url: e.url,
        sha256: e.sha256,
        format: e.format,
      })),
    );
  },

  'features.extract': async (raw, ctx) => {
    const p = parse(
      z
        .object({
          ...location,
          backbone: backboneRef,
          backendPreference: z.enum(BACKEND_PREFERENCES).nullable(),
          augmentSeed: z.number().int().nonnegative(),
          items: z.array(featureItem).max(100_000),
          blocks: z
            .object({ blocksDir: path, layer: z.string().min(1).max(200) })
            .strict()
            .nullable()
            .optional(),
        })
        .strict(),
      raw,
      'features.extract',
    );
    await ensureBackend(p.backendPreference ?? undefined);
    return extractChunk(p, {
      signal: ctx.signal,
      progress: (done, total) => ctx.progress(done, total, null),
    });
  },

  'train.run': async (raw, ctx) => {
    const p = parse(trainRunSchema, raw, 'train.run');
    const backend = await ensureBackend();
    const due = progressGate();
    return runTraining(p, {
      signal: ctx.signal,
      backend,
      epoch: (metrics) => ctx.emit({ kind: 'epoch', metrics }),
      log: (level, message) => ctx.log(level, message),
      progress: (done, total, message) => {
        if (due(done === total)) ctx.progress(done, total, message);
      },
    });
  },

  'model.evaluate': async (raw, ctx) => {
    const p = parse(
      z
        .object({ ...inferParams, priorCounts: z.array(z.number().nonnegative()).nullable() })
        .strict(),
      raw,
      'model.evaluate',
    );
    await ensureBackend();
    return evaluateImages(p, {
      signal: ctx.signal,
      progress: (done, total) => ctx.progress(done, total, null),
    });
  },

  'model.predict': async (raw, ctx) => {
    const p = parse(
      z.object({ ...inferParams, k: z.number().int().min(1).max(1000) }).strict(),
      raw,
      'model.predict',
    );
    await ensureBackend();
    return predictImages(p, {
      signal: ctx.signal,
      progress: (done, total) => ctx.progress(done, total, null),
    });
  },

  'explain.heatmap': async (raw, ctx) => {
    const p = parse(
      z
        .object({
          ...location,
          modelDir: path,
          item: inferItem,
          method: z.enum(['occlusion', 'inclusion', 'gradcam']),
          classIndex: z.number().int().min(0).nullable(),
          box: z.number().int().min(1).max(4096),
          stride: z.number().int().min(1).max(4096),
          maxImagePixels: z.number().int().positive(),
        })
        .strict(),
      raw,
      'explain.heatmap',
    );
    await ensureBackend();
    const due = progressGate();
    return explainImage(p, {
      signal: ctx.signal,
      progress: (done, total) => {
        if (due(done === total)) ctx.progress(done, total, null);
      },
    });
  },

  'embed.compute': async (raw, ctx) => {
    const p = parse(
      z
        .object({
          ...location,
          modelDir: path,
          items: z.array(inferItem).min(1).max(20_000),
          method: z.enum(['tsne', 'umap']),
          seed: z.number().int().min(0).max(0xffffffff),
        })
        .strict(),
      raw,
      'embed.compute',
    );
    await ensureBackend();
    const due = progressGate();
    return embedImages(p, {
      signal: ctx.signal,
      progress: (done, total) => {
        if (due(done === total)) ctx.progress(done, total, null);
      },
    });
  },

  'maximise.image': async (raw, ctx) => {
    const p = parse(
      z
        .object({
          ...location,
          modelDir: path,
          classIndex: z.number().int().min(0),
          size: z.number().int().min(32).max(1024),
          steps: z.number().int().min(1).max(10_000),
          seed: z.number().int().min(0).max(0xffffffff),
          progressBase: z.number().int().min(0),
          progressTotal: z.number().int().min(1),
        })
        .strict(),
      raw,
      'maximise.image',
    );
    const backend = await ensureBackend();
    const due = progressGate();
    return maximiseImage(p, {
      signal: ctx.signal,
      backend,
      progress: (done, total, message) => {
        if (due(done === total)) ctx.progress(done, total, message);
      },
    });
  },

  'host.release': async (raw) => {
    parse(z.object({}).strict(), raw, 'host.release');
    releaseSharedBackbone();
    releaseModelRunner();
    return { numTensors: (await chosenBackend()) === null ? 0 : tf.memory().numTensors };
  },
};
