import { join } from 'node:path';
import { appPackage } from '../server/app-package';
import { serveStudio } from '../server/serve';
import { UsageError } from './args';
import type { CommandContext, CommandSpec } from './command';

type StopSignal = 'SIGINT' | 'SIGTERM';

/**
 * Resolves on the first Ctrl-C or SIGTERM. A second one while shutting down quits at once with
 * exit 1, as during an import: a stuck close must never trap the user.
 */
function untilStopped(ctx: CommandContext): { stopped: Promise<StopSignal>; uninstall(): void } {
  let stopping = false;
  let uninstallInterrupt = (): void => undefined;
  let uninstallTerminate = (): void => undefined;
  const stopped = new Promise<StopSignal>((resolve) => {
    const on = (signal: StopSignal) => (): void => {
      if (stopping) {
        ctx.log('Stopped.');
        ctx.io.exit(1);
      }
      stopping = true;
      resolve(signal);
    };
    uninstallInterrupt = ctx.io.onInterrupt(on('SIGINT'));
    uninstallTerminate = ctx.io.onTerminate(on('SIGTERM'));
  });
  return {
    stopped,
    uninstall() {
      uninstallInterrupt();
      uninstallTerminate();
    },
  };
}

function portOption(ctx: CommandContext): number {
  const port = ctx.options.port ?? 0;
  if (typeof port !== 'number' || port < 0 || port > 65535) {
    throw new UsageError(`--port must be a whole number from 0 to 65535, not "${String(port)}".`);
  }
  return port;
}

/**
 * `littleplanet --library DIR serve [--port N] [--no-open]`: the whole UI in a browser, for people
 * without the Electron binary and for end-to-end tests. The library is created when missing, like
 * `init` and `import`: serving an empty library is how a new user starts, and the UI's empty states
 * teach the next step.
 */
export const SERVE_COMMAND: CommandSpec = {
  name: 'serve',
  summary: 'Serve the studio UI in your browser (127.0.0.1 only) until stopped',
  positionals: { min: 0, max: 0 },
  options: {
    port: { type: 'int', value: 'N', description: 'port to listen on (default: a free one)' },
    'no-open': { type: 'boolean', description: 'do not open the default browser' },
  },
  library: 'create',
  transport: 'http',
  details: [
    'Creates the library when DIR holds none. Prints exactly one line on stdout, the link with its',
    'per-run access token (http://127.0.0.1:PORT/?token=…); with --json that line is a JSON object',
    '{"url","port","library"}. Everything else goes to stderr. Runs until Ctrl-C or SIGTERM, then',
    'closes the library and exits with 0. The UI must be built first (`npm run build`); without it',
    'the page says so.',
  ].join('\n'),
  async run(ctx) {
    const port = portOption(ctx);
    const library = ctx.library ?? '';
    ctx.log(ctx.libraryCreated ? `Created a library in ${library}.` : `Library: ${library}`);
    // Listening for the stop signals before the link is printed: a script may stop the server as
    // soon as it has read the link.
    const stop = untilStopped(ctx);
    try {
      const bridge = await serveStudio({
        core: ctx.core,
        port,
        staticDir: join(appPackage().root, 'build', 'renderer'),
        open: ctx.options['no-open'] !== true,
        announce: (url, listening) =>
          ctx.io.stdout.write(
            ctx.json ? `${JSON.stringify({ url, port: listening, library })}\n` : `${url}\n`,
          ),
        log: (line) => ctx.log(line),
      });
      const signal = await stop.stopped;
      ctx.log(`${signal}: shutting down.`);
      await bridge.close();
    } finally {
      stop.uninstall();
    }
  },
};
