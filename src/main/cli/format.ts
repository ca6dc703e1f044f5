import { GLOBAL_OPTIONS } from './args';
import type { CommandSpec, OptionSpec } from './command';

const NUMERIC = /^-?\d+(\.\d+)?$/;

/** A plain-text table; numeric columns are right-aligned so digits line up. */
export function table(headers: readonly string[], rows: readonly (string | number)[][]): string {
  const cells = rows.map((row) => row.map((cell) => String(cell)));
  const numeric = headers.map(
    (_, col) => cells.length > 0 && cells.every((r) => NUMERIC.test(r[col] ?? '')),
  );
  const widths = headers.map((h, col) =>
    Math.max(h.length, ...cells.map((r) => (r[col] ?? '').length)),
  );
  const line = (row: readonly string[]) =>
    row
      .map((cell, col) =>
        numeric[col] ? cell.padStart(widths[col] ?? 0) : cell.padEnd(widths[col] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

export const plural = (n: number, one: string, many = `${one}s`): string =>
  `${n} ${n === 1 ? one : many}`;

export function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** `[########------------]  42/120  35%` sized to the terminal. */
export function progressBar(
  done: number,
  total: number,
  columns: number,
  message: string | null,
): string {
  const counts = total > 0 ? `${done}/${total}  ${Math.floor((100 * done) / total)}%` : `${done}`;
  const width = Math.max(10, Math.min(40, columns - counts.length - 20));
  const filled = total > 0 ? Math.round((width * Math.min(done, total)) / total) : 0;
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]  ${counts}`;
  const room = columns - bar.length - 3;
  return message !== null && room > 8 ? `${bar}  ${message.slice(0, room)}` : bar;
}

function optionLines(options: Readonly<Record<string, OptionSpec>>): string[] {
  const entries = Object.entries(options).map(([name, spec]) => {
    const flag = `--${name}${spec.value ? ` ${spec.value}` : ''}`;
    return [flag, `${spec.description}${spec.required === true ? ' (required)' : ''}`] as const;
  });
  const width = Math.max(0, ...entries.map(([flag]) => flag.length));
  return entries.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`);
}

export function commandHelp(command: CommandSpec): string {
  const usage = `Usage: littleplanet [--library DIR] [--json] ${command.name}${command.args ? ` ${command.args}` : ''}`;
  const parts = [usage, '', command.summary];
  if (command.details) parts.push('', command.details);
  if (Object.keys(command.options).length > 0)
    parts.push('', 'Options:', ...optionLines(command.options));
  parts.push('', 'Global options:', ...optionLines(GLOBAL_OPTIONS));
  return `${parts.join('\n')}\n`;
}

export function generalHelp(commands: readonly CommandSpec[]): string {
  const names = commands.map((c) => `${c.name}${c.args ? ` ${c.args}` : ''}`);
  const width = Math.max(...names.map((n) => n.length));
  return [
    'Usage: littleplanet [--library DIR] [--json] COMMAND [ARGS] [OPTIONS]',
    '',
    'LittlePlaNet Studio from the command line: the same core and checks as the app.',
    '',
    'Commands:',
    ...commands.map((c, i) => `  ${(names[i] ?? '').padEnd(width)}  ${c.summary}`),
    '',
    'Global options:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    'Exit codes: 0 success (also when some files were skipped), 2 bad arguments, 1 failure.',
    'Progress and logs go to stderr; with --json, stdout carries only JSON.',
    'Run `littleplanet COMMAND --help` for a command’s options.',
    '',
  ].join('\n');
}
