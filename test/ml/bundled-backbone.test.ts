// The built-in backbone: found in assets/ (also inside a packaged app's asar.unpacked folder), and
// imported into a library by the first job that names it, once, with no import or download step.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureBackbone } from '../../src/main/core/ml-jobs/bundled-backbone';
import { MlHosts } from '../../src/main/core/ml-jobs/ml-hosts';
import type { MlPaths } from '../../src/main/core/ml-jobs/ml-paths';
import type { JobContext } from '../../src/main/core/jobs/job-manager';
import { bundledBackboneFile } from '../../src/main/platform/bundled-backbone-file';
import { BUNDLED_BACKBONE } from '../../src/shared/domain/bundled-backbone';
import { createHash } from 'node:crypto';
import { AppError } from '../../src/shared/contract/errors';

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

let work = '';
before(async () => {
  work = await mkdtemp(join(tmpdir(), 'lp-bundled-'));
});
after(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

void describe('bundledBackboneFile', () => {
  void it('finds the vendored file with the pinned checksum from the sources', async () => {
    const file = bundledBackboneFile();
    assert.ok(file !== null, 'assets/ holds the built-in backbone');
    const sha = createHash('sha256')
      .update(await readFile(file))
      .digest('hex');
    assert.equal(sha, BUNDLED_BACKBONE.sha256);
    const licence = await readFile(join(file, '..', 'LICENSE-coral-test_data'), 'utf8');
    assert.match(licence, /Apache License/);
  });

  void it('prefers the asar.unpacked copy of a packaged app and says null when there is none', async () => {
    const app = join(work, 'resources', 'app.asar');
    const unpacked = join(work, 'resources', 'app.asar.unpacked', 'assets');
    await mkdir(unpacked, { recursive: true });
    await writeFile(join(unpacked, BUNDLED_BACKBONE.file), 'x');
    assert.equal(bundledBackboneFile(join(app, 'build')), join(unpacked, BUNDLED_BACKBONE.file));
    assert.equal(bundledBackboneFile(join(tmpdir(), 'nowhere-near-assets')), null);
  });
});

void describe('ensureBackbone', () => {
  const saved = process.env.LITTLEPLANET_BACKEND;
  let hosts: MlHosts;
  before(() => {
    process.env.LITTLEPLANET_BACKEND = 'wasm';
    hosts = new MlHosts({ featureProcesses: 1 });
  });
  after(async () => {
    await hosts.dispose();
    if (saved === undefined) delete process.env.LITTLEPLANET_BACKEND;
    else process.env.LITTLEPLANET_BACKEND = saved;
  });
  const pathsIn = (dir: string): MlPaths => ({
    dir,
    dbPath: join(dir, 'library.sqlite'),
    cacheDir: join(dir, 'cache'),
    backbonesRoot: join(dir, 'backbones'),
    modelsDir: join(dir, 'models'),
    runsDir: join(dir, 'runs'),
    blocksDir: join(dir, 'cache', 'blocks'),
  });

  void it('imports the built-in backbone once, on first use, even when two jobs ask together', async () => {
    const paths = pathsIn(join(work, 'lib'));
    const ctx = jobContext();
    const [a, b] = await Promise.all([
      ensureBackbone(hosts, paths, BUNDLED_BACKBONE.name, ctx),
      ensureBackbone(hosts, paths, BUNDLED_BACKBONE.name, ctx),
    ]);
    assert.equal(a.name, BUNDLED_BACKBONE.name);
    assert.equal(a.sha256, BUNDLED_BACKBONE.sha256);
    assert.equal(a.featureDim, 1280);
    assert.equal(a.blockLayers.at(-1), 'Conv_1');
    assert.equal(b.createdAt, a.createdAt);
    assert.equal(ctx.logs.filter((l) => l.includes('built-in backbone')).length, 1);
    const again = await ensureBackbone(hosts, paths, BUNDLED_BACKBONE.name, ctx);
    assert.equal(again.createdAt, a.createdAt, 'not converted a second time');
    await stat(join(paths.backbonesRoot, BUNDLED_BACKBONE.name, 'backbone.json'));
  });

  void it('still answers NOT_FOUND for other names and when the app ships without the file', async () => {
    const paths = pathsIn(join(work, 'lib2'));
    const notFound = (e: unknown): boolean => e instanceof AppError && e.code === 'NOT_FOUND';
    await assert.rejects(ensureBackbone(hosts, paths, 'other', jobContext()), notFound);
    await assert.rejects(
      ensureBackbone(hosts, paths, BUNDLED_BACKBONE.name, jobContext(), null),
      notFound,
    );
  });
});
