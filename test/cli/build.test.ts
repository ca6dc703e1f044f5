import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { appPackage } from '../../src/main/server/app-package';
import { writePhotoFolders } from './run-cli';

const root = resolve(__dirname, '../..');

type BuildModule = {
  buildMain(options: { outDir: string; only: string[] }): Promise<string[]>;
};

function run(
  args: string[],
  cwd: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

/**
 * The bundles are what users run (`npm start`, the packaged app, `littleplanet` after a build), so
 * they are built here (into the repository's .tmp/, where node_modules resolves for the externals)
 * and run: a dependency that cannot be bundled, or a worker the bundle cannot find, fails here.
 */
describe('bundles from scripts/build.mjs', () => {
  let out: string;
  let work: string;
  before(async () => {
    const build = (await import(
      pathToFileURL(join(root, 'scripts/build.mjs')).href
    )) as BuildModule;
    mkdirSync(join(root, '.tmp'), { recursive: true });
    out = mkdtempSync(join(root, '.tmp', 'build-test-'));
    await build.buildMain({ outDir: out, only: ['cli', 'server', 'import-worker', 'grad-worker'] });
    work = mkdtempSync(join(tmpdir(), 'lp-build-'));
  });
  after(() => {
    rmSync(out, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  test('cli.cjs imports photos through its bundled worker', async () => {
    assert.ok(existsSync(join(out, 'import-worker.cjs')));
    const photos = await writePhotoFolders(work);
    const result = await run(
      [join(out, 'cli.cjs'), '--library', join(work, 'lib'), 'import', photos, '--json'],
      work,
    );
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as { imported: number; duplicates: number };
    assert.deepEqual([report.imported, report.duplicates], [5, 1]);
  });

  test('grad-worker.cjs starts from the bundle, loads tfjs and answers why it cannot train', async () => {
    // The ML host starts stage 2's helper threads by file name next to its own bundle.
    const worker = new Worker(join(out, 'grad-worker.cjs'), {
      workerData: {
        backbonesRoot: join(work, 'no-backbones'),
        backboneName: 'mnv2',
        splitLayer: 'Conv_1',
        head: { config: { inputDim: 2, numClasses: 2, hidden: null, dropout: 0 }, weights: [] },
        numClasses: 2,
        classWeights: [1, 1],
        variableShapes: [],
      },
    });
    const reply = await new Promise<unknown>((resolvePromise, reject) => {
      worker.once('message', resolvePromise);
      worker.once('error', reject);
    });
    await worker.terminate();
    assert.deepEqual(
      { ...(reply as { kind: string }), error: undefined },
      { kind: 'error', id: null, error: undefined },
    );
    const { error } = reply as { error: { code: string; message: string } };
    assert.equal(error.code, 'NOT_FOUND');
    assert.match(error.message, /mnv2/);
  });

  test('server.cjs prints its link, answers with the token, and stops cleanly on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [join(out, 'server.cjs'), '--library', join(work, 'lib')],
      {
        cwd: work,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolvePromise) =>
      child.on('close', resolvePromise),
    );
    const link = await new Promise<string>((resolvePromise) =>
      createInterface({ input: child.stdout }).once('line', resolvePromise),
    );
    const match = /^(http:\/\/127\.0\.0\.1:\d+\/)\?token=([0-9a-f]{64})$/.exec(link);
    assert.ok(match !== null, `unexpected link line: ${link}`);
    const [, base, token] = match;
    const response = await fetch(`${base}api/call/app.info`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    assert.deepEqual(await response.json(), {
      ok: true,
      value: { version: appPackage().version, libraryOpen: true, transport: 'http' },
    });
    child.kill('SIGTERM');
    assert.equal(await exited, 0, stderr);
    assert.match(stderr, /SIGTERM: shutting down/);
  });
});
