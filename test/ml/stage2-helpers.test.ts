// Stage 2's data-parallel steps (train/grad-helpers.ts, train/grad-worker.ts): a helper thread
// loads the same backbone, computes its shard of every batch, and the training thread adds the
// gradients up. On the real MobileNetV2 (cut at Conv_1, so the steps are quick), the run must
// equal the single-thread run up to float rounding, leak no tensor, and go on in one thread when
// a helper cannot start or dies part way.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AppError } from '../../src/shared/contract/errors';
import { resolveHyperParams } from '../../src/shared/contract/ml-methods';
import { importBackbone, loadBackbone, splitAtLayer } from '../../src/main/ml-host/backbone';
import { selectBackend } from '../../src/main/ml-host/backend';
import { GradHelpers, type ShardHelpers } from '../../src/main/ml-host/train/grad-helpers';
import { HeadModel } from '../../src/main/ml-host/train/head';
import { initHead } from '../../src/main/ml-host/train/head-spec';
import { runTrainingLoop } from '../../src/main/ml-host/train/loop';
import { Prng } from '../../src/main/ml-host/train/prng';
import { fineTune, type FineTuneResult } from '../../src/main/ml-host/train/stage2';
import { stage2Model } from '../../src/main/ml-host/train/stage2-model';
import type { ExampleSet, NamedArray } from '../../src/main/ml-host/train/types';
import { BUNDLED_MOBILENET_V2 } from '../helpers/shared-fixtures';

const CUT = 'Conv_1';
const ROWS = 40;
let root = '';
let rowShape: number[] = [];
let train: ExampleSet & { x: Float32Array };

/** Uneven classes (class weights differ), random block inputs in ReLU6's range. */
function blockInputs(shape: number[]): ExampleSet & { x: Float32Array } {
  const prng = new Prng(11);
  const size = shape.reduce((a, b) => a * b, 1);
  const x = Float32Array.from({ length: ROWS * size }, () => 6 * prng.next());
  const labels = Int32Array.from({ length: ROWS }, (_, i) =>
    i % 5 === 0 ? 1 : i % 3 === 0 ? 2 : 0,
  );
  return { x, rowShape: shape, labels };
}

const hyper = resolveHyperParams(
  { epochs: 2, batchSize: 16, dropout: 0.3, l2: 1e-3, imbalance: 'classWeights', seed: 3 },
  2,
);

/** A fresh upper model from disk (fineTune trains it in place) and a disposer. */
async function freshUpper(): Promise<{ upper: tf.LayersModel; dispose: () => void }> {
  const backbone = await loadBackbone(root, 'mnv2');
  if (backbone.kind !== 'layers') throw new Error('expected a layers backbone');
  return {
    upper: splitAtLayer(backbone.featureModel, CUT).upper,
    dispose: () => backbone.dispose(),
  };
}

async function fineTuneWith(
  helpers: number,
  splitLayer = CUT,
): Promise<{ result: FineTuneResult; logs: string[]; startFailures: unknown[] }> {
  const { upper, dispose } = await freshUpper();
  const logs: string[] = [];
  const startFailures: unknown[] = [];
  try {
    const result = await fineTune({
      upper,
      head: initHead({ inputDim: 1280, numClasses: 3, hidden: null, dropout: 0 }, 5),
      train,
      val: null,
      hyper,
      helperThreads: {
        count: helpers,
        backbonesRoot: root,
        backboneName: 'mnv2',
        splitLayer,
        onStartFailed: (e) => startFailures.push(e),
      },
      onLog: (_level, message) => logs.push(message),
    });
    return { result, logs, startFailures };
  } finally {
    dispose();
  }
}

function maxDifference(a: readonly NamedArray[], b: readonly NamedArray[]): number {
  assert.equal(a.length, b.length);
  let max = 0;
  a.forEach((w, i) => {
    const other = b[i]!.values;
    assert.equal(w.values.length, other.length);
    w.values.forEach((v, j) => (max = Math.max(max, Math.abs(v - other[j]!))));
  });
  return max;
}

