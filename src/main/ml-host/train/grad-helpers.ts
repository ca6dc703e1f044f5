// The training thread's side of stage 2's data-parallel helper threads (grad-worker.ts): starts
// them, sends each its shard of a batch with the current weights, and collects the gradients.
import type { Worker } from 'node:worker_threads';
import { AppError } from '../../../shared/contract/errors';
import { startWorker } from '../../platform/worker-script';
import type {
  GradWorkerInit,
  GradWorkerReply,
  ShardRequest,
  ShardResult,
} from './grad-worker-protocol';

/** One shard for a helper: its rows, labels and dropout mask (no weights: those are per step). */
export type ShardInput = Pick<ShardRequest, 'rows' | 'rowShape' | 'labels' | 'mask'>;

/** One helper thread with at most one shard in flight. */
class Helper {
  private pending: {
    id: number;
    resolve(result: ShardResult): void;
    reject(error: Error): void;
  } | null = null;
  private failure: Error | null = null;
  private nextId = 1;

  constructor(private readonly worker: Worker) {
    worker.on('message', (reply: GradWorkerReply) => {
      if (reply.kind === 'ready') return;
      const waiting = this.pending;
      if (waiting === null || (reply.id !== null && reply.id !== waiting.id)) return;
      this.pending = null;
      if (reply.kind === 'error') waiting.reject(AppError.fromData(reply.error));
      else
        waiting.resolve({ grads: reply.grads, weightedLoss: reply.weightedLoss, hits: reply.hits });
    });
    const fail = (error: Error): void => {
      this.failure ??= error;
      this.pending?.reject(error);
      this.pending = null;
    };
    worker.on('error', fail);
    worker.on('exit', (code) =>
      fail(new AppError('INTERNAL', `A stage-2 helper thread exited (code ${code}).`)),
    );
  }

  /** Waits for the helper's model to be built: its 'ready', or why it could not start. */
  static start(init: GradWorkerInit): Promise<Helper> {
    const worker = startWorker('ml-host/train/grad-worker', init);
    return new Promise((resolve, reject) => {
      const onMessage = (reply: GradWorkerReply): void => {
        cleanUp();
        if (reply.kind === 'ready') resolve(new Helper(worker));
        else {
          void worker.terminate();
          reject(
            reply.kind === 'error'
              ? AppError.fromData(reply.error)
              : new AppError('INTERNAL', 'Unexpected first reply.'),
          );
        }
      };
      const onError = (error: Error): void => {
        cleanUp();
        reject(error);
      };
      const onExit = (code: number): void =>
        onError(
          new AppError('INTERNAL', `A stage-2 helper thread exited at start (code ${code}).`),
        );
      const cleanUp = (): void => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
    });
  }

  gradients(
    weights: Float32Array[],
    shard: ShardInput,
    batchRows: number,
    transfer: boolean,
  ): Promise<ShardResult> {
    if (this.failure !== null) return Promise.reject(this.failure);
    if (this.pending !== null)
      return Promise.reject(new AppError('INTERNAL', 'A shard is already in flight.'));
    const id = this.nextId++;
    const request: ShardRequest = { kind: 'shard', id, weights, batchRows, ...shard };
    const buffers = [
      ...(transfer ? weights.map((w) => w.buffer as ArrayBuffer) : []),
      shard.rows.buffer as ArrayBuffer,
      shard.labels.buffer as ArrayBuffer,
      ...(shard.mask === null ? [] : [shard.mask.buffer as ArrayBuffer]),
    ];
    return new Promise((resolve, reject) => {
      this.pending = { id, resolve, reject };
      this.worker.postMessage(request, buffers);
    });
  }

  /** Stops the thread; a shard in flight, or asked for later, is refused. */
  async close(): Promise<void> {
    this.failure ??= new AppError('INTERNAL', 'The stage-2 helper thread was closed.');
    this.pending?.reject(this.failure);
    this.pending = null;
    await this.worker.terminate();
  }
}

/** What a training step needs of its helpers (GradHelpers, or a stand-in in tests). */
export type ShardHelpers = {
  readonly count: number;
  gradients(
    weights: Float32Array[],
    shards: readonly ShardInput[],
    batchRows: number,
  ): Promise<ShardResult[]>;
  close(): Promise<void>;
};

/** Helper threads that each compute one shard of every stage-2 batch. */
export class GradHelpers implements ShardHelpers {
  private constructor(private readonly helpers: Helper[]) {}

  /** Starts `count` helpers and waits until each has built its model; none are left on failure. */
  static async start(init: GradWorkerInit, count: number): Promise<GradHelpers> {
    const started = await Promise.allSettled(
      Array.from({ length: count }, () => Helper.start(init)),
    );
    const ready = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed !== undefined) {
      await Promise.all(ready.map((h) => h.close()));
      throw failed.reason instanceof Error
        ? failed.reason
        : new AppError('INTERNAL', String(failed.reason));
    }
    return new GradHelpers(ready);
  }

  get count(): number {
    return this.helpers.length;
  }

  /**
   * Sends shard i to helper i with the current `weights` (every variable, in order) and resolves
   * with their results in the same order. The shards' typed arrays are transferred: do not reuse
   * them. `weights` are transferred to the last helper and copied to the others.
   */
  gradients(
    weights: Float32Array[],
    shards: readonly ShardInput[],
    batchRows: number,
  ): Promise<ShardResult[]> {
    if (shards.length !== this.helpers.length) {
      const error = `${shards.length} shards for ${this.helpers.length} helpers.`;
      return Promise.reject(new AppError('INTERNAL', error));
    }
    return Promise.all(
      shards.map((shard, i) =>
        this.helpers[i]!.gradients(weights, shard, batchRows, i === shards.length - 1),
      ),
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.helpers.map((h) => h.close()));
  }
}
