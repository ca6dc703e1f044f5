import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { selectBackend, withBackend } from '../../src/main/ml-host/backend';
import { resolveHyperParams } from '../../src/shared/contract/ml-methods';
import { Prng } from '../../src/main/ml-host/train/prng';
import { trainHead } from '../../src/main/ml-host/train/stage1';
import {
  assignUpperWeights,
  fineTune,
  readUpperWeights,
} from '../../src/main/ml-host/train/stage2';
import type { ExampleSet, GradBackendRunner, NamedArray } from '../../src/main/ml-host/train/types';

const S = 8; // block input: 8 x 8 x 2
const C = 2;
const K = 3;

/** Stripes: class 0 horizontal, 1 vertical, 2 checkerboard; random phase and noise. */
function stripes(n: number, seed: number): ExampleSet & { x: Float32Array } {
  const prng = new Prng(seed);
  const x = new Float32Array(n * S * S * C);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const y = i % K;
    labels[i] = y;
    const phase = prng.int(2);
    for (let r = 0; r < S; r++) {
      for (let c = 0; c < S; c++) {
        const on = y === 0 ? (r + phase) % 2 : y === 1 ? (c + phase) % 2 : (r + c + phase) % 2;
        for (let ch = 0; ch < C; ch++) {
          x[((i * S + r) * S + c) * C + ch] = on + 0.3 * (prng.next() - 0.5);
        }
      }
    }
  }
  return { x, rowShape: [S, S, C], labels };
}

/** A tiny "last block": conv -> depthwise conv -> global average pool, seeded initialisers. */
function makeUpper(): tf.LayersModel {
  const input = tf.input({ shape: [S, S, C] });
  const conv = tf.layers
    .conv2d({
      name: 'block_expand',
      filters: 4,
      kernelSize: 1,
      activation: 'relu',
      kernelInitializer: tf.initializers.glorotUniform({ seed: 7 }),
    })
    .apply(input) as tf.SymbolicTensor;
  const dw = tf.layers
    .depthwiseConv2d({
      name: 'block_depthwise',
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      depthwiseInitializer: tf.initializers.glorotUniform({ seed: 8 }),
    })
    .apply(conv) as tf.SymbolicTensor;
  const pooled = tf.layers.globalAveragePooling2d({}).apply(dw) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: pooled });
}

function features(upper: tf.LayersModel, set: ExampleSet & { x: Float32Array }): ExampleSet {
  const n = set.labels.length;
  const x = tf.tidy(() =>
    (upper.predict(tf.tensor4d(set.x, [n, S, S, C])) as tf.Tensor).dataSync(),
  );
  return { x: Float32Array.from(x), rowShape: [x.length / n], labels: set.labels };
}

const train = stripes(150, 1);
const val = stripes(60, 2);
const hyper1 = resolveHyperParams({
  epochs: 20,
  batchSize: 16,
  learningRate: 0.1,
  earlyStopPatience: null,
});
const hyper2 = resolveHyperParams(
  { epochs: 8, batchSize: 16, learningRate: 0.05, earlyStopPatience: null },
  2,
);

let dir = '';
const gradCalls: string[] = [];
const onCpu: GradBackendRunner = (fn) => {
  gradCalls.push(tf.getBackend());
  return withBackend('cpu', fn);
};

before(async () => {
  await selectBackend({ preference: 'wasm', env: {} });
  dir = await mkdtemp(join(tmpdir(), 'lp-finetune-'));
});
after(async () => rm(dir, { recursive: true, force: true }));

const equal = (a: NamedArray[], b: NamedArray[]): boolean =>
  a.length === b.length && a.every((w, i) => w.values.every((v, j) => v === b[i]!.values[j]));

void describe('fineTune (stage 2)', () => {
  void it('trains the upper block with the head, on the gradient backend, beating stage 1', async () => {
    const upper = makeUpper();
    const stage1 = await trainHead({
      train: features(upper, train),
      val: features(upper, val),
      numClasses: K,
      hyper: hyper1,
    });
    const initial = await readUpperWeights(upper);
    const numTensors = tf.memory().numTensors;
    const result = await fineTune({
      upper,
      head: stage1.head,
      train,
      val,
      hyper: hyper2,
      runOnGradBackend: onCpu,
    });
    assert.equal(tf.memory().numTensors, numTensors);
    assert.equal(tf.getBackend(), 'wasm', 'the backend is restored');
    assert.equal(result.summary.backend, 'cpu');
    assert.deepEqual(gradCalls, ['wasm']);
    assert.equal(result.summary.stage, 2);
    assert.equal(result.history[0]!.stage, 2);
    assert.ok(!equal(initial, result.upper), 'upper weights changed');
    assert.ok(equal(await readUpperWeights(upper), result.upper), 'upper holds the best weights');
    const acc1 = stage1.summary.bestAccuracy!;
    const acc2 = result.summary.bestAccuracy!;
    console.log(`[finetune] stage 1 val accuracy ${acc1.toFixed(3)}, stage 2 ${acc2.toFixed(3)}`);
    assert.ok(acc2 > acc1 + 0.1, `stage 2 (${acc2}) should beat stage 1 (${acc1}) on stripes`);
    upper.dispose();
  });

  void it('resumes stage 2 (upper weights included) to the uninterrupted result', async () => {
    const setup = async (): Promise<{
      upper: tf.LayersModel;
      head: Awaited<ReturnType<typeof trainHead>>['head'];
    }> => {
      const upper = makeUpper();
      const h = await trainHead({
        train: features(upper, train),
        val: null,
        numClasses: K,
        hyper: { ...hyper1, epochs: 2 },
      });
      return { upper, head: h.head };
    };
    const h2 = { ...hyper2, epochs: 4, dropout: 0.2 };
    const a = await setup();
    const full = await fineTune({
      ...a,
      train,
      val,
      hyper: h2,
      runOnGradBackend: onCpu,
      checkpointDir: join(dir, 'a'),
    });

    const b = await setup();
    const fresh = await readUpperWeights(b.upper);
    const controller = new AbortController();
    await fineTune({
      ...b,
      train,
      val,
      hyper: h2,
      runOnGradBackend: onCpu,
      checkpointDir: join(dir, 'b'),
      signal: controller.signal,
      onEpoch: (m) => m.epoch === 2 && controller.abort(),
    });
    // A resumed job loads the backbone afresh: put the original upper weights back first.
    assignUpperWeights(b.upper, fresh);
    const resumed = await fineTune({
      ...b,
      train,
      val,
      hyper: h2,
      runOnGradBackend: onCpu,
      checkpointDir: join(dir, 'b'),
      resume: true,
    });
    assert.deepEqual(resumed.history, full.history);
    assert.ok(equal(resumed.upper, full.upper));
    assert.ok(equal(resumed.head.weights, full.head.weights));
    a.upper.dispose();
    b.upper.dispose();
  });
});
