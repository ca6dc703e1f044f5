import type { CommandSpec, OptionSpec, OptionValue } from './command';

/** Bad command line: exit code 2, with the message and a pointer to --help. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command: CommandSpec | null = null,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export const GLOBAL_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  library: {
    type: 'string',
    value: 'DIR',
    description: 'the library folder (default: $LITTLEPLANET_LIBRARY)',
  },
  json: { type: 'boolean', description: 'print the result as JSON on stdout (nothing else there)' },
  help: { type: 'boolean', description: 'show help (also -h)' },
  version: { type: 'boolean', description: 'print the version' },
};

export type GlobalFlags = { library?: string; json: boolean; help: boolean; version: boolean };

export type CommandLine = {
  command: CommandSpec | null;
  positionals: string[];
  options: Record<string, OptionValue>;
  global: GlobalFlags;
};

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;

function convert(name: string, spec: OptionSpec, raw: string, command: CommandSpec | null) {
  if (spec.type === 'string') {
    if (raw === '') throw new UsageError(`--${name} needs a non-empty value.`, command);
    return raw;
  }
  if (spec.type === 'number' || spec.type === 'int') {
    const value = Number(raw);
    const ok =
      spec.type === 'int' ? INTEGER.test(raw) && Number.isSafeInteger(value) : NUMBER.test(raw);
    if (!ok || !Number.isFinite(value)) {
      const kind = spec.type === 'int' ? 'a whole number' : 'a number';
      throw new UsageError(`--${name} expects ${kind}, not "${raw}".`, command);
    }
    return value;
  }
  throw new UsageError(`--${name} takes no value.`, command);
}

/** Finds the command named by the first word(s); two-word commands (`cities add`) win over aliases. */
function findCommand(
  commands: readonly CommandSpec[],
  first: string,
  second: string | undefined,
): { command: CommandSpec; words: number } {
  const group = commands.filter((c) => c.name.startsWith(`${first} `));
  const subcommand = second !== undefined && !second.startsWith('-') ? second : undefined;
  if (subcommand !== undefined) {
    const pair = `${first} ${subcommand}`;
    const found = commands.find((c) => c.name === pair || (c.aliases ?? []).includes(pair));
    if (found !== undefined) return { command: found, words: 2 };
  }
  const subs = group.map((c) => c.name.slice(first.length + 1)).join(', ');
  if (group.length > 0 && subcommand !== undefined) {
    throw new UsageError(`Unknown subcommand "${first} ${subcommand}"; choose from ${subs}.`);
  }
  const single = commands.find((c) => c.name === first || (c.aliases ?? []).includes(first));
  if (single !== undefined) return { command: single, words: 1 };
  if (group.length > 0) throw new UsageError(`"${first}" needs a subcommand: ${subs}.`);
  throw new UsageError(`Unknown command "${first}".`);
}

/**
 * Parses `[global options] COMMAND [SUBCOMMAND] [args and options]`. Global options go anywhere; a
 * command's options go after its name. An option's value is the next word even when it starts with
 * `-` (so `--lon -74.0` works), or follows `=`. `--` ends the options.
 */
export function parseCommandLine(
  argv: readonly string[],
  commands: readonly CommandSpec[],
): CommandLine {
  const global: GlobalFlags = { json: false, help: false, version: false };
  const options: Record<string, OptionValue> = {};
  const positionals: string[] = [];
  let command: CommandSpec | null = null;
  let optionsEnded = false;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!optionsEnded && arg === '--') {
      optionsEnded = true;
      continue;
    }
    if (optionsEnded || !arg.startsWith('-') || arg === '-') {
      if (command === null) {
        const found = findCommand(commands, arg, argv[i + 1]);
        command = found.command;
        i += found.words - 1;
      } else {
        positionals.push(arg);
      }
      continue;
    }

    const eq = arg.indexOf('=');
    const name =
      arg === '-h' ? 'help' : arg.startsWith('--') ? arg.slice(2, eq < 0 ? undefined : eq) : '';
    const inline = eq < 0 ? undefined : arg.slice(eq + 1);
    const isGlobal = Object.prototype.hasOwnProperty.call(GLOBAL_OPTIONS, name);
    const spec = isGlobal ? GLOBAL_OPTIONS[name] : command?.options[name];
    if (spec === undefined || name === '') {
      throw new UsageError(
        command === null
          ? `Unknown option ${arg} (a command's options go after the command).`
          : `Unknown option ${arg} for ${command.name}.`,
        command,
      );
    }

    let value: OptionValue;
    if (spec.type === 'boolean') {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value.`, command);
      value = true;
    } else {
      const raw = inline ?? argv[i + 1];
      if (raw === undefined || (inline === undefined && raw.startsWith('--'))) {
        throw new UsageError(
          `--${name} needs a value${spec.value ? ` (${spec.value})` : ''}.`,
          command,
        );
      }
      if (inline === undefined) i++;
      value = convert(name, spec, raw, command);
    }

    if (isGlobal) {
      if (name === 'library') global.library = value as string;
      else global[name as 'json' | 'help' | 'version'] = true;
    } else {
      if (Object.prototype.hasOwnProperty.call(options, name)) {
        throw new UsageError(`--${name} is given more than once.`, command);
      }
      options[name] = value;
    }
  }

  if (command !== null && !global.help) checkComplete(command, positionals, options);
  return { command, positionals, options, global };
}

function checkComplete(
  command: CommandSpec,
  positionals: readonly string[],
  options: Readonly<Record<string, OptionValue>>,
): void {
  const { min, max } = command.positionals;
  if (positionals.length < min) {
    throw new UsageError(`${command.name} needs ${command.args ?? `${min} argument(s)`}.`, command);
  }
  if (positionals.length > max) {
    const extra = positionals.slice(max).join(' ');
    throw new UsageError(
      max === 0
        ? `${command.name} takes no arguments (got "${extra}").`
        : `Too many arguments for ${command.name}: "${extra}"${max === 1 ? ' (quote names with spaces)' : ''}.`,
      command,
    );
  }
  for (const [name, spec] of Object.entries(command.options)) {
    if (spec.required === true && options[name] === undefined) {
      throw new UsageError(
        `${command.name} needs --${name}${spec.value ? ` ${spec.value}` : ''}.`,
        command,
      );
    }
  }
}
