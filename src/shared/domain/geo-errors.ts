// Errors a geographer can read: how far each wrong answer is from the truth (city centre to city
// centre, great-circle km), GeoGuessr's score for it, and an order of the cities by geography so a
// confusion matrix shows neighbours side by side.
import { haversineKm, type LatLon } from './geo';

/** GeoGuessr's world-map scale: a photo scores 5000·exp(−d / 1492.7 km). */
export const GEO_SCORE_SCALE_KM = 1492.7;
export const GEO_SCORE_MAX = 5000;

/** The score of an answer `km` from the truth: 5000 at 0 km, 1839 at 1492.7 km, ~0 across the globe. */
export function geoScore(km: number): number {
  return GEO_SCORE_MAX * Math.exp(-km / GEO_SCORE_SCALE_KM);
}

/** One wrong answer: its photo, the true and predicted cities, their distance and its score. */
export type GeoError = {
  imageId: number | null;
  path: string;
  true: string;
  predicted: string;
  /** The model's probability of the predicted city. */
  probability: number;
  /** Centre to centre; null when a city has no known centre. */
  km: number | null;
  score: number | null;
};

export type GeoErrorReport = {
  /** Each class's centre as used here (null: no such city in the library at evaluation time). */
  centres: (LatLon | null)[];
  /** Photos whose true and predicted cities both have a centre (right answers count 0 km). */
  scored: number;
  /** Mean score per photo over `scored` photos (5000 when every answer is right). */
  meanScore: number | null;
  /** Mean distance per photo over `scored` photos, right answers counting 0 km. */
  meanKm: number | null;
  /** Median distance of the wrong answers with known centres; null when there are none. */
  medianErrorKm: number | null;
  /** Every wrong answer, farthest first (unknown distances last). */
  errors: GeoError[];
  /** distanceKm[i][j]: centre of class i to centre of class j (null without both centres). */
  distanceKm: (number | null)[][];
  /** Class indices in geographic orders, for a confusion matrix with neighbours side by side. */
  order: {
    /** West to east by centre longitude (cities without a centre last, by name). */
    longitude: number[];
    /** A nearest-neighbour tour of the centres, from the westernmost city. */
    tour: number[];
  };
};

export type GeoPhoto = {
  imageId: number | null;
  path: string;
  trueIndex: number;
  predictedIndex: number;
  probability: number;
};

/** Class indices sorted west to east; classes without a centre go last, in their given order. */
export function longitudeOrder(centres: readonly (LatLon | null)[]): number[] {
  const known = centres.flatMap((c, i) => (c === null ? [] : [i]));
  known.sort((a, b) => centres[a]!.lon - centres[b]!.lon || a - b);
  return [...known, ...centres.flatMap((c, i) => (c === null ? [i] : []))];
}

/**
 * A nearest-neighbour tour of the centres (greedy, from the westernmost), so cities that are close
 * on the globe sit next to each other more often than in a plain longitude order (which puts
 * Moscow beside Rio when they share a meridian band). Classes without a centre go last.
 */
export function nearestNeighbourTour(centres: readonly (LatLon | null)[]): number[] {
  const byLon = longitudeOrder(centres);
  const known = byLon.filter((i) => centres[i] !== null);
  if (known.length === 0) return byLon;
  const left = new Set(known);
  const tour = [known[0]!];
  left.delete(known[0]!);
  while (left.size > 0) {
    const here = centres[tour.at(-1)!]!;
    let best = -1;
    let bestKm = Infinity;
    for (const i of left) {
      const km = haversineKm(here, centres[i]!);
      if (km < bestKm || (km === bestKm && i < best)) [best, bestKm] = [i, km];
    }
    tour.push(best);
    left.delete(best);
  }
  return [...tour, ...byLon.filter((i) => centres[i] === null)];
}

function median(sorted: readonly number[]): number | null {
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Distances, scores and geographic orders of an evaluation's answers. */
export function geoErrorReport(
  classes: readonly string[],
  centres: readonly (LatLon | null)[],
  photos: readonly GeoPhoto[],
): GeoErrorReport {
  if (centres.length !== classes.length) {
    throw new Error(`geoErrorReport: ${classes.length} classes but ${centres.length} centres.`);
  }
  const distanceKm = centres.map((a) =>
    centres.map((b) => (a === null || b === null ? null : haversineKm(a, b))),
  );
  let scored = 0;
  let scoreSum = 0;
  let kmSum = 0;
  const errors: GeoError[] = [];
  for (const p of photos) {
    const km = distanceKm[p.trueIndex]?.[p.predictedIndex] ?? null;
    const score = km === null ? null : geoScore(km);
    if (km !== null && score !== null) {
      scored += 1;
      scoreSum += score;
      kmSum += km;
    }
    if (p.trueIndex !== p.predictedIndex) {
      errors.push({
        imageId: p.imageId,
        path: p.path,
        true: classes[p.trueIndex]!,
        predicted: classes[p.predictedIndex]!,
        probability: p.probability,
        km,
        score,
      });
    }
  }
  errors.sort((a, b) => (b.km ?? -1) - (a.km ?? -1) || a.path.localeCompare(b.path));
  const errorKm = errors.flatMap((e) => (e.km === null ? [] : [e.km])).sort((a, b) => a - b);
  return {
    centres: [...centres],
    scored,
    meanScore: scored === 0 ? null : scoreSum / scored,
    meanKm: scored === 0 ? null : kmSum / scored,
    medianErrorKm: median(errorKm),
    errors,
    distanceKm,
    order: { longitude: longitudeOrder(centres), tour: nearestNeighbourTour(centres) },
  };
}
