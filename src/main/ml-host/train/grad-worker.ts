// A stage-2 data-parallel helper thread. tfjs-backend-wasm computes on one thread in Node, so the
// training thread hands each helper a shard of every batch: the helper loads the same backbone,
// cuts it at the same layer, takes the current weights, and returns its shard's gradients. The
// training thread adds them to its own and applies the update (train/loop-epoch.ts).
import * as tf from '@tensorflow/tfjs';
import { parentPort, workerData } from 'node:worker_threads';
import { AppError, toErrorData } from '../../../shared/contract/errors';
import { selectBackend } from '../backend';
import { loadBackbone, splitAtLayer } from '../backbone';
import { shardGradients } from './batch-loss';
import type {
  GradWorkerInit,
  GradWorkerReply,
  ShardRequest,
  ShardResult,
} from './grad-worker-protocol';
import { HeadModel } from './head';
import { stage2Model } from './stage2-model';
import type { TrainableModel } from './trainable';

/** A typed array whose buffer is its own, so it can be transferred without copying more. */
function owned(values: Float32Array): Float32Array {
  return values.byteOffset === 0 && values.byteLength === values.buffer.byteLength
    ? values
    : values.slice();
}

async function buildModel(
  init: GradWorkerInit,
): Promise<{ model: TrainableModel; dispose(): void }> {
  await selectBackend({ preference: 'wasm', strict: true, env: {} });
  const backbone = await loadBackbone(init.backbonesRoot, init.backboneName);
  if (backbone.kind !== 'layers') {
    backbone.dispose();
    throw new AppError('UNSUPPORTED', `Backbone '${init.backboneName}' is not a layers model.`);
  }
  const { upper } = splitAtLayer(backbone.featureModel, init.splitLayer);
  const head = new HeadModel(init.head);
  const model = stage2Model(upper, head);
  const shapes = model.variables.map((v) => v.shape.join('x'));
  const expected = init.variableShapes.map((s) => s.join('x'));
  if (shapes.join() !== expected.join()) {
    head.dispose();
    backbone.dispose();
    throw new AppError(
      'INTERNAL',
      `The helper's stage-2 model has variables [${shapes.join(', ')}], the training thread's [${expected.join(', ')}].`,
    );
  }
  return {
    model,
    dispose: () => {
      head.dispose();
      backbone.dispose();
    },
  };
}

/** The gradients of one shard at the training thread's weights, as transferable arrays. */
async function shardResult(
  model: TrainableModel,
  init: GradWorkerInit,
  classWeights: tf.Tensor1D,
  request: ShardRequest,
): Promise<ShardResult> {
  tf.tidy(() =>
    model.variables.forEach((v, i) => v.assign(tf.tensor(request.weights[i]!, v.shape))),
  );
  // No L2 term here: the training thread adds it once for the whole batch.
  const shard = shardGradients(model, request, {
    rowShape: request.rowShape,
    classWeights,
    numClasses: init.numClasses,
    batchRows: request.batchRows,
    l2: 0,
  });
  try {
    const grads = await Promise.all(
      shard.grads.map(async (g) => (g === null ? null : owned((await g.data()) as Float32Array))),
    );
    const [loss] = await shard.dataLoss.data();
    const [hit] = await shard.hits.data();
    // The data loss is the shard's Σ ce·w / batchRows: scale back to the sum the loop reports.
    return { grads, weightedLoss: loss! * request.batchRows, hits: hit! };
  } finally {
    shard.dispose();
  }
}

async function main(): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error('grad-worker must run in a worker thread');
  const init = workerData as GradWorkerInit;
  const post = (reply: GradWorkerReply, transfer: ArrayBuffer[] = []): void =>
    port.postMessage(reply, transfer);
  let built: Awaited<ReturnType<typeof buildModel>>;
  try {
    built = await buildModel(init);
  } catch (error) {
    post({ kind: 'error', id: null, error: toErrorData(error) });
    port.close();
    return;
  }
  const classWeights = tf.tensor1d(init.classWeights);
  // One shard at a time, in the order sent (the training thread waits for each answer anyway).
  let queue = Promise.resolve();
  port.on('message', (request: ShardRequest) => {
    queue = queue.then(async () => {
      try {
        const result = await shardResult(built.model, init, classWeights, request);
        const buffers = result.grads.flatMap((g) => (g === null ? [] : [g.buffer as ArrayBuffer]));
        post({ kind: 'grads', id: request.id, ...result }, buffers);
      } catch (error) {
        post({ kind: 'error', id: request.id, error: toErrorData(error) });
      }
    });
  });
  port.on('close', () => {
    classWeights.dispose();
    built.dispose();
  });
  post({ kind: 'ready' });
}

void main();
