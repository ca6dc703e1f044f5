import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';

const BIN = resolve(__dirname, '../../bin/littleplanet.cjs');

export type CliResult = { code: number | null; stdout: string; stderr: string };

/** Starts `node bin/littleplanet.cjs ARGS` on the TypeScript source (never a stale build/cli.cjs). */
export function spawnCli(
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): ChildProcess {
  const clean = { ...process.env };
  delete clean.LITTLEPLANET_LIBRARY;
  return spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { ...clean, LITTLEPLANET_FROM_SOURCE: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function runCli(
  args: readonly string[],
  cwd: string,
  env?: NodeJS.ProcessEnv,
): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawnCli(args, cwd, env);
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

/** A small real JPEG; `seed` changes its colour so every file has different content. */
export async function writeJpeg(path: string, seed: number, size = 48): Promise<void> {
  await sharp({
    create: {
      width: size,
      height: Math.round(size * 0.75),
      channels: 3,
      background: { r: (seed * 37) % 256, g: (seed * 91) % 256, b: (seed * 53) % 256 },
    },
  })
    .jpeg()
    .toFile(path);
}

/**
 * photos/Paris (3), photos/Detroit (2), photos/copy.jpg (a duplicate of a Paris photo) and
 * photos/broken.jpg (not a JPEG at all): 5 imported, 1 duplicate, 1 skipped.
 */
export async function writePhotoFolders(root: string): Promise<string> {
  const photos = join(root, 'photos');
  let seed = 1;
  for (const [city, count] of [
    ['Paris', 3],
    ['Detroit', 2],
  ] as const) {
    mkdirSync(join(photos, city), { recursive: true });
    for (let i = 0; i < count; i++) await writeJpeg(join(photos, city, `${i}.jpg`), seed++);
  }
  copyFileSync(join(photos, 'Paris', '0.jpg'), join(photos, 'copy.jpg'));
  writeFileSync(join(photos, 'broken.jpg'), 'this is not a jpeg');
  return photos;
}
