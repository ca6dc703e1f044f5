import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AppError } from '../../src/shared/contract/errors';
import type { EpochMetrics } from '../../src/shared/contract/job-types';
import { resolveHyperParams } from '../../src/shared/contract/ml-methods';
import type { TrainHyperParams } from '../../src/shared/contract/ml-types';
import { loadCheckpoint } from '../../src/main/ml-host/train/checkpoint';
import { headProbabilities } from '../../src/main/ml-host/train/head';
import { initHead } from '../../src/main/ml-host/train/head-spec';
import { trainHead, type TrainHeadInput } from '../../src/main/ml-host/train/stage1';
import { syntheticFeatures } from '../../src/main/ml-host/train/synthetic';
import { Prng, dropoutMask } from '../../src/main/ml-host/train/prng';
import type { NamedArray, RowReader } from '../../src/main/ml-host/train/types';

const K = 4;
const D = 16;
const train = syntheticFeatures({ n: 400, dim: D, classes: K, seed: 1, spread: 0.6 });
const val = syntheticFeatures({ n: 120, dim: D, classes: K, seed: 2, spread: 0.6 });

const hyper = (over: Partial<TrainHyperParams> = {}): TrainHyperParams =>
  resolveHyperParams({
    epochs: 6,
    batchSize: 32,
    learningRate: 0.05,
    earlyStopPatience: null,
    dropout: 0,
    imbalance: 'none',
    ...over,
  });

const base = (over: Partial<TrainHeadInput> = {}): TrainHeadInput => ({
  train,
  val,
  numClasses: K,
  hyper: hyper(),
  ...over,
});

const sameWeights = (a: NamedArray[], b: NamedArray[]): boolean =>
  a.length === b.length &&
  a.every(
    (w, i) =>
      w.name === b[i]!.name &&
      Buffer.from(w.values.buffer).equals(Buffer.from(b[i]!.values.buffer)),
  );