void describe('stage 2 steps shared with helper threads', () => {
  let single: FineTuneResult;

  before(async () => {
    await selectBackend({ preference: 'wasm', env: {}, strict: true });
    root = await mkdtemp(join(tmpdir(), 'lp-stage2-helpers-'));
    const meta = await importBackbone({ source: BUNDLED_MOBILENET_V2, name: 'mnv2', root });
    const backbone = await loadBackbone(root, meta.name);
    if (backbone.kind !== 'layers') throw new Error('expected a layers backbone');
    rowShape = splitAtLayer(backbone.featureModel, CUT).cutShape;
    backbone.dispose();
    train = blockInputs(rowShape);
    single = (await fineTuneWith(0)).result;
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  void it('give the single-thread weights and losses, and leave no tensor behind', async () => {
    const before = tf.memory().numTensors;
    const { result, logs, startFailures } = await fineTuneWith(1);
    assert.equal(tf.memory().numTensors, before, 'no tensor leaks on the training thread');
    assert.deepEqual(startFailures, []);
    assert.deepEqual(
      logs.filter((m) => /helper/.test(m)),
      [],
    );
    assert.equal(result.history.length, 2);
    result.history.forEach((epoch, i) => {
      const expected = single.history[i]!;
      assert.ok(
        Math.abs(epoch.loss - expected.loss) < 1e-5 * Math.max(1, expected.loss),
        `epoch ${i + 1} loss ${epoch.loss} vs ${expected.loss}`,
      );
      assert.equal(epoch.accuracy, expected.accuracy);
    });
    const upperDiff = maxDifference(result.upper, single.upper);
    const headDiff = maxDifference(result.head.weights, single.head.weights);
    assert.ok(upperDiff < 1e-5, `upper weights differ by ${upperDiff}`);
    assert.ok(headDiff < 1e-5, `head weights differ by ${headDiff}`);
    // The steps did change the weights: equal results are not two untouched models.
    const untouched = await freshUpper();
    try {
      const start = await stage2Model(
        untouched.upper,
        new HeadModel(initHead({ inputDim: 1280, numClasses: 3, hidden: null, dropout: 0 }, 5)),
      ).read();
      assert.ok(maxDifference(result.upper, start.slice(0, result.upper.length)) > 1e-4);
    } finally {
      untouched.dispose();
    }
  });

  void it('that cannot start leave the run in one thread, with the reason', async () => {
    const { result, startFailures } = await fineTuneWith(1, 'no_such_layer');
    assert.equal(startFailures.length, 1);
    assert.match(String(startFailures[0]), /no_such_layer/);
    assert.deepEqual(result.upper, single.upper, 'exactly the single-thread run');
    assert.deepEqual(result.history, single.history);
  });

  void it('that fail part way: the batch is taken again in this thread and the run goes on', async () => {
    const { upper, dispose } = await freshUpper();
    const headState = initHead(
      { inputDim: 1280, numClasses: 3, hidden: null, dropout: hyper.dropout },
      5,
    );
    const head = new HeadModel(headState);
    const model = stage2Model(upper, head);
    const real = await GradHelpers.start(
      {
        backbonesRoot: root,
        backboneName: 'mnv2',
        splitLayer: CUT,
        head: headState,
        numClasses: 3,
        classWeights: [1, 1, 1],
        variableShapes: model.variables.map((v) => [...v.shape]),
      },
      1,
    );
    // Two good shards, then one the helper cannot compute (rows of the wrong length).
    let calls = 0;
    let closed = 0;
    const failing: ShardHelpers = {
      count: 1,
      gradients: (weights, shards, rows) => {
        calls += 1;
        const sent =
          calls === 3 ? shards.map((shard) => ({ ...shard, rows: new Float32Array(10) })) : shards;
        return real.gradients(weights, sent, rows);
      },
      close: async () => {
        closed += 1;
        await real.close();
      },
    };
    const logs: string[] = [];
    const before = tf.memory().numTensors;
    try {
      const run = await runTrainingLoop({
        stage: 2,
        model,
        numClasses: 3,
        train,
        val: null,
        hyper: { ...hyper, imbalance: 'none' },
        identity: null,
        helpers: failing,
        onLog: (_level, message) => logs.push(message),
      });
      assert.equal(run.summary.epochsRun, 2);
      assert.ok(run.history.every((e) => Number.isFinite(e.loss)));
      assert.equal(calls, 3, 'no shard is sent after the failure');
      assert.equal(closed, 1);
      const warnings = logs.filter((m) => /helper thread failed/.test(m));
      assert.equal(warnings.length, 1, logs.join(' | '));
      assert.match(warnings[0]!, /should have \d+ values/);
      assert.equal(tf.memory().numTensors, before, 'no tensor leaks');
      // Closed (as the fallback does), the helpers refuse further shards rather than hang.
      const shard = {
        rows: new Float32Array(1),
        rowShape: [1],
        labels: new Int32Array(1),
        mask: null,
      };
      await assert.rejects(real.gradients([], [shard], 1), /closed/);
    } finally {
      await real.close();
      head.dispose();
      dispose();
    }
  });

  void it("that work while this thread's shard fails: the run fails with that error", async () => {
    const { upper, dispose } = await freshUpper();
    const head = new HeadModel(
      initHead({ inputDim: 1280, numClasses: 3, hidden: null, dropout: 0 }, 5),
    );
    const model = stage2Model(upper, head);
    let forwards = 0;
    const failingOnSecond = {
      ...model,
      logits: (x: tf.Tensor, mask: tf.Tensor2D | null) => {
        forwards += 1;
        if (forwards === 2) throw new AppError('INTERNAL', 'this thread failed');
        return model.logits(x, mask);
      },
    };
    // Helpers that answer zero gradients at once.
    const zeros: ShardHelpers = {
      count: 1,
      gradients: (_weights, shards) =>
        Promise.resolve(
          shards.map(() => ({
            grads: model.variables.map((v) => new Float32Array(v.size)),
            weightedLoss: 0,
            hits: 0,
          })),
        ),
      close: () => Promise.resolve(),
    };
    const logs: string[] = [];
    const before = tf.memory().numTensors;
    try {
      await assert.rejects(
        runTrainingLoop({
          stage: 2,
          model: failingOnSecond,
          numClasses: 3,
          train,
          val: null,
          hyper,
          identity: null,
          helpers: zeros,
          onLog: (_level, message) => logs.push(message),
        }),
        /this thread failed/,
      );
      assert.deepEqual(logs, [], 'not reported as a helper failure, and not retried');
      assert.equal(forwards, 2);
      assert.equal(tf.memory().numTensors, before, 'no tensor leaks');
    } finally {
      head.dispose();
      dispose();
    }
  });

  void it('refuse a model of other shapes at start, with an AppError', async () => {
    await assert.rejects(
      GradHelpers.start(
        {
          backbonesRoot: root,
          backboneName: 'mnv2',
          splitLayer: CUT,
          head: initHead({ inputDim: 1280, numClasses: 3, hidden: null, dropout: 0 }, 5),
          numClasses: 3,
          classWeights: [1, 1, 1],
          variableShapes: [[1, 2, 3]],
        },
        1,
      ),
      (e) => e instanceof AppError && e.code === 'INTERNAL' && /variables/.test(e.message),
    );
  });
});
