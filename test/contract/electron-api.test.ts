import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

const root = resolve(__dirname, '../..');
const electronTypes = join(root, 'node_modules/electron/electron.d.ts');

test('the real Electron types satisfy our local Electron subset (tsconfig.electron.json)', (t) => {
  if (!existsSync(electronTypes)) {
    t.skip('the optional electron package is not installed, so its types cannot be checked');
    return;
  }
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.electron.json'], {
    cwd: root,
    encoding: 'utf8',
  });
  assert.equal(
    result.status,
    0,
    `tsc -p tsconfig.electron.json failed:\n${result.stdout}${result.stderr}`,
  );
});
