import assert from 'node:assert/strict';
import { fork, type Serializable } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { after, before, describe, it } from 'node:test';
import { AppError } from '../../src/shared/contract/errors';
import type { EpochMetrics } from '../../src/shared/contract/job-types';
import {
  MlHostClient,
  MlHostPool,
  defaultHostEntry,
  forkSpawner,
  utilitySpawner,
  parentChannel,
  startHost,
  type HostEvent,
  type HostToClient,
  type OpHandler,
  type UtilityProcessLike,
} from '../../src/main/ml-host/host';
import { syntheticFeatures } from '../../src/main/ml-host/train/synthetic';
import { progressGate } from '../../src/main/ml-host/host/ops-common';
import { diagHostEntry, diagHostSpawner } from '../helpers/diag-host';

const isCode =
  (code: string) =>
  (e: unknown): boolean =>
    e instanceof AppError && e.code === code;

const progressDone = (events: HostEvent[]): number[] =>
  events.flatMap((e) => (e.kind === 'progress' ? [e.done] : []));

let client: MlHostClient;
let dir = '';
before(async () => {
  // The host picks its backend itself; cpu keeps it light (no wasm start-up) for these tests.
  process.env.LITTLEPLANET_BACKEND = 'cpu';
  client = new MlHostClient({ spawn: diagHostSpawner() });
  dir = await mkdtemp(join(tmpdir(), 'lp-host-'));
});
after(async () => {
  await client.dispose();
  await rm(dir, { recursive: true, force: true });
});

void describe('startHost (in memory)', () => {
  /** A channel whose two ends are arrays and a callback, to test dispatch without a process. */
  function memoryHost(ops: Record<string, OpHandler>): {
    sent: HostToClient[];
    deliver: (m: unknown) => void;
  } {
    const sent: HostToClient[] = [];
    let deliver: (m: unknown) => void = () => undefined;
    startHost(
      { send: (m) => sent.push(m), onMessage: (h) => (deliver = h), onClose: () => undefined },
      ops,
    );
    return { sent, deliver: (m) => deliver(m) };
  }
  const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

  void it('announces itself, answers unknown ops and duplicate ids with error data', async () => {
    let release: () => void = () => undefined;
    const host = memoryHost({
      slow: (_p, ctx) =>
        new Promise((resolve) => {
          release = () => resolve('late');
          ctx.signal.addEventListener('abort', () => resolve('stopped'));
        }),
    });
    assert.deepEqual(host.sent[0], { type: 'ready', pid: process.pid });
    host.deliver({ type: 'request', id: 'a', op: 'nope', params: {} });
    host.deliver({ type: 'request', id: 'b', op: 'slow', params: {} });
    host.deliver({ type: 'request', id: 'b', op: 'slow', params: {} });
    host.deliver({ junk: true });
    await tick();
    assert.deepEqual(host.sent.slice(1), [
      {
        type: 'error',
        id: 'a',
        error: { code: 'NOT_FOUND', message: "The ML host has no op 'nope'." },
      },
      {
        type: 'error',
        id: 'b',
        error: { code: 'CONFLICT', message: 'Run b is already in flight.' },
      },
    ]);
    host.deliver({ type: 'cancel', id: 'b' });
    await tick();
    assert.deepEqual(host.sent.at(-1), { type: 'result', id: 'b', value: 'stopped' });
    release();
  });

  void it('talks over an Electron utility process parentPort when there is one', () => {
    const posted: unknown[] = [];
    let listener: (e: { data: unknown }) => void = () => undefined;
    const proc = process as unknown as { parentPort?: unknown };
    proc.parentPort = {
      postMessage: (m: unknown) => posted.push(m),
      on: (_event: string, l: (e: { data: unknown }) => void) => (listener = l),
    };
    try {
      const channel = parentChannel();
      const received: unknown[] = [];
      channel.onMessage((m) => received.push(m));
      channel.send({ type: 'ready', pid: 1 });
      listener({ data: { type: 'cancel', id: 'x' } });
      assert.deepEqual(posted, [{ type: 'ready', pid: 1 }]);
      assert.deepEqual(received, [{ type: 'cancel', id: 'x' }]);
    } finally {
      delete proc.parentPort;
    }
  });
});

