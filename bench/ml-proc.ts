/**
 * Process plumbing for the ML benchmarks: each measured phase runs in a fresh child process (so
 * `process.resourceUsage().maxRSS` is that phase's own peak, not the benchmark's history), and the
 * peak RSS of the ML host processes it starts is sampled from /proc (VmHWM, the same high-water
 * mark getrusage reports as maxRSS) because a host process exits with the job.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';

export const RESULT_MARKER = '@@bench-result ';

const WORKER = join(__dirname, 'ml-worker.ts');

/** Runs `bench/ml-worker.ts MODE ARGS` under tsx and returns the JSON it reports. */
export function runWorker<T>(
  mode: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, mode, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      // Progress lines of the worker, indented under the section's own output.
      for (const line of d.split('\n'))
        if (line.startsWith('  ')) process.stdout.write(`${line}\n`);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_MARKER));
      if (code !== 0 || line === undefined) {
        const tail = stderr.trim().split('\n').slice(-15).join('\n');
        reject(new Error(`bench worker '${mode}' exited with ${code}:\n${tail}`));
        return;
      }
      resolve(JSON.parse(line.slice(RESULT_MARKER.length)) as T);
    });
  });
}

/** Called by the worker: the one line its parent parses. */
export function reportResult(value: unknown): void {
  process.stdout.write(`${RESULT_MARKER}${JSON.stringify(value)}\n`);
}

/** Peak RSS of this process so far, MiB (resourceUsage reports KiB). */
export function ownPeakMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Parent pid from /proc/PID/stat (the command name in parentheses may contain spaces). */
function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[1]);
  } catch {
    return null;
  }
}

function descendants(root: number): number[] {
  let pids: number[];
  try {
    pids = readdirSync('/proc')
      .filter((n) => /^\d+$/.test(n))
      .map(Number);
  } catch {
    return [];
  }
  const children = new Map<number, number[]>();
  for (const pid of pids) {
    const parent = parentOf(pid);
    if (parent === null) continue;
    children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const found: number[] = [];
  const queue = [...(children.get(root) ?? [])];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    found.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}

/** VmHWM of a process in MiB, or null when it is gone or /proc is unavailable. */
function peakOf(pid: number): number | null {
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? null : Number(m[1]) / 1024;
  } catch {
    return null;
  }
}

/** The script a node process runs (its first non-option argument), e.g. host-main.ts. */
function scriptOf(pid: number): string | null {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    if (!/(^|\/)node$/.test(argv[0] ?? '')) return null;
    const script = argv
      .slice(1)
      .find((a, i, all) => !a.startsWith('-') && all[i - 1] !== '--import');
    return script === undefined ? null : (script.split('/').pop() ?? null);
  } catch {
    return null;
  }
}

export type ChildPeaks = {
  /** False where /proc is missing (not Linux): figures are then unavailable, not zero. */
  supported: boolean;
  /**
   * Peak RSS per descendant node process (ML hosts; tsx's esbuild helper is left out), MiB, in
   * the order first seen.
   */
  peaks: { pid: number; script: string; peakMiB: number }[];
};

/**
 * Samples the peak RSS of every descendant of this process every `intervalMs` until stopped. A
 * process's last growth before it exits may be missed by at most one interval.
 */
export function sampleChildPeaks(intervalMs = 200): { stop: () => ChildPeaks } {
  const supported = peakOf(process.pid) !== null;
  const peaks = new Map<number, { script: string; peakMiB: number }>();
  const sample = (): void => {
    for (const pid of descendants(process.pid)) {
      const script = peaks.get(pid)?.script ?? scriptOf(pid);
      const peak = script === null ? null : peakOf(pid);
      if (script === null || peak === null) continue;
      peaks.set(pid, { script, peakMiB: Math.max(peaks.get(pid)?.peakMiB ?? 0, peak) });
    }
  };
  const timer = supported ? setInterval(sample, intervalMs) : null;
  return {
    stop: () => {
      if (timer !== null) {
        sample();
        clearInterval(timer);
      }
      return {
        supported,
        peaks: [...peaks.entries()].map(([pid, p]) => ({ pid, ...p })),
      };
    },
  };
}

/** One line for a section's notes: how busy the machine was when the section started. */
export function loadNote(): string {
  const [one, five] = loadavg();
  return `Load average at the start: ${(one ?? 0).toFixed(2)} (1 min), ${(five ?? 0).toFixed(2)} (5 min) on ${cpus().length} logical cores; figures taken on a busy machine are low.`;
}
