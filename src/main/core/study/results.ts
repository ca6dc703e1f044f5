// study.results: every figure of the results page, computed from the answered trials with the
// shared statistics (src/shared/domain/study-stats.ts), so the page, the CLI and tests agree.
import type { AccuracyCell, StudyResults } from '../../../shared/contract/study-types';
import type { LatLon } from '../../../shared/domain/geo';
import { distanceScore, summarisePaired, wilsonInterval } from '../../../shared/domain/study-stats';
import type { Sql } from '../db/sql';
import { loadStudy } from './study-repo';

type Answered = {
  participant_id: string;
  round_index: number;
  guess_city: string;
  truth_city: string;
  model_city: string | null;
  response_ms: number | null;
};

function cell(items: readonly boolean[]): AccuracyCell {
  const correct = items.filter(Boolean).length;
  return { n: items.length, correct, accuracy: items.length === 0 ? null : correct / items.length };
}

/** Linear-interpolated quantile of sorted values. */
function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

function responseStats(values: number[]): StudyResults['responseMs'] {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  return {
    n,
    mean: n === 0 ? null : sorted.reduce((s, v) => s + v, 0) / n,
    median: quantile(sorted, 0.5),
    p10: quantile(sorted, 0.1),
    p90: quantile(sorted, 0.9),
    min: sorted[0] ?? null,
    max: sorted[n - 1] ?? null,
  };
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list === undefined) out.set(k, [item]);
    else list.push(item);
  }
  return out;
}

function confusion(
  rows: readonly string[],
  columns: readonly string[],
  pairs: readonly { truth: string; guess: string }[],
): number[][] {
  const r = new Map(rows.map((c, i) => [c, i]));
  const c = new Map(columns.map((x, i) => [x, i]));
  const m = rows.map(() => columns.map(() => 0));
  for (const p of pairs) {
    const i = r.get(p.truth);
    const j = c.get(p.guess);
    if (i !== undefined && j !== undefined) m[i]![j]! += 1;
  }
  return m;
}

/** Mean GeoGuessr score of guesses whose cities both have known centres; null if none. */
function meanScore(
  centres: ReadonlyMap<string, LatLon>,
  pairs: readonly { truth: string; guess: string }[],
): number | null {
  const scores: number[] = [];
  for (const p of pairs) {
    const a = centres.get(p.guess.toLowerCase());
    const b = centres.get(p.truth.toLowerCase());
    if (a !== undefined && b !== undefined) scores.push(distanceScore(a, b));
  }
  return scores.length === 0 ? null : scores.reduce((s, v) => s + v, 0) / scores.length;
}

export function studyResults(sql: Sql, studyId: number): StudyResults {
  const study = loadStudy(sql, studyId);
  const trials = sql.all<Answered>(
    `SELECT participant_id, round_index, guess_city, truth_city, model_city, response_ms
     FROM trials WHERE study_id = ? AND answered_at IS NOT NULL ORDER BY id`,
    [studyId],
  );
  const right = (t: Answered): boolean => t.guess_city === t.truth_city;
  const n = trials.length;
  const humanCorrect = trials.filter(right).length;
  const paired = trials.filter((t) => t.model_city !== null);
  const hasModel = study.modelId !== null || paired.length > 0;
  const summary = summarisePaired(
    paired.map((t) => ({ truth: t.truth_city, human: t.guess_city, model: t.model_city ?? '' })),
  );

  const cities = [...study.cities];
  const extra = [...new Set(trials.flatMap((t) => [t.guess_city, t.model_city ?? '']))].filter(
    (c) => c !== '' && !cities.includes(c),
  );
  const columns = [...cities, ...extra.sort((a, b) => a.localeCompare(b))];

  const centres = new Map(
    sql
      .all<{ name: string; lat: number; lon: number }>('SELECT name, lat, lon FROM cities')
      .map((c) => [c.name.toLowerCase(), { lat: c.lat, lon: c.lon }]),
  );

  const byParticipant = groupBy(trials, (t) => t.participant_id);
  const byCity = groupBy(trials, (t) => t.truth_city);
  const byRound = groupBy(trials, (t) => t.round_index);

  return {
    studyId,
    n,
    humanAccuracy: n === 0 ? null : humanCorrect / n,
    humanCI: wilsonInterval(humanCorrect, n),
    paired: summary.n,
    modelAccuracy: hasModel ? summary.modelAccuracy : null,
    modelCI: hasModel ? summary.modelCI : null,
    pairedHumanAccuracy: hasModel ? summary.humanAccuracy : null,
    mcnemarP: hasModel && summary.n > 0 ? summary.mcnemarP : null,
    kappa: hasModel ? summary.kappa : null,
    perParticipant: [...byParticipant.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([participantId, list]) => {
        const c = cell(list.map(right));
        return { participantId, ...c, ci: wilsonInterval(c.correct, c.n) };
      }),
    perCity: cities.map((city) => {
      const list = byCity.get(city) ?? [];
      const withModel = list.filter((t) => t.model_city !== null);
      return {
        city,
        human: cell(list.map(right)),
        model: hasModel ? cell(withModel.map((t) => t.model_city === t.truth_city)) : null,
      };
    }),
    confusion: {
      cities,
      columns,
      human: confusion(
        cities,
        columns,
        trials.map((t) => ({ truth: t.truth_city, guess: t.guess_city })),
      ),
      model: hasModel
        ? confusion(
            cities,
            columns,
            paired.map((t) => ({ truth: t.truth_city, guess: t.model_city ?? '' })),
          )
        : null,
    },
    byRound: [...byRound.entries()]
      .sort(([a], [b]) => a - b)
      .map(([round, list]) => ({ round, ...cell(list.map(right)) })),
    responseMs: responseStats(
      trials.map((t) => t.response_ms).filter((v): v is number => v !== null),
    ),
    distanceScore: {
      human: meanScore(
        centres,
        trials.map((t) => ({ truth: t.truth_city, guess: t.guess_city })),
      ),
      model: hasModel
        ? meanScore(
            centres,
            paired.map((t) => ({ truth: t.truth_city, guess: t.model_city ?? '' })),
          )
        : null,
    },
  };
}
