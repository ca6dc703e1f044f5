// The core's side of the ML processes: one long-lived host for everything, plus, while a features
// job runs on a single-threaded backend (wasm, cpu), a pool of extra hosts that each extract one
// chunk of images at a time. No TensorFlow.js is ever loaded in this (the core's) process.
import { availableParallelism } from 'node:os';
import { AppError } from '../../../shared/contract/errors';
import type { BackendReport } from '../../../shared/contract/ml-types';
import type { BackendPreference } from '../../ml-host/backend';
import {
  MlHostClient,
  MlHostPool,
  forkSpawner,
  type HostEvent,
  type HostOpName,
  type HostOpParams,
  type HostOpResult,
  type HostSpawner,
  type MlHostClientOptions,
} from '../../ml-host/host';
import type { JobContext } from '../jobs/job-manager';

export type MlServiceOptions = {
  /**
   * Starts an ML host process: Electron main passes utilitySpawner(utilityProcess.fork); the CLI
   * and the HTTP server use the default, forkSpawner() (child_process.fork).
   */
  spawner?: HostSpawner;
  /** The backend setting; LITTLEPLANET_BACKEND (read by the host) overrides it. */
  backendPreference?: BackendPreference;
  /**
   * Processes for feature extraction on a single-threaded backend. Default:
   * LITTLEPLANET_FEATURE_PROCESSES, else min(cores, 4) (at least 1).
   */
  featureProcesses?: number;
  /** The hosts' stdout/stderr (tfjs warnings, crash traces); default: dropped. */
  onHostOutput?: (text: string) => void;
  startTimeoutMs?: number;
};

/** Backends that use one core only: extraction then scales by running several processes. */
const SINGLE_THREADED = new Set(['wasm', 'cpu']);

export function featureProcessCount(options: MlServiceOptions, backend: BackendReport): number {
  return SINGLE_THREADED.has(backend.name) ? wantedProcesses(options) : 1;
}

/** Processes wanted on a single-threaded backend. */
function wantedProcesses(options: MlServiceOptions): number {
  const env = Number(process.env.LITTLEPLANET_FEATURE_PROCESSES);
  const wanted =
    options.featureProcesses ??
    (Number.isInteger(env) && env >= 1 ? env : Math.min(availableParallelism(), 4));
  return Math.max(1, Math.min(16, Math.floor(wanted)));
}

const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'];

