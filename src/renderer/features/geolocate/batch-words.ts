// The words of the batch list: accuracy on GPS photos, review counts, progress and time left.
// Pure, so the phrasing is unit-tested and the components only lay it out.
import type { GeoAccuracy, GeoBatchSummary } from '../../../shared/contract/geo-types';
import { estimateEta, formatRemaining, type ProgressSample } from '../train/eta';

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** "model right on 41 of 52 photos that carry GPS (79%)", or why there is no such number yet. */
export function accuracyText(a: GeoAccuracy): string {
  const outside =
    a.outsideCities > 0
      ? ` · ${plural(a.outsideCities, 'photo')} with GPS outside every city of the model`
      : '';
  if (a.accuracy === null || a.withTruth === 0) {
    return `No photo with GPS inside the model's cities to check against${outside}`;
  }
  const verb = a.withTruth === 1 ? 'carries' : 'carry';
  const share = Math.round(a.accuracy * 100);
  return `model right on ${a.correct} of ${plural(a.withTruth, 'photo')} that ${verb} GPS (${share}%)${outside}`;
}

export type CountChip = { key: keyof GeoBatchSummary['counts']; label: string; value: number };

/** The review counts shown as chips, in the order a reviewer works through them. */
export function countChips(counts: GeoBatchSummary['counts']): CountChip[] {
  const chips: CountChip[] = [
    { key: 'pending', label: 'pending', value: counts.pending },
    { key: 'unsure', label: 'unsure', value: counts.unsure },
    { key: 'accepted', label: 'accepted', value: counts.accepted },
    { key: 'corrected', label: 'corrected', value: counts.corrected },
    { key: 'skipped', label: 'skipped', value: counts.skipped },
  ];
  // Photos answered "unknown" (none of the model's cities) are never written back unless asked.
  if (counts.unknown > 0) chips.push({ key: 'unknown', label: 'unknown', value: counts.unknown });
  // Failures are rare: only worth a chip when there are some.
  if (counts.failed > 0) chips.push({ key: 'failed', label: 'failed', value: counts.failed });
  return chips;
}

/** "40 of 52 photos predicted", or "52 photos predicted" once complete. */
export function predictedText(b: GeoBatchSummary): string {
  if (b.complete) return `${plural(b.counts.photos, 'photo')} predicted`;
  return `${b.counts.predicted} of ${plural(b.counts.photos, 'photo')} predicted`;
}

/** The state a batch is in, as one word the list filters and tests can read. */
export type BatchState = 'running' | 'complete' | 'stopped';

export function batchState(b: GeoBatchSummary, running: boolean): BatchState {
  if (running) return 'running';
  return b.complete ? 'complete' : 'stopped';
}

/** "Resume" makes sense only for a batch that is unfinished and has no job working on it. */
export function canResume(b: GeoBatchSummary, running: boolean): boolean {
  return !running && !b.complete;
}

/**
 * Time left of a running job from its progress samples: "about 3 min left", or null (too early).
 * The job's own message usually says it already ("Predicted 40 of 100 photos, about 3 min left"),
 * measured where the work runs; then this says nothing, so the line never shows two estimates.
 */
export function etaText(
  samples: readonly ProgressSample[],
  now: number,
  message: string | null = null,
): string | null {
  if (message !== null && /\bleft\b/.test(message)) return null;
  const eta = estimateEta(samples, now);
  if (eta === null) return null;
  return `${formatRemaining(eta.remainingMs)} left`;
}
