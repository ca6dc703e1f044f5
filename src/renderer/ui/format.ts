import type { Proportion } from '../../shared/contract/ml-types';

/** The paper's overall accuracy on its 10-city street-view test set (Table 2). */
export const PAPER_ACCURACY = 0.753;
/** The paper's people guessing the city of the same kind of photos (10 cities). */
export const PAPER_HUMAN_ACCURACY = 0.272;

/** A fraction as a percentage, e.g. 0.7531 → "75.3%"; null → "—". */
export function pct(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined || !Number.isFinite(value)
    ? '—'
    : `${(value * 100).toFixed(digits)}%`;
}

/** A Wilson interval as "71.2–79.0%", or "—" when undefined. */
export function interval(p: Pick<Proportion, 'lo' | 'hi'>, digits = 1): string {
  if (p.lo === null || p.hi === null) return '—';
  return `${(p.lo * 100).toFixed(digits)}–${(p.hi * 100).toFixed(digits)}%`;
}

export function fixed(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined || !Number.isFinite(value)
    ? '—'
    : value.toFixed(digits);
}

/** Learning rates span decades: 0.01, 0.001, 1e-5. */
export function rate(value: number): string {
  if (value === 0) return '0';
  return value >= 1e-4 ? String(Number(value.toPrecision(3))) : value.toExponential(1);
}

export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function when(iso: string | null): string {
  if (iso === null) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

export const STOP_REASONS: Record<string, string> = {
  completed: 'ran all epochs',
  earlyStopped: 'stopped early: no gain',
  cancelled: 'cancelled',
};

/** One path a line, blank lines dropped. */
export function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}