function installed(pkg: string): boolean {
  try {
    require.resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether a host would choose a single-threaded backend, judged without loading TensorFlow.js in
 * this process: from the setting (LITTLEPLANET_BACKEND wins, as in the host), and for 'auto' from
 * whether a native package is installed. A wrong guess costs one process started for nothing.
 */
export function likelySingleThreaded(options: MlServiceOptions): boolean {
  const setting = process.env.LITTLEPLANET_BACKEND?.trim() || options.backendPreference || 'auto';
  if (setting === 'wasm' || setting === 'cpu') return true;
  if (setting !== 'auto') return false;
  return !NATIVE_PACKAGES.some(installed);
}

/** Forwards a host op's events into a job's events. */
export function forwardTo(ctx: JobContext): (event: HostEvent) => void {
  return (event) => {
    if (event.kind === 'progress') ctx.progress(event.done, event.total, event.message);
    else if (event.kind === 'epoch') ctx.epoch(event.metrics);
    else ctx.log(event.level, event.message);
  };
}

export class MlHosts {
  private client: MlHostClient | null = null;
  private readonly clientOptions: MlHostClientOptions;

  constructor(private readonly options: MlServiceOptions = {}) {
    this.clientOptions = {
      spawn: options.spawner ?? forkSpawner(),
      ...(options.onHostOutput === undefined ? {} : { onOutput: options.onHostOutput }),
      ...(options.startTimeoutMs === undefined ? {} : { startTimeoutMs: options.startTimeoutMs }),
    };
  }

  /** The main host's process id (null before its first op or after a crash). */
  get pid(): number | null {
    return this.client?.pid ?? null;
  }

  private main(): MlHostClient {
    this.client ??= new MlHostClient(this.clientOptions);
    return this.client;
  }

  /** Makes sure `client` chose its backend with the setting (the first choice sticks per process). */
  private async prepare(client: MlHostClient, signal?: AbortSignal): Promise<BackendReport> {
    const pref = this.options.backendPreference;
    return client.run('host.backend', pref === undefined ? {} : { preference: pref }, {
      ...(signal === undefined ? {} : { signal }),
    });
  }

  async backend(): Promise<BackendReport> {
    return this.prepare(this.main());
  }

  /** Runs one op on the main host; with a job context, events and cancellation are wired to it. */
  async run<K extends HostOpName>(
    op: K,
    params: HostOpParams<K>,
    ctx?: JobContext,
  ): Promise<HostOpResult<K>> {
    const client = this.main();
    await this.prepare(client, ctx?.signal);
    return client.run(
      op,
      params,
      ctx === undefined ? {} : { signal: ctx.signal, onEvent: forwardTo(ctx) },
    );
  }

  /**
   * Runs `op` over chunks: on a pool of extra processes when the backend is single-threaded and
   * there is more than one chunk, else one chunk after another on the main host. The extra
   * processes live only as long as the call (each loads the backbone: ~100 MB held per process).
   */
  async runChunks<K extends HostOpName>(
    op: K,
    makeChunks: (backend: BackendReport) => HostOpParams<K>[],
    ctx: JobContext,
    onChunkEvent: (chunk: number, event: HostEvent) => void,
  ): Promise<HostOpResult<K>[]> {
    const main = this.main();
    // A cold main host takes most of a second to start (node, TensorFlow.js, wasm). When the pool
    // will be wanted, its other processes start alongside it instead of after it: on a short job
    // that start-up is a large part of the wall time.
    const early =
      main.pid === null && likelySingleThreaded(this.options)
        ? this.startExtras(wantedProcesses(this.options) - 1)
        : [];
    try {
      const backend = await this.prepare(main, ctx.signal);
      const chunks = makeChunks(backend);
      const size = Math.min(featureProcessCount(this.options, backend), chunks.length);
      if (size <= 1) {
        const results: HostOpResult<K>[] = [];
        for (let i = 0; i < chunks.length; i++) {
          if (ctx.signal.aborted) throw new AppError('CANCELLED', 'Cancelled.');
          results.push(
            await main.run(op, chunks[i] as HostOpParams<K>, {
              signal: ctx.signal,
              onEvent: (event) => onChunkEvent(i, event),
            }),
          );
        }
        return results;
      }
      ctx.log('info', `Extracting with ${size} processes (${backend.name} runs on one core each).`);
      // The main host, already started and holding the backend, is one of the pool's members.
      const pool = new MlHostPool(size, this.clientOptions, [main, ...early.slice(0, size - 1)]);
      try {
        return await pool.runChunks(op, chunks, { signal: ctx.signal, onEvent: onChunkEvent });
      } finally {
        await pool.dispose();
      }
    } finally {
      await Promise.all(early.map((client) => client.dispose()));
    }
  }

  /** Starts `count` extra hosts and has each choose its backend (as the main host will). */
  private startExtras(count: number): MlHostClient[] {
    const clients = Array.from(
      { length: Math.max(0, count) },
      () => new MlHostClient(this.clientOptions),
    );
    for (const client of clients) {
      // A failed warm-up is not the job's failure: the client starts afresh on its first chunk.
      this.prepare(client).catch(() => undefined);
    }
    return clients;
  }

  /** Stops the main host (the next op starts a fresh one). */
  async dispose(): Promise<void> {
    const client = this.client;
    this.client = null;
    await client?.dispose();
  }
}
