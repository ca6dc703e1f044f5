import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Rect } from './window-bounds';

/**
 * What the desktop shell remembers between runs, in `<userData>/window-state.json`: the window's
 * normal (un-maximised) bounds, whether it was maximised, and the last library opened. Nothing here
 * is precious, so a file that cannot be read or parsed is ignored and replaced, never an error.
 */
export type ShellState = {
  bounds?: Rect;
  maximized?: boolean;
  lastLibrary?: string;
};

export const SHELL_STATE_FILE = 'window-state.json';

const isFiniteNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

function parseRect(value: unknown): Rect | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { x, y, width, height } = value as Record<string, unknown>;
  if (![x, y, width, height].every(isFiniteNumber)) return undefined;
  const rect = { x, y, width, height } as Rect;
  return rect.width > 0 && rect.height > 0 ? rect : undefined;
}

/** Keeps the fields that are well-formed; anything else (wrong types, extra keys) is dropped. */
export function parseShellState(text: string): ShellState | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const record = raw as Record<string, unknown>;
  const state: ShellState = {};
  const bounds = parseRect(record.bounds);
  if (bounds !== undefined) state.bounds = bounds;
  if (typeof record.maximized === 'boolean') state.maximized = record.maximized;
  if (typeof record.lastLibrary === 'string' && record.lastLibrary !== '') {
    state.lastLibrary = record.lastLibrary;
  }
  return state;
}

export type ShellStateStore = {
  readonly file: string;
  /** The state read at creation (empty when the file was missing or corrupt). */
  get(): ShellState;
  /** Merges `patch` in and writes the file atomically. Failures are reported, never thrown. */
  update(patch: ShellState): void;
};

/**
 * Opens the state file in `userDataDir`. A corrupt file is replaced at once with an empty state, so
 * the warning appears once rather than on every start.
 */
export function openShellState(
  userDataDir: string,
  warn: (message: string) => void = (message) => console.warn(message),
): ShellStateStore {
  const file = join(userDataDir, SHELL_STATE_FILE);
  let state: ShellState = {};
  let text: string | null = null;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    // No file yet (first run): nothing to remember.
  }

  const write = (): void => {
    // Write-then-rename: a crash or a full disk mid-write leaves the old file, never half of one.
    const temp = `${file}.${process.pid}.tmp`;
    try {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(temp, `${JSON.stringify(state, null, 2)}\n`);
      renameSync(temp, file);
    } catch (error) {
      rmSync(temp, { force: true });
      warn(`Could not save the window state to ${file}: ${String(error)}`);
    }
  };

  if (text !== null) {
    const parsed = parseShellState(text);
    if (parsed === null) {
      warn(`Ignoring the unreadable window state in ${file}; it is replaced.`);
      write();
    } else {
      state = parsed;
    }
  }

  return {
    file,
    get: () => state,
    update(patch) {
      state = { ...state, ...patch };
      write();
    },
  };
}
