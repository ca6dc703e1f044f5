import { isAbsolute, resolve } from 'node:path';
import { createClient, type Client } from '../../shared/contract/client';
import { AppError, toErrorData, type AppErrorData } from '../../shared/contract/errors';
import { inProcessTransport } from '../core/in-process-transport';
import { collectOptionsFromEnv } from '../core/collect/collect-setup';
import { StudioCore } from '../core/studio-core';
import { parseCommandLine, UsageError, type CommandLine } from './args';
import type { CliIo, CommandContext, CommandSpec } from './command';
import { COMMANDS } from './commands';
import { commandHelp, generalHelp } from './format';

export type RunOptions = {
  version: string;
  commands?: readonly CommandSpec[];
  /** Tests may pass a different core; the CLI makes a StudioCore. */
  createCore?: () => StudioCore;
};

/** Exit codes of the scripting contract. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

function exitCodeFor(error: AppErrorData): number {
  return error.code === 'BAD_ARGUMENT' ? EXIT.usage : EXIT.failure;
}

/** The message a person sees for a failure, with the next step where there is an obvious one. */
function describe(error: AppErrorData, library: string | null): string {
  if (error.code === 'LIBRARY_NOT_FOUND' && library !== null) {
    return `There is no library in ${library}. Create one with \`littleplanet --library ${library} init\` or by importing photos into it.`;
  }
  if (error.code === 'CANCELLED') return 'Cancelled.';
  return error.message;
}

async function openLibrary(
  client: Client,
  dir: string,
  mode: 'open' | 'create',
): Promise<{ created: boolean }> {
  try {
    await client.call('library.open', { dir, create: false });
    return { created: false };
  } catch (error) {
    if (mode === 'create' && error instanceof AppError && error.code === 'LIBRARY_NOT_FOUND') {
      await client.call('library.open', { dir, create: true });
      return { created: true };
    }
    throw error;
  }
}

/**
 * Runs one command line and returns the exit code: parse (exit 2 on bad arguments), open the library
 * the command needs, run it through the contract client, report errors as text on stderr (and as
 * `{"error":{code,message}}` on stdout with --json), close the core.
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  options: RunOptions,
): Promise<number> {
  const commands = options.commands ?? COMMANDS;
  const wantsJson = argv.includes('--json');
  const fail = (error: AppErrorData, code: number, hint?: string): number => {
    io.stderr.write(`littleplanet: ${error.message}\n${hint === undefined ? '' : `${hint}\n`}`);
    if (wantsJson)
      io.stdout.write(
        `${JSON.stringify({ error: { code: error.code, message: error.message } })}\n`,
      );
    return code;
  };

  // `littleplanet help [COMMAND]` is another spelling of `littleplanet [COMMAND] --help`.
  const args = argv[0] === 'help' ? [...argv.slice(1), '--help'] : argv;
  let line: CommandLine;
  try {
    line = parseCommandLine(args, commands);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const help =
      error.command === null
        ? '`littleplanet --help`'
        : `\`littleplanet ${error.command.name} --help\``;
    return fail(
      { code: 'BAD_ARGUMENT', message: error.message },
      EXIT.usage,
      `Run ${help} for usage.`,
    );
  }

  const { command, global } = line;
  if (global.version) {
    io.stdout.write(
      wantsJson ? `${JSON.stringify({ version: options.version })}\n` : `${options.version}\n`,
    );
    return EXIT.ok;
  }
  if (global.help || command === null) {
    const text = command === null ? generalHelp(commands) : commandHelp(command);
    if (command === null && !global.help) {
      io.stderr.write(text);
      return fail({ code: 'BAD_ARGUMENT', message: 'No command given.' }, EXIT.usage);
    }
    io.stdout.write(text);
    return EXIT.ok;
  }

  const libraryArg = global.library ?? io.env.LITTLEPLANET_LIBRARY ?? '';
  const library =
    libraryArg === '' ? null : isAbsolute(libraryArg) ? libraryArg : resolve(io.cwd, libraryArg);
  if (command.library !== 'none' && library === null) {
    return fail(
      {
        code: 'BAD_ARGUMENT',
        message: `${command.name} needs a library: give --library DIR or set LITTLEPLANET_LIBRARY.`,
      },
      EXIT.usage,
    );
  }

  const core =
    options.createCore?.() ??
    new StudioCore({
      version: options.version,
      transportName: command.transport ?? 'cli',
      collect: collectOptionsFromEnv(io.env),
    });
  const client = createClient(inProcessTransport(core));
  try {
    const created =
      command.library === 'none' || library === null
        ? { created: false }
        : await openLibrary(client, library, command.library);
    const ctx: CommandContext = {
      io,
      json: global.json,
      library,
      libraryCreated: created.created,
      client,
      core,
      positionals: line.positionals,
      options: line.options,
      output(value, human) {
        io.stdout.write(global.json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
      },
      log: (text) => io.stderr.write(`${text}\n`),
    };
    await command.run(ctx);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof UsageError) {
      return fail(
        { code: 'BAD_ARGUMENT', message: error.message },
        EXIT.usage,
        `Run \`littleplanet ${command.name} --help\` for usage.`,
      );
    }
    const data = toErrorData(error);
    return fail({ ...data, message: describe(data, library) }, exitCodeFor(data));
  } finally {
    await core.close();
  }
}
