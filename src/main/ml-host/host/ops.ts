import * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { AppError } from '../../../shared/contract/errors';
import { hyperParamsSchema, resolveHyperParams } from '../../../shared/contract/ml-methods';
import { evaluate } from '../../../shared/domain/metrics';
import { BACKEND_PREFERENCES } from '../backend';
import { topK } from '../eval/predict';
import { headProbabilities } from '../train/head';
import { trainHead } from '../train/stage1';
import type { ExampleSet } from '../train/types';
import type { OpTable } from './host';
import { chosenBackend, ensureBackend, parse, progressGate } from './ops-common';
import { labelOps } from './ops-labeling';
import { mlOps } from './ops-ml';

/**
 * The op table of the ML host. To add an op: declare it in HostOpMap (protocol.ts) and add its
 * handler here (the library pipeline's ops live in ops-ml.ts); the OpTable type makes them agree.
 * The test-only diag.* ops are not here: only the tests' host (test/helpers/diag-host-main.ts)
 * serves them, so they do not ship.
 */

const startedAt = Date.now();

const float32 = z.instanceof(Float32Array);
const exampleSetSchema = z
  .object({
    rowShape: z.array(z.number().int().positive()).min(1).max(4),
    labels: z.union([z.instanceof(Int32Array), z.array(z.number().int().nonnegative())]),
    x: float32.optional(),
    file: z.string().min(1).optional(),
  })
  .refine((s) => (s.x === undefined) !== (s.file === undefined), 'give exactly one of x and file');

/** Resolves an ExampleSetData into rows in memory (a file is raw little-endian float32). */
async function loadExampleSet(
  raw: z.output<typeof exampleSetSchema>,
): Promise<ExampleSet & { x: Float32Array }> {
  let x: Float32Array | undefined = raw.x;
  if (x === undefined) {
    const file = raw.file as string;
    let buf: Buffer;
    try {
      buf = await readFile(file);
    } catch (error) {
      throw new AppError('IO_ERROR', `Cannot read features ${file}: ${(error as Error).message}`, {
        path: file,
      });
    }
    if (buf.byteLength % 4 !== 0)
      throw new AppError('BAD_ARGUMENT', `${file} is not whole float32 values.`);
    x =
      buf.byteOffset % 4 === 0
        ? new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4)
        : new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  }
  return { x, rowShape: raw.rowShape, labels: raw.labels };
}

const headStateSchema = z.object({
  config: z.object({
    inputDim: z.number().int().positive(),
    numClasses: z.number().int().min(2),
    hidden: z.number().int().positive().nullable(),
    dropout: z.number().min(0).max(0.95),
  }),
  weights: z.array(
    z.object({ name: z.string(), shape: z.array(z.number().int().nonnegative()), values: float32 }),
  ),
});

export const hostOps: OpTable = {
  ...mlOps,
  ...labelOps,
  'host.ping': async () => {
    const chosen = await chosenBackend();
    return {
      pid: process.pid,
      uptimeMs: Date.now() - startedAt,
      backend: chosen?.name ?? null,
      numTensors: chosen === null ? null : tf.memory().numTensors,
      rssBytes: process.memoryUsage().rss,
    };
  },

  'host.backend': async (raw) => {
    const p = parse(
      z.object({ preference: z.enum(BACKEND_PREFERENCES).optional() }).strict(),
      raw,
      'host.backend',
    );
    return ensureBackend(p.preference);
  },

  'train.head': async (raw, ctx) => {
    const p = parse(
      z
        .object({
          train: exampleSetSchema,
          val: exampleSetSchema.nullable(),
          numClasses: z.number().int().min(2).max(1000),
          hyper: hyperParamsSchema.partial(),
          checkpointDir: z.string().min(1).nullable().optional(),
          resume: z.boolean().optional(),
          identity: z.unknown().optional(),
        })
        .strict(),
      raw,
      'train.head',
    );
    const hyper = resolveHyperParams(p.hyper);
    await ensureBackend();
    const [train, val] = [
      await loadExampleSet(p.train),
      p.val === null ? null : await loadExampleSet(p.val),
    ];
    const due = progressGate();
    return trainHead({
      train,
      val,
      numClasses: p.numClasses,
      hyper,
      checkpointDir: p.checkpointDir ?? null,
      resume: p.resume ?? false,
      identity: p.identity,
      signal: ctx.signal,
      onEpoch: (metrics) => ctx.emit({ kind: 'epoch', metrics }),
      onLog: (level, message) => ctx.log(level, message),
      onProgress: ({ epoch, batch, batches }) => {
        if (!due(batch === batches)) return;
        ctx.progress((epoch - 1) * batches + batch, hyper.epochs * batches, `epoch ${epoch}`);
      },
    });
  },

  'predict.head': async (raw) => {
    const p = parse(
      z
        .object({
          head: headStateSchema,
          features: float32,
          classes: z.array(z.string()),
          k: z.number().int().min(1),
        })
        .strict(),
      raw,
      'predict.head',
    );
    await ensureBackend();
    if (p.classes.length !== p.head.config.numClasses) {
      throw new AppError(
        'BAD_ARGUMENT',
        `${p.classes.length} class names for a ${p.head.config.numClasses}-class head.`,
      );
    }
    return topK(await headProbabilities(p.head, p.features), p.classes, p.k);
  },

  'evaluate.head': async (raw) => {
    const p = parse(
      z
        .object({
          head: headStateSchema,
          set: exampleSetSchema,
          classes: z.array(z.string()),
          priorCounts: z.array(z.number().nonnegative()).optional(),
        })
        .strict(),
      raw,
      'evaluate.head',
    );
    await ensureBackend();
    const set = await loadExampleSet(p.set);
    const probabilities = await headProbabilities(p.head, set.x);
    return evaluate({
      classes: p.classes,
      labels: set.labels,
      probabilities,
      ...(p.priorCounts === undefined ? {} : { priorCounts: p.priorCounts }),
    });
  },
};
