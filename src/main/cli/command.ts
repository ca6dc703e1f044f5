import type { z } from 'zod';
import type { Client } from '../../shared/contract/client';
import type { StudioCore } from '../core/studio-core';

/** Kinds of option values; numbers are checked strictly (`--seed 1.5` or `--lat abc` is exit 2). */
export type OptionType = 'string' | 'number' | 'int' | 'boolean';

export type OptionSpec = {
  type: OptionType;
  /** Shown in help after the flag, e.g. `--lat DEG`. */
  value?: string;
  description: string;
  required?: boolean;
  /** The contract parameter the option feeds, when its type and default come from there. */
  param?: z.ZodTypeAny;
};

export type OptionValue = string | number | boolean;

export type CliIo = {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; readonly isTTY?: boolean; readonly columns?: number };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /**
   * Calls `handler` on each Ctrl-C while installed; returns the uninstaller. The CLI's own entry
   * wires it to SIGINT; while no handler is installed Ctrl-C keeps its default (exit).
   */
  onInterrupt(handler: () => void): () => void;
  /**
   * Calls `handler` on each SIGTERM while installed; returns the uninstaller. Only commands that run
   * until stopped (`serve`) install one, to close cleanly with exit 0; otherwise SIGTERM kills.
   */
  onTerminate(handler: () => void): () => void;
  /** Leaves at once (second Ctrl-C). */
  exit(code: number): never;
};

/** What a command gets: its parsed arguments, a client of the core, and where to write. */
export type CommandContext = {
  readonly io: CliIo;
  readonly json: boolean;
  /** Absolute library folder (from --library or LITTLEPLANET_LIBRARY); null for `library: 'none'`. */
  readonly library: string | null;
  /** True when this run created the library (commands with `library: 'create'`). */
  readonly libraryCreated: boolean;
  readonly client: Client;
  /** For in-process services (ML) that need more than the contract; commands prefer `client`. */
  readonly core: StudioCore;
  readonly positionals: readonly string[];
  readonly options: Readonly<Record<string, OptionValue | undefined>>;
  /** Writes the command's result: JSON on stdout with --json, else the human text. */
  output(value: unknown, human: () => string): void;
  /** A line of progress or log on stderr (never stdout, so --json output stays clean). */
  log(line: string): void;
};

export type CommandSpec = {
  /** One or two words: `stats`, `cities add`, later `backbone import`. */
  name: string;
  /** Other spellings, e.g. `cities` for `cities list`. */
  aliases?: readonly string[];
  summary: string;
  /** Positional arguments for help, e.g. `PATH...` or `NAME`. */
  args?: string;
  positionals: { min: number; max: number };
  options: Readonly<Record<string, OptionSpec>>;
  /**
   * 'open': the library must exist (exit 1 with a clear message otherwise); 'create': it is created
   * when missing (init, import); 'none': no library needed.
   */
  library: 'open' | 'create' | 'none';
  /** What app.info reports as the transport (default 'cli'); `serve` is the HTTP door. */
  transport?: string;
  /** Extra help text under the usage line. */
  details?: string;
  run(ctx: CommandContext): Promise<void>;
};
