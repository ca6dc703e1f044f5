import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { CollectJobResult, CollectRun } from '../../src/shared/contract/collect-types';
import { startFakeApi, type FakeApi } from '../core/collect-fake-api';
import { STREETVIEW_KEY } from '../core/collect-helpers';
import { databaseBytes } from '../core/collect-helpers';
import { runCli, spawnCli } from './run-cli';

type After = { after(fn: () => void | Promise<void>): void };

async function setup(
  t: After,
): Promise<{ api: FakeApi; root: string; lib: string; env: NodeJS.ProcessEnv }> {
  const api = await startFakeApi();
  const root = mkdtempSync(join(tmpdir(), 'lp-cli-collect-'));
  t.after(async () => {
    await api.close();
    rmSync(root, { recursive: true, force: true });
  });
  const lib = join(root, 'lib');
  const init = await runCli(['--library', lib, 'init'], root);
  assert.equal(init.code, 0, init.stderr);
  return {
    api,
    root,
    lib,
    env: { LITTLEPLANET_STREETVIEW_KEY: STREETVIEW_KEY, LITTLEPLANET_STREETVIEW_URL: api.url },
  };
}

describe('littleplanet collect', () => {
  it('collects, imports and prints JSON; the key is in neither stdout, stderr nor the library', async (t) => {
    const { api, root, lib, env } = await setup(t);
    const out = await runCli(
      [
        '--library',
        lib,
        'collect',
        'streetview',
        '--city',
        'Paris',
        'London',
        '--count',
        '2',
        '--rate',
        '100',
        '--seed',
        '4',
        '--size',
        '320x240',
        '--heading',
        '0,180',
        '--json',
      ],
      root,
      env,
    );
    assert.equal(out.code, 0, out.stderr);
    const result = JSON.parse(out.stdout) as CollectJobResult;
    assert.deepEqual(
      result.perCity.map((c) => [c.city, c.fetched]),
      [
        ['Paris', 2],
        ['London', 2],
      ],
    );
    assert.equal(result.import?.imported, 4);
    assert.deepEqual(readdirSync(join(lib, 'collected', 'streetview')).sort(), [
      'London',
      'Paris',
      'run-1.csv',
    ]);
    const images = api.seen.filter((s) => s.path === '/maps/api/streetview');
    assert.deepEqual(
      images.map((s) => s.query.get('size')),
      ['320x240', '320x240', '320x240', '320x240'],
    );
    assert.deepEqual(
      images.map((s) => s.query.get('heading')),
      ['0', '180', '0', '180'],
    );
    for (const text of [out.stdout, out.stderr]) assert.equal(text.includes(STREETVIEW_KEY), false);
    assert.equal(databaseBytes(lib).includes(Buffer.from(STREETVIEW_KEY)), false);

    const list = await runCli(['--library', lib, 'collect', '--list', '--json'], root, env);
    assert.equal(list.code, 0, list.stderr);
    const runs = JSON.parse(list.stdout) as CollectRun[];
    assert.deepEqual(
      runs.map((r) => [r.id, r.status, r.options.width, r.options.height]),
      [[1, 'done', 320, 240]],
    );
  });

  it('explains a missing key and bad arguments', async (t) => {
    const { api, root, lib } = await setup(t);
    const noKey = await runCli(
      ['--library', lib, 'collect', 'streetview', '--city', 'Paris', '--count', '1', '--json'],
      root,
      { LITTLEPLANET_STREETVIEW_URL: api.url },
    );
    assert.equal(noKey.code, 1);
    assert.match(noKey.stderr, /No Street View key is set.*LITTLEPLANET_STREETVIEW_KEY/);
    assert.equal(
      (JSON.parse(noKey.stdout) as { error: { code: string } }).error.code,
      'UNAUTHORIZED',
    );
    const noProvider = await runCli(
      ['--library', lib, 'collect', '--city', 'Paris', '--count', '1'],
      root,
    );
    assert.equal(noProvider.code, 2);
    assert.match(noProvider.stderr, /needs a provider/);
    const badSize = await runCli(
      [
        '--library',
        lib,
        'collect',
        'mapillary',
        '--city',
        'Paris',
        '--count',
        '1',
        '--size',
        'big',
      ],
      root,
    );
    assert.equal(badSize.code, 2);
    const unknown = await runCli(
      ['--library', lib, 'collect', 'streetview', '--city', 'Atlantis', '--count', '1'],
      root,
      { LITTLEPLANET_STREETVIEW_KEY: STREETVIEW_KEY, LITTLEPLANET_STREETVIEW_URL: api.url },
    );
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Unknown city: Atlantis/);
    assert.equal(api.seen.length, 0);
  });

  it('resumes a run after the process was killed, without fetching done points again', async (t) => {
    const { api, root, lib, env } = await setup(t);
    const child = spawnCli(
      [
        '--library',
        lib,
        'collect',
        'streetview',
        '--city',
        'Paris',
        '--count',
        '4',
        '--rate',
        '100',
        '--seed',
        '2',
      ],
      root,
      env,
    );
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) =>
      child.on('close', (code) => resolve(code)),
    );
    api.script.image = (n, req) => {
      if (n === 2) {
        child.kill('SIGKILL');
        return { jpegOf: req.query.get('pano') ?? '', delayMs: 2000 };
      }
      return { jpegOf: req.query.get('pano') ?? '' };
    };
    await exited;
    assert.equal(stderr.includes(STREETVIEW_KEY), false);
    const locationsBefore = api.seen
      .filter((s) => s.path === '/maps/api/streetview/metadata')
      .map((s) => s.query.get('location'));
    assert.equal(locationsBefore.length, 3);

    const list = await runCli(['--library', lib, 'collect', '--list', '--json'], root, env);
    const [run] = JSON.parse(list.stdout) as CollectRun[];
    assert.equal(run?.status, 'stopped');
    assert.equal(run?.perCity[0]?.fetched, 2);

    api.script.image = undefined;
    const resumed = await runCli(
      ['--library', lib, 'collect', '--resume', '1', '--json'],
      root,
      env,
    );
    assert.equal(resumed.code, 0, resumed.stderr);
    const result = JSON.parse(resumed.stdout) as CollectJobResult;
    assert.equal(result.perCity[0]?.fetched, 4);
    assert.equal(result.fetchedNow, 2);
    assert.equal(result.import?.imported, 4);
    const after = api.seen
      .filter((s) => s.path === '/maps/api/streetview/metadata')
      .slice(3)
      .map((s) => s.query.get('location'));
    assert.equal(after[0], locationsBefore[2]);
    assert.equal(after.includes(locationsBefore[0] ?? ''), false);
    assert.equal(after.includes(locationsBefore[1] ?? ''), false);
  });
});
