import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { appPackage } from '../../src/main/server/app-package';
import type { CliIo } from '../../src/main/cli/command';
import { runCli as runInProcess } from '../../src/main/cli/run';
import { runCli, spawnCli, writeJpeg } from './run-cli';

/**
 * Enough large photos that an import runs for seconds: one JPEG, copied with different trailing
 * bytes (ignored by decoders, but a different content hash, so none is a duplicate).
 */
async function writeManyPhotos(dir: string, count: number): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const base = join(dir, 'base.jpg');
  await writeJpeg(base, 3, 1600);
  const bytes = readFileSync(base);
  for (let i = 0; i < count; i++) {
    writeFileSync(join(dir, `${i}.jpg`), Buffer.concat([bytes, Buffer.from(`#${i}`)]));
  }
  rmSync(base);
}

describe('Ctrl-C during import', () => {
  let root: string;
  let photos: string;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'lp-cli-int-'));
    photos = join(root, 'photos', 'Paris');
    await writeManyPhotos(photos, 300);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('the first Ctrl-C cancels the job cleanly: exit 1, library intact', async () => {
    const library = join(root, 'lib-signal');
    const child = spawnCli(['--library', library, 'import', photos, '--json'], root);
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    const interrupted = new Promise<void>((resolve) => {
      child.stderr?.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
        if (/import: \d+\/300/.test(stderr) && !child.killed) {
          child.kill('SIGINT');
          resolve();
        }
      });
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    await interrupted;
    assert.equal(code, 1, stderr);
    assert.match(stderr, /Cancelling the import… \(press Ctrl-C again to quit at once\)/);
    assert.match(stderr, /littleplanet: Cancelled\./);
    assert.deepEqual(JSON.parse(stdout), {
      error: { code: 'CANCELLED', message: 'Cancelled.' },
    });

    const stats = await runCli(['--library', library, 'stats', '--json'], root);
    assert.equal(stats.code, 0, stats.stderr);
    const images = (JSON.parse(stats.stdout) as { images: number }).images;
    assert.ok(images < 300, `the import stopped early (${images} images)`);
  });

  test('a second Ctrl-C quits at once with exit code 1', async () => {
    let interrupt: (() => void) | null = null;
    let stderr = '';
    class Exit extends Error {
      constructor(readonly code: number) {
        super(`exit ${code}`);
      }
    }
    let sawProgress!: () => void;
    const progressed = new Promise<void>((resolve) => (sawProgress = resolve));
    const io: CliIo = {
      stdout: { write: () => true },
      stderr: {
        write(text: string) {
          stderr += text;
          if (text.startsWith('import: ')) sawProgress();
          return true;
        },
      },
      env: {},
      cwd: root,
      onInterrupt(handler) {
        interrupt = handler;
        return () => (interrupt = null);
      },
      onTerminate: () => () => undefined,
      exit(code) {
        throw new Exit(code);
      },
    };
    const run = runInProcess(['--library', join(root, 'lib-double'), 'import', photos], io, {
      version: appPackage().version,
    });
    await progressed;
    assert.ok(interrupt !== null, 'the import listens for Ctrl-C');
    const handler: () => void = interrupt;
    handler();
    assert.throws(handler, (error: unknown) => error instanceof Exit && error.code === 1);
    assert.match(stderr, /Stopped\./);
    // In a real process exit() ends everything; here the cancelled run still finishes cleanly.
    assert.equal(await run, 1);
    assert.equal(interrupt, null, 'the handler is removed when the command ends');
  });
});
