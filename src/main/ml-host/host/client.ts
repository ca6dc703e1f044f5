import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AppError } from '../../../shared/contract/errors';
import {
  isHostMessage,
  type ClientToHost,
  type HostEvent,
  type HostOpName,
  type HostOpParams,
  type HostOpResult,
  type HostToClient,
} from './protocol';

/**
 * A started host process, whatever started it: child_process.fork here, Electron's
 * utilityProcess.fork in src/main/electron (which supplies its own HostSpawner).
 */
export type HostProcess = {
  readonly pid: number | undefined;
  send(message: ClientToHost): void;
  onMessage(handler: (message: unknown) => void): void;
  onExit(handler: (code: number | null, signal: string | null) => void): void;
  /** Output of the process (stdout and stderr), for crash reports. */
  onOutput?(handler: (text: string) => void): void;
  kill(): void;
};

export type HostSpawner = () => HostProcess;

/**
 * Where the host entry is: from TypeScript sources (tests, `npm run cli` through tsx) the .ts
 * file, loaded with tsx; bundled, build/ml-host.cjs beside the bundle that runs this code.
 */
export function defaultHostEntry(): { entry: string; execArgv: string[] } {
  if (__filename.endsWith('.ts')) {
    const tsx = pathToFileURL(require.resolve('tsx')).href;
    return { entry: join(__dirname, 'host-main.ts'), execArgv: ['--import', tsx] };
  }
  return { entry: join(__dirname, 'ml-host.cjs'), execArgv: [] };
}

