import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { appPackage } from '../../src/main/server/app-package';
import { runCli, spawnCli } from './run-cli';

/**
 * `littleplanet serve` as scripts and the end-to-end tests use it: spawned from source, read the one
 * link line, talk to the bridge, stop it with a signal.
 */

type Serving = {
  child: ChildProcess;
  /** Every stdout line so far (the contract: exactly one). */
  lines: string[];
  first: string;
  stderr: () => string;
  exited: Promise<number | null>;
};

async function startServe(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const child = spawnCli(args, cwd, env);
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const lines: string[] = [];
  const stdout = child.stdout ?? assert.fail('no stdout pipe');
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: stdout }).on('line', (line) => {
      lines.push(line);
      if (lines.length === 1) resolve(line);
    });
    void exited.then((code) => reject(new Error(`serve exited (${code}) first:\n${stderr}`)));
  });
  return { child, lines, first, stderr: () => stderr, exited } satisfies Serving;
}

const LINK = /^http:\/\/127\.0\.0\.1:(\d+)\/\?token=([0-9a-f]{64})$/;

function callApp(base: string, token: string | null): Promise<Response> {
  return fetch(`${base}api/call/app.info`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
    },
    body: '{}',
  });
}

describe('littleplanet serve', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'lp-cli-serve-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('prints one link, serves the UI and the bridge with its token, exits 0 on SIGTERM', async () => {
    const library = join(root, 'new-lib');
    const serving = await startServe(
      ['--library', library, 'serve', '--port', '0', '--no-open'],
      root,
    );
    const match = LINK.exec(serving.first);
    assert.ok(match !== null, `unexpected link line: ${serving.first}`);
    const [, port, token] = match;
    const base = `http://127.0.0.1:${port}/`;
    assert.ok(Number(port) > 0);
    // A missing library is created, like `init` and `import`.
    assert.ok(existsSync(join(library, 'library.sqlite')), 'the library was created');
    assert.match(serving.stderr(), /Created a library in /);

    const page = await fetch(base);
    const html = await page.text();
    if (existsSync(join(appPackage().root, 'build', 'renderer', 'index.html'))) {
      assert.equal(page.status, 200);
      assert.match(html, /<div id="root">/);
    } else {
      assert.equal(page.status, 503);
      assert.match(html, /The UI is not built yet/);
    }
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);

    const ok = await callApp(base, token ?? '');
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), {
      ok: true,
      value: { version: appPackage().version, libraryOpen: true, transport: 'http' },
    });
    const refused = await callApp(base, null);
    assert.equal(refused.status, 401);
    assert.equal(
      ((await refused.json()) as { error: { code: string } }).error.code,
      'UNAUTHORIZED',
    );
    const wrong = await callApp(base, 'f'.repeat(64));
    assert.equal(wrong.status, 401);

    serving.child.kill('SIGTERM');
    assert.equal(await serving.exited, 0, serving.stderr());
    assert.match(serving.stderr(), /SIGTERM: shutting down/);
    assert.deepEqual(serving.lines, [serving.first], 'stdout carries exactly one line');
    await assert.rejects(fetch(base), 'the port is closed after exit');

    // The library survived the shutdown intact and is reopened as an existing one.
    const stats = await runCli(['--library', library, 'stats', '--json'], root);
    assert.equal(stats.code, 0, stats.stderr);
  });

  test('--json prints the link as one JSON line; Ctrl-C stops it with exit 0; no browser is a warning', async () => {
    const library = join(root, 'json-lib');
    // An empty PATH: no xdg-open/open to find, so opening the browser fails (and none is opened).
    const emptyBin = mkdtempSync(join(root, 'bin-'));
    const serving = await startServe(['--library', library, 'serve', '--json'], root, {
      PATH: emptyBin,
    });
    const parsed = JSON.parse(serving.first) as { url: string; port: number; library: string };
    assert.deepEqual(Object.keys(parsed).sort(), ['library', 'port', 'url']);
    assert.equal(parsed.library, library);
    const match = LINK.exec(parsed.url);
    assert.ok(match !== null, parsed.url);
    assert.equal(Number(match[1]), parsed.port);
    // stderr gets the warning after the link is printed; wait for it rather than sleeping.
    for (let i = 0; i < 100 && !/not opening a browser/.test(serving.stderr()); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.match(serving.stderr(), /Warning: not opening a browser: \S+ was not found on PATH/);
    assert.equal((await callApp(`http://127.0.0.1:${parsed.port}/`, match[2] ?? '')).status, 200);

    serving.child.kill('SIGINT');
    assert.equal(await serving.exited, 0, serving.stderr());
    assert.match(serving.stderr(), /SIGINT: shutting down/);
    assert.equal(serving.lines.length, 1);
  });

  test('a bad port is a usage error (exit 2) and serves nothing', async () => {
    const result = await runCli(
      ['--library', join(root, 'port-lib'), 'serve', '--port', '70000', '--no-open', '--json'],
      root,
    );
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /--port must be a whole number from 0 to 65535/);
    assert.deepEqual(JSON.parse(result.stdout), {
      error: {
        code: 'BAD_ARGUMENT',
        message: '--port must be a whole number from 0 to 65535, not "70000".',
      },
    });
  });
});