void describe('MlHostClient (forked process)', () => {
  void it('starts lazily and streams events in order before the result', async () => {
    assert.equal(client.pid, null);
    const events: HostEvent[] = [];
    const result = await client.run(
      'diag.count',
      { n: 200, delayMs: 0 },
      { onEvent: (e) => events.push(e) },
    );
    assert.deepEqual(result, { counted: 200 });
    assert.deepEqual(
      progressDone(events),
      Array.from({ length: 200 }, (_, i) => i + 1),
    );
    const ping = await client.run('host.ping', {});
    assert.equal(ping.pid, client.pid);
    assert.notEqual(ping.pid, process.pid);
    assert.equal(ping.backend, null, 'ping does not load a backend');
  });

  void it('returns errors thrown by an op as data', async () => {
    await assert.rejects(
      client.run('diag.fail', { code: 'MODEL_INVALID', message: 'bad weights' }),
      (e: unknown) => isCode('MODEL_INVALID')(e) && (e as Error).message === 'bad weights',
    );
    await assert.rejects(client.run('diag.count', { n: -1, delayMs: 0 }), isCode('BAD_ARGUMENT'));
  });

  void it('cancel stops a long op quickly and the host lives on', async () => {
    const pid = client.pid;
    const controller = new AbortController();
    const events: HostEvent[] = [];
    const started = Date.now();
    const run = client.run(
      'diag.count',
      { n: 1000, delayMs: 20 },
      {
        signal: controller.signal,
        onEvent: (e) => {
          events.push(e);
          if (events.length === 3) controller.abort();
        },
      },
    );
    await assert.rejects(run, isCode('CANCELLED'));
    assert.ok(Date.now() - started < 5000, 'stopped long before its 20 s');
    assert.ok(events.length >= 3 && events.length < 10);
    assert.deepEqual(await client.run('diag.count', { n: 1, delayMs: 0 }), { counted: 1 });
    assert.equal(client.pid, pid);
  });

  void it('SIGKILL rejects every pending run with ML_HOST_CRASHED; the next run starts afresh', async () => {
    const first = client.pid;
    assert.ok(first !== null);
    const a = client.run('diag.count', { n: 1000, delayMs: 50 });
    const b = client.run('diag.count', { n: 1000, delayMs: 50 });
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(client.pending, 2);
    process.kill(first, 'SIGKILL');
    await assert.rejects(
      a,
      (e: unknown) => isCode('ML_HOST_CRASHED')(e) && /SIGKILL/.test((e as Error).message),
    );
    await assert.rejects(b, isCode('ML_HOST_CRASHED'));
    const ping = await client.run('host.ping', {});
    assert.notEqual(ping.pid, first);
  });

  void it('trains a head in the host from inline and file features, streaming epochs', async () => {
    const train = syntheticFeatures({ n: 240, dim: 8, classes: 3, seed: 1 });
    const val = syntheticFeatures({ n: 60, dim: 8, classes: 3, seed: 2 });
    const valFile = join(dir, 'val.f32');
    await writeFile(valFile, Buffer.from(val.x.buffer));
    const epochs: EpochMetrics[] = [];
    const result = await client.run(
      'train.head',
      {
        train: { x: train.x, labels: train.labels, rowShape: [8] },
        val: { file: valFile, labels: Array.from(val.labels), rowShape: [8] },
        numClasses: 3,
        hyper: { epochs: 4, batchSize: 32, learningRate: 0.05 },
      },
      { onEvent: (e) => e.kind === 'epoch' && epochs.push(e.metrics) },
    );
    assert.deepEqual(
      epochs.map((m) => m.epoch),
      [1, 2, 3, 4],
    );
    assert.ok(result.summary.bestAccuracy! > 0.9);
    assert.equal(result.summary.backend, 'cpu');
    assert.ok(result.head.weights[0]!.values instanceof Float32Array, 'typed arrays cross intact');
    const top = await client.run('predict.head', {
      head: result.head,
      features: val.x.subarray(0, 16),
      classes: ['a', 'b', 'c'],
      k: 2,
    });
    assert.equal(top.length, 2);
    const report = await client.run('evaluate.head', {
      head: result.head,
      set: { x: val.x, labels: val.labels, rowShape: [8] },
      classes: ['a', 'b', 'c'],
    });
    assert.equal(report.accuracy.value, result.summary.bestAccuracy);
    const ping = await client.run('host.ping', {});
    assert.equal(ping.backend, 'cpu');
    assert.equal(ping.numTensors, 0, 'no tensors left in the host');
  });
});

