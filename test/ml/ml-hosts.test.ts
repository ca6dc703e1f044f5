// The core's ML processes: on a single-threaded backend, a chunked op runs on a pool whose extra
// processes start alongside a cold main host (not after it) and stop with the op.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MlHosts, likelySingleThreaded } from '../../src/main/core/ml-jobs/ml-hosts';
import type { JobContext } from '../../src/main/core/jobs/job-manager';
import type { HostSpawner } from '../../src/main/ml-host/host';
import { diagHostSpawner } from '../helpers/diag-host';

function jobContext(): JobContext & { logs: string[] } {
  const logs: string[] = [];
  return {
    jobId: 'test',
    signal: new AbortController().signal,
    progress: () => undefined,
    log: (_level, message) => logs.push(message),
    epoch: () => undefined,
    logs,
  };
}

/** The tests' host (with the diag.* ops), counting the processes it starts and keeping their pids. */
function countingSpawner(): { spawner: HostSpawner; pids: number[] } {
  const inner = diagHostSpawner();
  const pids: number[] = [];
  return {
    pids,
    spawner: () => {
      const host = inner();
      if (host.pid !== undefined) pids.push(host.pid);
      return host;
    },
  };
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const saved = process.env.LITTLEPLANET_BACKEND;
before(() => {
  // cpu is single-threaded like wasm and starts quickly.
  process.env.LITTLEPLANET_BACKEND = 'cpu';
});
after(() => {
  if (saved === undefined) delete process.env.LITTLEPLANET_BACKEND;
  else process.env.LITTLEPLANET_BACKEND = saved;
});

void describe('MlHosts.runChunks', () => {
  void it('starts the extra process alongside a cold main host and stops it afterwards', async () => {
    const { spawner, pids } = countingSpawner();
    const hosts = new MlHosts({ spawner, featureProcesses: 2 });
    const ctx = jobContext();
    let startedWhenPlanned = -1;
    try {
      const results = await hosts.runChunks(
        'diag.count',
        (backend) => {
          assert.equal(backend.name, 'cpu');
          // The chunks are made once the main host has chosen its backend.
          startedWhenPlanned = pids.length;
          return [3, 1, 2, 4].map((n) => ({ n, delayMs: 20 }));
        },
        ctx,
        () => undefined,
      );
      assert.deepEqual(
        results.map((r) => r.counted),
        [3, 1, 2, 4],
      );
      assert.equal(startedWhenPlanned, 2, 'both processes were starting before the plan');
      assert.equal(pids.length, 2);
      assert.ok(ctx.logs.some((l) => /Extracting with 2 processes \(cpu/.test(l)));
      const main = hosts.pid;
      assert.ok(main !== null && pids.includes(main) && alive(main), 'the main host stays');
      const extra = pids.find((pid) => pid !== main);
      assert.equal(alive(extra!), false, 'the extra process stopped with the op');
    } finally {
      await hosts.dispose();
    }
  });

  void it('with a warm main host, the extra process starts with the pool; one chunk needs none', async () => {
    const { spawner, pids } = countingSpawner();
    const hosts = new MlHosts({ spawner, featureProcesses: 2 });
    try {
      await hosts.backend();
      assert.equal(pids.length, 1);
      const one = await hosts.runChunks(
        'diag.count',
        () => [{ n: 2, delayMs: 0 }],
        jobContext(),
        () => undefined,
      );
      assert.deepEqual(one, [{ counted: 2 }]);
      assert.equal(pids.length, 1, 'a single chunk runs on the main host alone');
      let startedWhenPlanned = -1;
      await hosts.runChunks(
        'diag.count',
        () => {
          startedWhenPlanned = pids.length;
          return [1, 1].map((n) => ({ n, delayMs: 0 }));
        },
        jobContext(),
        () => undefined,
      );
      assert.equal(startedWhenPlanned, 1);
      assert.equal(pids.length, 2);
    } finally {
      await hosts.dispose();
    }
  });
});

void describe('likelySingleThreaded', () => {
  void it('follows LITTLEPLANET_BACKEND, then the setting, then the installed packages', () => {
    const env = process.env.LITTLEPLANET_BACKEND;
    try {
      process.env.LITTLEPLANET_BACKEND = 'wasm';
      assert.equal(likelySingleThreaded({ backendPreference: 'tensorflow' }), true);
      process.env.LITTLEPLANET_BACKEND = 'tensorflow-gpu';
      assert.equal(likelySingleThreaded({}), false);
      delete process.env.LITTLEPLANET_BACKEND;
      assert.equal(likelySingleThreaded({ backendPreference: 'cpu' }), true);
      assert.equal(likelySingleThreaded({ backendPreference: 'tensorflow' }), false);
      let native = false;
      for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
        try {
          require.resolve(pkg);
          native = true;
        } catch {
          // not installed
        }
      }
      assert.equal(likelySingleThreaded({}), !native);
    } finally {
      if (env === undefined) delete process.env.LITTLEPLANET_BACKEND;
      else process.env.LITTLEPLANET_BACKEND = env;
    }
  });
});
