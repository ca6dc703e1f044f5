/** One table of results; cells are printed as given (format numbers before). */
export type BenchTable = {
  title: string;
  columns: string[];
  rows: (string | number)[][];
};

/** What a benchmark section module returns from `run()`. */
export type BenchSection = {
  /** Short id used on the command line (`npm run bench -- import`). */
  name: string;
  title: string;
  tables: BenchTable[];
  /** Setup, targets and verdicts, one line each. */
  notes: string[];
};

/** Median and 95th percentile of a sample (nearest-rank). */
export function percentiles(values: readonly number[]): { median: number; p95: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
  return { median: at(0.5), p95: at(0.95) };
}
