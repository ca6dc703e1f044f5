import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createClient } from '../../shared/contract/client';
import { AppError } from '../../shared/contract/errors';
import { inProcessTransport } from '../core/in-process-transport';
import { collectOptionsFromEnv } from '../core/collect/collect-setup';
import { StudioCore } from '../core/studio-core';
import { appPackage } from './app-package';
import { serveStudio } from './serve';

/**
 * `node build/server.cjs [--library DIR] [--open]`: the HTTP bridge as a program. stdout carries one
 * line, the link with its token (`http://127.0.0.1:PORT/?token=…`), so a script can read it; what a
 * person reads goes to stderr.
 */

const USAGE = `Usage: littleplanet-server [options]

Serves LittlePlaNet Studio's UI and API on 127.0.0.1 with a per-run access token.

Options:
  --library DIR   open this library (also LITTLEPLANET_LIBRARY); otherwise the UI asks
  --create        create the library if DIR holds none
  --port N        port to listen on (default: a free one)
  --static DIR    the built UI (default: build/renderer)
  --open          open the link in the default browser
  --help          show this help
  --version       show the version
`;

class UsageError extends Error {}

type ServerArgs = {
  library: string | null;
  create: boolean;
  port: number;
  staticDir: string;
  open: boolean;
};

function parse(argv: string[], root: string): ServerArgs | 'help' | 'version' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        library: { type: 'string' },
        create: { type: 'boolean', default: false },
        port: { type: 'string', default: '0' },
        static: { type: 'string' },
        open: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return 'help';
  if (values.version) return 'version';
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port > 65535) {
    throw new UsageError(`--port must be a whole number from 0 to 65535, not "${values.port}".`);
  }
  const library = values.library ?? process.env.LITTLEPLANET_LIBRARY ?? null;
  return {
    library: library === null || library === '' ? null : resolve(library),
    create: values.create,
    port,
    staticDir: resolve(values.static ?? join(root, 'build', 'renderer')),
    open: values.open,
  };
}

function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolveSignal) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      // A second signal while shutting down means "now": do not make the user wait on a stuck close.
      process.once('SIGINT', () => process.exit(1));
      process.once('SIGTERM', () => process.exit(1));
      resolveSignal(signal);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
}

async function main(argv: string[]): Promise<number> {
  const pkg = appPackage();
  let args: ServerArgs | 'help' | 'version';
  try {
    args = parse(argv, pkg.root);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`littleplanet-server: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (args === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (args === 'version') {
    process.stdout.write(`${pkg.version}\n`);
    return 0;
  }

  const core = new StudioCore({
    version: pkg.version,
    transportName: 'http',
    collect: collectOptionsFromEnv(process.env),
  });
  try {
    if (args.library !== null) {
      const info = await createClient(inProcessTransport(core)).call('library.open', {
        dir: args.library,
        create: args.create,
      });
      process.stderr.write(`Library: ${info.dir}\n`);
    }
    const bridge = await serveStudio({
      core,
      port: args.port,
      staticDir: args.staticDir,
      open: args.open,
      announce: (link) => process.stdout.write(`${link}\n`),
      log: (line) => process.stderr.write(`${line}\n`),
    });
    const signal = await waitForSignal();
    process.stderr.write(`${signal}: shutting down.\n`);
    await bridge.close();
    return 0;
  } catch (error) {
    const message =
      error instanceof AppError && error.code === 'LIBRARY_NOT_FOUND'
        ? `There is no library in ${args.library ?? '?'}. Add --create to make one there.`
        : error instanceof Error
          ? error.message
          : String(error);
    process.stderr.write(`littleplanet-server: ${message}\n`);
    return error instanceof AppError && error.code === 'BAD_ARGUMENT' ? 2 : 1;
  } finally {
    await core.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`littleplanet-server: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
