import {
  LABEL_SOURCES,
  type LabelSource,
  type LibraryStats,
  type Split,
} from '../../../shared/contract/library-types';
import type { Sql } from '../db/sql';

/** Whole-library counts for the stats panel: a handful of grouped index scans. */
export function libraryStats(sql: Sql): LibraryStats {
  const images = sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM images')?.n ?? 0;

  const cityRows = sql.all<{ city: string; split: Split | null; n: number }>(
    `SELECT c.name AS city, i.split AS split, COUNT(i.id) AS n
     FROM cities c LEFT JOIN images i ON i.city_id = c.id
     GROUP BY c.id, i.split ORDER BY c.name`,
  );
  const cities: Record<string, number> = {};
  const perCity = new Map<string, LibraryStats['perCity'][number]>();
  for (const r of cityRows) {
    cities[r.city] = (cities[r.city] ?? 0) + r.n;
    let entry = perCity.get(r.city);
    if (entry === undefined) {
      entry = { city: r.city, total: 0, train: 0, val: 0, test: 0 };
      perCity.set(r.city, entry);
    }
    entry.total += r.n;
    if (r.split !== null) entry[r.split] += r.n;
  }
  const labeled = Object.values(cities).reduce((a, b) => a + b, 0);

  const splits: LibraryStats['splits'] = { train: 0, val: 0, test: 0, unassigned: 0 };
  for (const r of sql.all<{ split: Split | null; n: number }>(
    'SELECT split, COUNT(*) AS n FROM images GROUP BY split',
  )) {
    splits[r.split ?? 'unassigned'] += r.n;
  }

  const labelSources = Object.fromEntries(LABEL_SOURCES.map((s) => [s, 0])) as Record<
    LabelSource,
    number
  >;
  for (const r of sql.all<{ source: LabelSource; n: number }>(
    'SELECT label_source AS source, COUNT(*) AS n FROM images WHERE label_source IS NOT NULL GROUP BY label_source',
  )) {
    labelSources[r.source] = r.n;
  }

  return {
    images,
    labeled,
    unlabeled: images - labeled,
    cities,
    splits,
    labelSources,
    perCity: [...perCity.values()],
  };
}