void describe('the shipped host', () => {
  void it('does not serve the test-only diag.* ops, nor bundle them', async () => {
    const shipped = new MlHostClient({ spawn: forkSpawner(defaultHostEntry()) });
    try {
      await assert.rejects(shipped.run('diag.count', { n: 1, delayMs: 0 }), isCode('NOT_FOUND'));
      assert.equal((await shipped.run('host.ping', {})).backend, null, 'it still serves');
    } finally {
      await shipped.dispose();
    }
    // The bundle build/ml-host.cjs is made from the same entry as scripts/build.mjs makes it.
    const root = join(__dirname, '../..');
    const buildScript = (await import(pathToFileURL(join(root, 'scripts/build.mjs')).href)) as {
      ENTRIES: { in: string; out: string }[];
      EXTERNALS: string[];
    };
    const entry = buildScript.ENTRIES.find((e) => e.out === 'ml-host');
    assert.ok(entry !== undefined);
    const bundle = await build({
      absWorkingDir: root,
      entryPoints: [entry.in],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      external: buildScript.EXTERNALS,
      write: false,
      logLevel: 'silent',
    });
    const code = bundle.outputFiles.map((f) => f.text).join('\n');
    assert.match(code, /'?"?host\.ping/, 'the bundle holds the host ops');
    assert.doesNotMatch(code, /diag\.(count|fail)/);
  });
});

void describe('utilitySpawner', () => {
  void it('drives a host through a UtilityProcess-shaped object', async () => {
    // Electron is absent in tests: a fork()ed child dressed as a UtilityProcess stands in.
    const { entry, execArgv } = diagHostEntry();
    const utility = new MlHostClient({
      spawn: utilitySpawner((modulePath, args) => {
        const child = fork(modulePath, args, {
          execArgv,
          serialization: 'advanced',
          stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        });
        const on = (event: string, listener: (arg: never) => void): unknown =>
          child.on(event, listener as (...args: unknown[]) => void);
        const fake: UtilityProcessLike = {
          pid: child.pid,
          postMessage: (m: unknown) => void child.send(m as Serializable),
          on,
          kill: () => child.kill(),
          stdout: child.stdout,
          stderr: child.stderr,
        };
        return fake;
      }, entry),
    });
    try {
      const events: HostEvent[] = [];
      assert.deepEqual(
        await utility.run('diag.count', { n: 3, delayMs: 0 }, { onEvent: (e) => events.push(e) }),
        {
          counted: 3,
        },
      );
      assert.deepEqual(progressDone(events), [1, 2, 3]);
    } finally {
      await utility.dispose();
    }
  });
});

void describe('MlHostPool', () => {
  void it('spreads chunks over processes and returns results in chunk order', async () => {
    const pool = new MlHostPool(2, { spawn: diagHostSpawner() });
    try {
      const seen = new Map<number, number>();
      const results = await pool.runChunks(
        'diag.count',
        [1, 2, 3, 4, 5].map((n) => ({ n, delayMs: 10 })),
        { onEvent: (chunk, e) => e.kind === 'progress' && seen.set(chunk, e.done) },
      );
      assert.deepEqual(
        results.map((r) => r.counted),
        [1, 2, 3, 4, 5],
      );
      assert.deepEqual([...seen.entries()].sort(), [
        [0, 1],
        [1, 2],
        [2, 3],
        [3, 4],
        [4, 5],
      ]);
      const pids = pool.pids;
      assert.equal(new Set(pids).size, 2);
      assert.ok(pids.every((p) => p !== null));

      await assert.rejects(
        pool.runChunks('diag.fail', [
          { code: 'IO_ERROR', message: 'disk gone' },
          { code: 'IO_ERROR', message: 'disk gone' },
        ]),
        isCode('IO_ERROR'),
      );
    } finally {
      await pool.dispose();
    }
  });

  void it('uses a borrowed warm client as a member and leaves it running on dispose', async () => {
    const main = new MlHostClient({ spawn: diagHostSpawner() });
    try {
      await main.run('host.ping', {});
      const mainPid = main.pid;
      const pool = new MlHostPool(2, { spawn: diagHostSpawner() }, [main]);
      const results = await pool.runChunks(
        'diag.count',
        [1, 2, 3, 4].map((n) => ({ n, delayMs: 20 })),
      );
      assert.deepEqual(
        results.map((r) => r.counted),
        [1, 2, 3, 4],
      );
      const [first, second] = pool.pids;
      assert.equal(first, mainPid, 'the borrowed client is the first member');
      assert.ok(second !== null && second !== mainPid, 'one extra process was started');
      await pool.dispose();
      assert.equal(main.pid, mainPid, 'the borrowed client still runs after dispose');
      const again = await main.run('diag.count', { n: 2, delayMs: 1 });
      assert.equal(again.counted, 2);
    } finally {
      await main.dispose();
    }
  });
});

void describe('progressGate', () => {
  void it('lets one event through per interval, and the final one always', () => {
    const due = progressGate(60_000);
    assert.deepEqual(
      [due(false), due(false), due(false), due(true), due(false)],
      [true, false, false, true, false],
    );
    const open = progressGate(0);
    assert.deepEqual([open(false), open(false)], [true, true]);
  });
});
