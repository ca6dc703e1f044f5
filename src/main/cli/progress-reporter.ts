import type { JobEvent } from '../../shared/contract/job-types';
import type { CommandContext } from './command';
import { progressBar } from './format';

const REDRAW_MS = 100;

/**
 * Away from a terminal (logs, CI, scripts) a line at least this often while a job runs, so a
 * long feature extraction or training never looks hung. LP_PROGRESS_INTERVAL_MS overrides it.
 */
export function progressIntervalMs(setting = process.env.LP_PROGRESS_INTERVAL_MS): number {
  const n = Number(setting);
  return setting !== undefined && Number.isInteger(n) && n >= 10 ? n : 30_000;
}

export type ProgressOptions = {
  /** Lines at each 10% step away from a terminal (default true; training has its epoch lines). */
  steps?: boolean;
  /** The longest silence away from a terminal, in ms (default progressIntervalMs()). */
  intervalMs?: number;
  /** The clock (tests). */
  now?: () => number;
};

type Progress = Extract<JobEvent, { type: 'progress' }>;

const lineOf = (label: string, e: Progress): string => {
  const text = e.message === null ? '' : ` ${e.message}`;
  if (e.total <= 0) return `${label}:${text || ' working…'}`;
  return `${label}: ${e.done}/${e.total} (${Math.floor((100 * e.done) / e.total)}%)${text === '' ? '' : ` —${text}`}`;
};

/**
 * Job progress on stderr: a redrawn bar on a terminal; otherwise a line at each 10% step and, in
 * between, at least one every `intervalMs` (also when no event came: "still at …"), so logs stay
 * short but never silent for minutes. Warnings from the job are printed as they come.
 */
export function progressReporter(
  ctx: CommandContext,
  label: string,
  options: ProgressOptions = {},
) {
  const { stderr } = ctx.io;
  const tty = stderr.isTTY === true;
  const now = options.now ?? Date.now;
  const interval = options.intervalMs ?? progressIntervalMs();
  const steps = options.steps ?? true;
  let lastDraw = 0;
  let lastStep = -1;
  let drawn = false;
  let lastLine = now();
  let latest: Progress | null = null;

  const clear = (): void => {
    if (drawn) stderr.write('\r\x1b[K');
    drawn = false;
  };
  const line = (text: string): void => {
    lastLine = now();
    ctx.log(text);
  };
  // A quiet stretch with no events at all (a model loading, one slow batch) still gets its line.
  const timer = tty
    ? null
    : setInterval(() => {
        if (latest !== null && now() - lastLine >= interval) line(lineOf(label, latest));
      }, interval);
  timer?.unref();

  return {
    onEvent(event: JobEvent): void {
      if (event.type === 'log') {
        clear();
        ctx.log(`${event.level === 'warn' ? 'warning: ' : ''}${event.message}`);
      } else if (event.type === 'progress') {
        latest = event;
        const at = now();
        if (tty) {
          if (at - lastDraw < REDRAW_MS && event.done < event.total) return;
          lastDraw = at;
          stderr.write(
            `\r\x1b[K${label} ${progressBar(event.done, event.total, stderr.columns ?? 80, event.message)}`,
          );
          drawn = true;
          return;
        }
        const step = event.total > 0 ? Math.floor((10 * event.done) / event.total) : -1;
        if (steps && event.total > 0 && step !== lastStep) {
          lastStep = step;
          line(`${label}: ${event.done}/${event.total} (${step * 10}%)`);
        } else if (at - lastLine >= interval) {
          line(lineOf(label, event));
        }
      }
    },
    finish(): void {
      clear();
      if (timer !== null) clearInterval(timer);
    },
  };
}
