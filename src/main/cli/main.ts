import { appPackage } from '../server/app-package';
import type { CliIo } from './command';
import { runCli } from './run';

/**
 * The `littleplanet` program (bin/littleplanet.cjs runs the bundle build/cli.cjs or this file). The
 * scripting contract needs stdout to carry only the command's output, so anything else that writes
 * through console.log/info (a library, a stray debug line) is sent to stderr.
 */
console.log = console.error;
console.info = console.error;

const io: CliIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  onInterrupt(handler) {
    process.on('SIGINT', handler);
    return () => process.off('SIGINT', handler);
  },
  onTerminate(handler) {
    process.on('SIGTERM', handler);
    return () => process.off('SIGTERM', handler);
  },
  exit: (code) => process.exit(code),
};

runCli(process.argv.slice(2), io, { version: appPackage().version }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `littleplanet: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
