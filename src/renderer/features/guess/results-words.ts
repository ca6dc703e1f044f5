// The study's statistics in plain words (pure, unit-tested).
import type { StudyResults } from '../../../shared/contract/study-types';
import { pct } from '../../ui/format';

/** "0.012" or "< 0.001": p-values to three places, never a misleading 0. */
export function formatP(p: number): string {
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

/** What McNemar's p says about people vs the model on the same photos. */
export function mcnemarWords(p: number | null, human: number | null, model: number | null) {
  if (p === null || human === null || model === null)
    return 'No paired comparison yet (the study needs a model and answered rounds).';
  const better = model > human ? 'the model' : 'people';
  if (human === model) return `People and the model got the same share right (p = ${formatP(p)}).`;
  return p < 0.05
    ? `McNemar p = ${formatP(p)}: ${better} did better on the same photos, and chance alone would rarely give a gap this large.`
    : `McNemar p = ${formatP(p)}: ${better} did better here, but a gap this size could well be chance with this many photos.`;
}

/** Cohen's kappa on the Landis & Koch scale: how often people and the model pick the same city. */
export function kappaWords(kappa: number | null): string {
  if (kappa === null) return 'No agreement figure yet.';
  const k = kappa.toFixed(2);
  if (kappa < 0) return `Cohen's κ = ${k}: people and the model agree less often than chance.`;
  const scale: [number, string][] = [
    [0.2, 'slight'],
    [0.4, 'fair'],
    [0.6, 'moderate'],
    [0.8, 'substantial'],
    [1.01, 'almost perfect'],
  ];
  const word = scale.find(([max]) => kappa < max)?.[1] ?? 'almost perfect';
  return `Cohen's κ = ${k}: ${word} agreement between people's guesses and the model's beyond chance.`;
}

/** "40.0% (95% CI 16.8–68.7%)". */
export function accuracyWithCI(accuracy: number | null, ci: [number, number] | null): string {
  if (accuracy === null) return '—';
  return ci === null
    ? pct(accuracy)
    : `${pct(accuracy)} (95% CI ${(ci[0] * 100).toFixed(1)}–${(ci[1] * 100).toFixed(1)}%)`;
}

/** Does accuracy rise over the rounds? A plain comparison of the first and second half. */
export function learningWords(byRound: StudyResults['byRound']): string {
  const answered = byRound.filter((r) => r.n > 0);
  if (answered.length < 4) return 'Too few rounds to tell whether people learn.';
  const half = Math.floor(answered.length / 2);
  const share = (rows: typeof answered) => {
    const n = rows.reduce((a, r) => a + r.n, 0);
    return n === 0 ? 0 : rows.reduce((a, r) => a + r.correct, 0) / n;
  };
  const early = share(answered.slice(0, half));
  const late = share(answered.slice(half));
  const diff = late - early;
  if (Math.abs(diff) < 0.05)
    return `About the same early (${pct(early)}) and late (${pct(late)}): no sign of learning.`;
  return diff > 0
    ? `Later rounds ${pct(late)} vs earlier ${pct(early)}: people seem to learn as they play.`
    : `Later rounds ${pct(late)} vs earlier ${pct(early)}: people do worse later (fatigue?).`;
}