let dir = '';
before(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'lp-train-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

void describe('trainHead (stage 1)', () => {
  void it('learns a separable set far above chance, reports every epoch in order, leaks nothing', async () => {
    const before = tf.memory().numTensors;
    const epochs: EpochMetrics[] = [];
    const result = await trainHead(base({ onEpoch: (m) => epochs.push(m) }));
    assert.equal(tf.memory().numTensors, before);
    assert.deepEqual(
      epochs.map((m) => [m.stage, m.epoch]),
      [1, 2, 3, 4, 5, 6].map((e) => [1, e]),
    );
    const last = epochs.at(-1)!;
    assert.ok(last.valAccuracy! > 0.9, `val accuracy ${last.valAccuracy} (chance 0.25)`);
    assert.ok(last.loss < epochs[0]!.loss, 'training loss falls');
    assert.equal(result.summary.stopReason, 'completed');
    assert.equal(result.summary.monitored, 'val');
    assert.equal(result.summary.bestAccuracy, Math.max(...epochs.map((m) => m.valAccuracy!)));
    assert.equal(result.summary.backend, 'cpu');

    // The returned head predicts: probabilities sum to 1 and agree with the labels.
    const probs = await headProbabilities(result.head, val.x);
    assert.equal(tf.memory().numTensors, before);
    let correct = 0;
    for (let i = 0; i < val.labels.length; i++) {
      const row = Array.from(probs.subarray(i * K, i * K + K));
      assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-5);
      if (row.indexOf(Math.max(...row)) === val.labels[i]) correct++;
    }
    assert.equal(correct / val.labels.length, result.summary.bestAccuracy);
  });

  void it('is reproducible: the same seed gives bit-identical weights, another seed does not', async () => {
    const h = hyper({ hidden: 8, dropout: 0.3, imbalance: 'balancedSampling', epochs: 3 });
    const a = await trainHead(base({ hyper: h }));
    const b = await trainHead(base({ hyper: h }));
    const c = await trainHead(base({ hyper: { ...h, seed: 2 } }));
    assert.ok(sameWeights(a.head.weights, b.head.weights));
    assert.deepEqual(a.history, b.history);
    assert.ok(!sameWeights(a.head.weights, c.head.weights));
  });

  void it('resumes from a checkpoint to exactly the result of an uninterrupted run', async () => {
    // Hidden layer + dropout + balanced sampling + a rate drop exercise every piece of state.
    const h = hyper({
      hidden: 8,
      dropout: 0.2,
      imbalance: 'balancedSampling',
      lrPatience: 1,
      epochs: 6,
    });
    const full = await trainHead(base({ hyper: h, checkpointDir: join(dir, 'full') }));

    const ckpt = join(dir, 'resume');
    const controller = new AbortController();
    const first = await trainHead(
      base({
        hyper: h,
        checkpointDir: ckpt,
        signal: controller.signal,
        onEpoch: (m) => {
          if (m.epoch === 3) controller.abort();
        },
      }),
    );
    assert.equal(first.summary.stopReason, 'cancelled');
    assert.equal(first.summary.epochsRun, 3);
    assert.equal((await loadCheckpoint(ckpt))?.state.epoch, 3);

    const before = tf.memory().numTensors;
    const resumed = await trainHead(base({ hyper: h, checkpointDir: ckpt, resume: true }));
    assert.equal(tf.memory().numTensors, before);
    assert.deepEqual(resumed.history, full.history);
    assert.deepEqual(resumed.summary.epochMs.length, 6);
    assert.ok(sameWeights(resumed.head.weights, full.head.weights));
    assert.equal(resumed.summary.stopReason, full.summary.stopReason);

    // A finished run resumes to itself without training again.
    const again = await trainHead(base({ hyper: h, checkpointDir: ckpt, resume: true }));
    assert.ok(sameWeights(again.head.weights, full.head.weights));
  });

  void it('refuses to resume a checkpoint made with other settings', async () => {
    const ckpt = join(dir, 'conflict');
    await trainHead(base({ hyper: hyper({ epochs: 1 }), checkpointDir: ckpt }));
    await assert.rejects(
      trainHead(base({ hyper: hyper({ epochs: 2, l2: 0.5 }), checkpointDir: ckpt, resume: true })),
      (e: unknown) => e instanceof AppError && e.code === 'CONFLICT',
    );
  });

  void it('cancel mid-epoch keeps the best epoch: returned weights are the checkpointed best', async () => {
    const ckpt = join(dir, 'cancel');
    const controller = new AbortController();
    const before = tf.memory().numTensors;
    const result = await trainHead(
      base({
        checkpointDir: ckpt,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.epoch === 3 && p.batch === 2) controller.abort();
        },
      }),
    );
    assert.equal(tf.memory().numTensors, before);
    assert.equal(result.summary.stopReason, 'cancelled');
    assert.equal(result.summary.epochsRun, 2);
    assert.deepEqual(await readdir(ckpt), ['checkpoint.lptp'], 'atomic writes leave no temp files');
    const saved = await loadCheckpoint(ckpt);
    assert.ok(saved?.best);
    assert.ok(sameWeights(result.head.weights, saved.best));
    assert.equal(result.summary.bestEpoch, saved.state.bestEpoch);
  });

  void it('drops the rate x0.1 on a plateau and stops early', async () => {
    // A rate this small cannot change any prediction, so accuracy stalls from epoch 2 on.
    const result = await trainHead(
      base({
        hyper: hyper({ learningRate: 1e-12, lrPatience: 1, earlyStopPatience: 2, epochs: 10 }),
      }),
    );
    assert.equal(result.summary.stopReason, 'earlyStopped');
    assert.equal(result.summary.epochsRun, 3);
    assert.equal(result.summary.bestEpoch, 1);
    const rates = result.history.map((m) => m.learningRate);
    assert.equal(rates[0], 1e-12);
    assert.equal(rates[1], 1e-12);
    assert.ok(Math.abs(rates[2]! - 1e-13) < 1e-25);
  });

  void it('reports balanced class weights n / (present * n_c) and learns with Adam', async () => {
    const skewed = syntheticFeatures({
      n: 400,
      dim: D,
      classes: K,
      seed: 3,
      spread: 0.6,
      weights: [5, 1, 1, 1],
    });
    const counts = [0, 0, 0, 0];
    skewed.labels.forEach((y) => counts[y]!++);
    const result = await trainHead(
      base({
        train: skewed,
        hyper: hyper({ imbalance: 'classWeights', optimizer: 'adam', learningRate: 0.01 }),
      }),
    );
    const expected = counts.map((c) => 400 / (4 * c));
    result.summary.classWeights.forEach((w, i) => assert.ok(Math.abs(w - expected[i]!) < 1e-12));
    assert.ok(result.summary.bestAccuracy! > 0.9);
  });

  void it('monitors training accuracy without a validation set', async () => {
    const result = await trainHead(base({ val: null, hyper: hyper({ epochs: 2 }) }));
    assert.equal(result.summary.monitored, 'train');
    assert.equal(result.history[0]!.valAccuracy, null);
  });

  void it('trains identically from a row reader as from one array', async () => {
    const reader: RowReader = (indices, out) =>
      indices.forEach((row, i) => out.set(train.x.subarray(row * D, row * D + D), i * D));
    const a = await trainHead(base({ hyper: hyper({ epochs: 2 }) }));
    const b = await trainHead(
      base({ train: { ...train, x: reader }, hyper: hyper({ epochs: 2 }) }),
    );
    assert.ok(sameWeights(a.head.weights, b.head.weights));
  });

  void it('draws dropout masks of 0 or 1/keep whose mean is 1', () => {
    // rate 0.25: keep threshold round(0.75 * 256) = 192 of 256 byte values, scale 256 / 192.
    const mask = dropoutMask(new Prng(1), 100_001, 0.25);
    const values = new Set(mask);
    assert.deepEqual([...values].sort(), [0, Math.fround(256 / 192)]);
    const mean = mask.reduce((a, b) => a + b, 0) / mask.length;
    assert.ok(Math.abs(mean - 1) < 0.01, `mean ${mean}`);
    assert.deepEqual(dropoutMask(new Prng(1), 10, 0.25), dropoutMask(new Prng(1), 10, 0.25));
  });

  void it('rejects bad labels and shapes with BAD_ARGUMENT', async () => {
    const bad = (input: TrainHeadInput): Promise<void> =>
      assert.rejects(
        trainHead(input),
        (e: unknown) => e instanceof AppError && e.code === 'BAD_ARGUMENT',
      );
    await bad(
      base({ train: { ...train, labels: [...train.labels].map((y) => (y === 3 ? 7 : y)) } }),
    );
    await bad(base({ train: { ...train, x: train.x.subarray(1) } }));
    await bad(
      base({
        init: initHead({ inputDim: D, numClasses: K, hidden: null, dropout: 0 }, 1),
        numClasses: 1,
      }),
    );
  });
});
