// The batch's photos grouped by city for the map: at the estimated city (the reviewer's city when
// accepted or corrected, else the model's; skipped photos are left out) or at the city their GPS
// falls in. Each circle says how many photos, how sure the model was, and how the GPS photos agree.
import type { GeoMap, GeoMapCity, GeoMapPlace } from '../../../shared/contract/geo-types';
import type { Sql } from '../db/sql';
import { listCities } from '../repo/cities';
import { UNKNOWN_SQL } from './geo-items';
import { batchRow } from './geo-repo';

type Row = {
  predicted_city: string | null;
  probability: number | null;
  gps_city: string | null;
  review: string;
  reviewed_city: string | null;
  unknown: number;
};

type Group = { city: GeoMapCity; probabilitySum: number; probabilityCount: number };

/**
 * The estimate a photo stands for; null when it has none (not predicted), was skipped, or was
 * answered "unknown" without a reviewer choosing a city.
 */
export function estimatedCity(r: Row): string | null {
  if (r.review === 'skipped') return null;
  if (r.reviewed_city !== null) return r.reviewed_city;
  return r.unknown === 1 ? null : r.predicted_city;
}

export function batchMap(sql: Sql, batchId: number, place: GeoMapPlace): GeoMap {
  const batch = batchRow(sql, batchId);
  const cities = new Map(listCities(sql).map((c) => [c.name.toLowerCase(), c]));
  const rows = sql.all<Row>(
    `SELECT predicted_city, probability, gps_city, review, reviewed_city,
            ${UNKNOWN_SQL} AS unknown
     FROM geo_batch_items g WHERE batch_id = ?`,
    [batch.unknown_above, batchId],
  );
  const groups = new Map<string, Group>();
  let unplaced = 0;
  let unknown = 0;
  for (const r of rows) {
    if (place === 'estimated' && r.review === 'skipped') continue;
    if (r.unknown === 1 && r.reviewed_city === null) {
      unknown++;
      if (place === 'estimated') continue;
    }
    const estimate = estimatedCity(r);
    const at = place === 'estimated' ? estimate : r.gps_city;
    const city = at === null ? undefined : cities.get(at.toLowerCase());
    if (city === undefined) {
      unplaced++;
      continue;
    }
    let group = groups.get(city.name);
    if (group === undefined) {
      group = {
        city: {
          city: city.name,
          country: city.country,
          lat: city.lat,
          lon: city.lon,
          count: 0,
          meanConfidence: 0,
          correct: 0,
          wrong: 0,
        },
        probabilitySum: 0,
        probabilityCount: 0,
      };
      groups.set(city.name, group);
    }
    group.city.count++;
    if (r.probability !== null) {
      group.probabilitySum += r.probability;
      group.probabilityCount++;
    }
    // Only photos with both a ground truth (GPS inside a city) and an estimate can agree or not.
    if (r.gps_city !== null && estimate !== null) {
      if (r.gps_city.toLowerCase() === estimate.toLowerCase()) group.city.correct++;
      else group.city.wrong++;
    }
  }
  const out = [...groups.values()].map((g) => ({
    ...g.city,
    meanConfidence: g.probabilityCount === 0 ? 0 : g.probabilitySum / g.probabilityCount,
  }));
  out.sort((a, b) => b.count - a.count || a.city.localeCompare(b.city));
  return { place, cities: out, unplaced, unknown };
}
