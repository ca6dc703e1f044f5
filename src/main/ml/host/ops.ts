import * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { AppError, isErrorCode } from '../../../shared/contract/errors';
import { hyperParamsSchema, resolveHyperParams } from '../../../shared/contract/ml-methods';
import { evaluate } from '../../../shared/domain/metrics';
import { BACKEND_PREFERENCES } from '../backend';
import { topK } from '../eval/predict';
import { headProbabilities } from '../train/head';
import { trainHead } from '../train/stage1';
import type { ExampleSet } from '../train/types';
import type { OpContext, OpTable } from './host';
import { chosenBackend, ensureBackend, parse, progressGate } from './ops-common';
import { labelOps } from './ops-labeling';
import { mlOps } from './ops-ml';

/**
 * The op table of the ML host. To add an op: declare it in HostOpMap (protocol.ts) and add its
 * handler here (the library pipeline's ops live in ops-ml.ts); the OpTable type makes them agree.
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

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

function cancelled(ctx: OpContext): void {
  if (ctx.signal.aborted) throw new AppError('CANCELLED', 'Cancelled.');
}

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

  'diag.count': async (raw, ctx) => {
    const p = parse(
      z
        .object({
          n: z.number().int().min(0).max(1_000_000),
          delayMs: z.number().min(0).max(60_000),
        })
        .strict(),
      raw,
      'diag.count',
    );
    for (let i = 1; i <= p.n; i++) {
      if (p.delayMs > 0) await sleep(p.delayMs, ctx.signal);
      cancelled(ctx);
      ctx.progress(i, p.n, `count ${i}`);
    }
    return { counted: p.n };
  },

  'diag.fail': (raw) => {
    const p = parse(z.object({ code: z.string(), message: z.string() }).strict(), raw, 'diag.fail');
    return Promise.reject(new AppError(isErrorCode(p.code) ? p.code : 'INTERNAL', p.message));
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
    return topK(headProbabilities(p.head, p.features), p.classes, p.k);
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
    const probabilities = headProbabilities(p.head, set.x);
    return evaluate({
      classes: p.classes,
      labels: set.labels,
      probabilities,
      ...(p.priorCounts === undefined ? {} : { priorCounts: p.priorCounts }),
    });
  },
};