/** Spawns the host with child_process.fork (structured-clone messages, output captured). */
export function forkSpawner(
  options: { entry?: string; execArgv?: string[]; env?: NodeJS.ProcessEnv } = {},
): HostSpawner {
  return () => {
    const fallback = defaultHostEntry();
    const child = fork(options.entry ?? fallback.entry, [], {
      execArgv: options.execArgv ?? (options.entry === undefined ? fallback.execArgv : []),
      env: options.env ?? process.env,
      serialization: 'advanced',
      // Piped, not inherited: tfjs greets on stdout, which would corrupt the CLI's --json output.
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    return {
      pid: child.pid,
      send: (message) => {
        if (child.connected) child.send(message, (error) => void error);
      },
      onMessage: (handler) => child.on('message', handler),
      onExit: (handler) => {
        let done = false;
        const once = (code: number | null, signal: string | null): void => {
          if (!done) handler(code, signal);
          done = true;
        };
        child.on('exit', once);
        // 'error' without a pid: the process could not be spawned at all.
        child.on('error', () => child.pid === undefined && once(null, null));
      },
      onOutput: (handler) => {
        child.stdout?.on('data', (chunk: Buffer) => handler(chunk.toString('utf8')));
        child.stderr?.on('data', (chunk: Buffer) => handler(chunk.toString('utf8')));
      },
      kill: () => void child.kill('SIGKILL'),
    };
  };
}

/** The part of Electron's UtilityProcess the host needs (structural: no 'electron' import here). */
export type UtilityProcessLike = {
  readonly pid: number | undefined;
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
};

/**
 * Spawns the host with Electron's utilityProcess: pass `utilityProcess.fork` from
 * src/main/electron. The child side finds `process.parentPort` (see channel.ts).
 */
export function utilitySpawner(
  forkUtility: (
    modulePath: string,
    args: string[],
    options: { serviceName: string; stdio: 'pipe'; execArgv?: string[] },
  ) => UtilityProcessLike,
  entry: string = defaultHostEntry().entry,
): HostSpawner {
  return () => {
    const child = forkUtility(entry, [], { serviceName: 'LittlePlaNet ML', stdio: 'pipe' });
    return {
      pid: child.pid,
      send: (message) => child.postMessage(message),
      onMessage: (handler) => void child.on('message', handler),
      onExit: (handler) => void child.on('exit', (code) => handler(code, null)),
      onOutput: (handler) => {
        child.stdout?.on('data', (chunk: Buffer) => handler(chunk.toString('utf8')));
        child.stderr?.on('data', (chunk: Buffer) => handler(chunk.toString('utf8')));
      },
      kill: () => void child.kill(),
    };
  };
}

export type RunOptions = {
  /** Every event of the run, in the order the host sent them. */
  onEvent?: (event: HostEvent) => void;
  /** Aborting asks the host to cancel; the run then settles with the host's answer. */
  signal?: AbortSignal;
};

type Pending = {
  resolve: (value: unknown) => void;
  reject: (error: AppError) => void;
  onEvent: ((event: HostEvent) => void) | undefined;
  cleanup: () => void;
};

type Session = {
  process: HostProcess;
  ready: Promise<void>;
  pending: Map<string, Pending>;
  output: string;
  /** False once the process has exited. */
  alive: boolean;
  /** True when we stopped it (dispose), so its exit is no crash. */
  disposed: boolean;
  exited: Promise<void>;
};

const OUTPUT_TAIL = 4000;

export type MlHostClientOptions = {
  spawn?: HostSpawner;
  /** How long the host may take to start (tsx compiling, tfjs loading). */
  startTimeoutMs?: number;
  /** The host's own output (tfjs warnings, stack traces of crashes). */
  onOutput?: (text: string) => void;
};

/**
 * The app's handle on the ML host process. Starts it lazily on the first run; runs are
 * multiplexed by id; events stream without acknowledgement. When the process dies unexpectedly,
 * every pending run rejects with ML_HOST_CRASHED and the next run starts a fresh process.
 */
export class MlHostClient {
  private session: Session | null = null;
  private readonly spawn: HostSpawner;
  private disposed = false;

  constructor(private readonly options: MlHostClientOptions = {}) {
    this.spawn = options.spawn ?? forkSpawner();
  }

  /** The running host's process id, or null before the first run / after a crash. */
  get pid(): number | null {
    return this.session?.process.pid ?? null;
  }

  /** Runs in flight. */
  get pending(): number {
    return this.session?.pending.size ?? 0;
  }

  async run<K extends HostOpName>(
    op: K,
    params: HostOpParams<K>,
    options: RunOptions = {},
  ): Promise<HostOpResult<K>> {
    if (this.disposed) throw new AppError('INTERNAL', 'The ML host client was disposed.');
    if (options.signal?.aborted) throw new AppError('CANCELLED', 'Cancelled before it started.');
    const session = this.session ?? this.start();
    await session.ready;
    if (!session.alive) {
      throw new AppError('ML_HOST_CRASHED', 'The ML process exited before the run could start.');
    }
    const id = randomUUID();
    return new Promise<HostOpResult<K>>((resolve, reject) => {
      const onAbort = (): void => session.process.send({ type: 'cancel', id });
      options.signal?.addEventListener('abort', onAbort, { once: true });
      session.pending.set(id, {
        resolve: resolve as (value: unknown) => void,
        reject,
        onEvent: options.onEvent,
        cleanup: () => options.signal?.removeEventListener('abort', onAbort),
      });
      session.process.send({ type: 'request', id, op, params });
    });
  }

  /** Stops the host and waits for it to exit; pending runs reject with CANCELLED. */
  async dispose(): Promise<void> {
    this.disposed = true;
    const session = this.session;
    if (session === null) return;
    this.session = null;
    session.disposed = true;
    this.failAll(session, new AppError('CANCELLED', 'The ML host was shut down.'));
    session.process.kill();
    await session.exited;
  }

  /** Kills the host as a crash would (for tests and a stuck host); the next run starts afresh. */
  kill(): void {
    this.session?.process.kill();
  }

  private start(): Session {
    const child = this.spawn();
    let markReady: () => void = () => undefined;
    let failStart: (error: AppError) => void = () => undefined;
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failStart = reject;
    });
    let markExited: () => void = () => undefined;
    const session: Session = {
      process: child,
      ready,
      pending: new Map(),
      output: '',
      alive: true,
      disposed: false,
      exited: new Promise<void>((resolve) => (markExited = resolve)),
    };
    this.session = session;
    const timeout = this.options.startTimeoutMs ?? 60_000;
    const timer = setTimeout(() => {
      failStart(new AppError('ML_HOST_CRASHED', `The ML host did not start within ${timeout} ms.`));
      child.kill();
    }, timeout);
    // A rejected start with nobody awaiting it yet must not surface as an unhandled rejection.
    ready.catch(() => undefined);

    child.onOutput?.((text) => {
      session.output = (session.output + text).slice(-OUTPUT_TAIL);
      this.options.onOutput?.(text);
    });
    child.onMessage((raw) => {
      if (!isHostMessage(raw)) return;
      this.handle(session, raw, () => {
        clearTimeout(timer);
        markReady();
      });
    });
    child.onExit((code, signal) => {
      clearTimeout(timer);
      session.alive = false;
      markExited();
      if (this.session === session) this.session = null;
      if (session.disposed) return;
      const how = signal !== null ? `was killed (${signal})` : `exited with code ${code}`;
      const tail = session.output.trim().split('\n').slice(-5).join('\n');
      const error = new AppError(
        'ML_HOST_CRASHED',
        `The ML process ${how}.${tail ? ` Last output:\n${tail}` : ''}`,
        { code, signal },
      );
      failStart(error);
      this.failAll(session, error);
    });
    return session;
  }

  private handle(session: Session, message: HostToClient, onReady: () => void): void {
    if (message.type === 'ready') {
      onReady();
      return;
    }
    const pending = session.pending.get(message.id);
    if (pending === undefined) return;
    if (message.type === 'event') {
      pending.onEvent?.(message.event);
      return;
    }
    session.pending.delete(message.id);
    pending.cleanup();
    if (message.type === 'result') pending.resolve(message.value);
    else pending.reject(AppError.fromData(message.error));
  }

  private failAll(session: Session, error: AppError): void {
    for (const pending of session.pending.values()) {
      pending.cleanup();
      pending.reject(error);
    }
    session.pending.clear();
  }
}
