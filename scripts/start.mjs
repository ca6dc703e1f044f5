// `npm start [-- ARGS]`: builds, then runs the Electron app when Electron is installed, otherwise
// serves the same UI from the HTTP bridge on 127.0.0.1 and opens it in the browser. ARGS (for
// example `--library DIR`) are passed on to either.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { buildAll } from './build.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

/**
 * The Electron binary, or why there is none. The electron package is optional: its installer
 * downloads the binary, and `require('electron')` (outside Electron) returns that binary's path or
 * throws when the download never happened.
 */
function findElectron() {
  const require = createRequire(import.meta.url);
  try {
    require.resolve('electron');
  } catch {
    return { binary: null, reason: 'the optional electron package is not installed' };
  }
  let binary;
  try {
    binary = require('electron');
  } catch {
    return {
      binary: null,
      reason: 'the electron package is there but its binary was never downloaded',
    };
  }
  if (typeof binary !== 'string' || !existsSync(binary)) {
    return { binary: null, reason: `the Electron binary is missing (${String(binary)})` };
  }
  return { binary, reason: null };
}

/**
 * Runs a child until it exits, with its own process group so that a Ctrl-C reaches it exactly once
 * (forwarded from here): the server reads a second SIGINT as "quit now, skip the clean shutdown".
 */
function run(command, commandArgs, options) {
  const child = spawn(command, commandArgs, { cwd: root, detached: true, ...options });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'])
    process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 1 : 0)));
  child.on('error', (error) => {
    console.error(`start: could not run ${command}: ${error.message}`);
    process.exit(1);
  });
  return child;
}

await buildAll({});
const electron = findElectron();
if (electron.binary !== null) {
  console.error(`start: running Electron (${electron.binary})`);
  run(electron.binary, ['.', ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
} else {
  console.error(
    `start: Electron is not installed: ${electron.reason}.\n` +
      'start: serving the same UI from the local HTTP bridge instead (127.0.0.1 only).',
  );
  const server = run(process.execPath, [resolve(root, 'build/server.cjs'), '--open', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  createInterface({ input: server.stdout }).on('line', (line) => {
    if (line.startsWith('http://')) {
      console.log(`\nLittlePlaNet Studio is in your browser at:\n\n  ${line}\n`);
    } else {
      console.log(line);
    }
  });
}
