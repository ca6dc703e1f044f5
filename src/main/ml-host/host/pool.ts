import { AppError } from '../../../shared/contract/errors';
import { MlHostClient, type MlHostClientOptions, type RunOptions } from './client';
import type { HostEvent, HostOpName, HostOpParams, HostOpResult } from './protocol';

export type ChunkRunOptions = {
  /** Events of every chunk, tagged with the chunk's index. */
  onEvent?: (chunk: number, event: HostEvent) => void;
  /** Called as each chunk finishes (in completion order). */
  onChunkDone?: (chunk: number, done: number, total: number) => void;
  signal?: AbortSignal;
};

/**
 * N ML host processes for work a single-threaded backend (wasm, cpu) cannot spread over cores
 * itself, such as feature extraction: chunks go to whichever process is free. Each member is an
 * MlHostClient (lazy start, crash recovery), so a crashed member restarts on its next chunk.
 */
export class MlHostPool {
  private readonly members: MlHostClient[];
  private readonly owned: MlHostClient[];

  /**
   * `borrowed` clients (e.g. the already warm main host) count towards `size` and take chunks,
   * but stay alive after dispose(): starting fewer processes is most of a short job's cost.
   */
  constructor(size: number, options: MlHostClientOptions = {}, borrowed: MlHostClient[] = []) {
    if (!Number.isInteger(size) || size < 1 || size > 64) {
      throw new AppError('BAD_ARGUMENT', `Pool size must be 1..64, got ${size}.`);
    }
    const lent = borrowed.slice(0, size);
    this.owned = Array.from({ length: size - lent.length }, () => new MlHostClient(options));
    this.members = [...lent, ...this.owned];
  }

  get size(): number {
    return this.members.length;
  }

  /** Process ids of the started members (null where not started). */
  get pids(): (number | null)[] {
    return this.members.map((m) => m.pid);
  }

  /** One run on the least busy member. */
  run<K extends HostOpName>(
    op: K,
    params: HostOpParams<K>,
    options: RunOptions = {},
  ): Promise<HostOpResult<K>> {
    const member = this.members.reduce((a, b) => (b.pending < a.pending ? b : a));
    return member.run(op, params, options);
  }

  /**
   * Runs `op` once per chunk of params, at most one chunk per member at a time, and returns the
   * results in chunk order. The first failure cancels the chunks still running and rejects.
   */
  async runChunks<K extends HostOpName>(
    op: K,
    chunks: readonly HostOpParams<K>[],
    options: ChunkRunOptions = {},
  ): Promise<HostOpResult<K>[]> {
    const results = new Array<HostOpResult<K>>(chunks.length);
    const controller = new AbortController();
    const forward = (): void => controller.abort();
    options.signal?.addEventListener('abort', forward, { once: true });
    if (options.signal?.aborted) controller.abort();
    let next = 0;
    let done = 0;
    const worker = async (member: MlHostClient): Promise<void> => {
      while (next < chunks.length && !controller.signal.aborted) {
        const index = next++;
        results[index] = await member.run(op, chunks[index] as HostOpParams<K>, {
          signal: controller.signal,
          onEvent: (event) => options.onEvent?.(index, event),
        });
        done++;
        options.onChunkDone?.(index, done, chunks.length);
      }
    };
    try {
      const workers = this.members.slice(0, Math.max(1, chunks.length)).map((m) =>
        worker(m).catch((error: unknown) => {
          controller.abort();
          throw error;
        }),
      );
      const settled = await Promise.allSettled(workers);
      const errors = settled
        .filter((s): s is PromiseRejectedResult => s.status === 'rejected')
        .map((s) => (s.reason instanceof Error ? s.reason : new Error(String(s.reason))));
      // Report the root cause, not the CANCELLED of the chunks it brought down.
      const root =
        errors.find((e) => !(e instanceof AppError && e.code === 'CANCELLED')) ?? errors[0];
      if (root !== undefined) throw root;
      if (controller.signal.aborted) throw new AppError('CANCELLED', 'Cancelled.');
      return results;
    } finally {
      options.signal?.removeEventListener('abort', forward);
    }
  }

  /** Stops the processes this pool started (borrowed clients are left running). */
  async dispose(): Promise<void> {
    await Promise.all(this.owned.map((m) => m.dispose()));
  }
}
