import {
  SPLITS,
  type Split,
  type SplitConfig,
  type SplitSummary,
} from '../../../shared/contract/library-types';
import { assignSplits, type SplitItem } from '../../../shared/domain/splits';
import type { Sql } from '../db/sql';
import { writeSplitConfig } from './settings';

/**
 * Re-splits every labeled image (stratified by city, seeded, optionally spatially disjoint) and
 * makes `config` the library's split config, which new imports then follow. Unlabeled images have
 * no split. One transaction: the old assignment stays intact if anything fails.
 */
export function assignLibrarySplits(sql: Sql, config: SplitConfig): SplitSummary {
  const items = sql.all<SplitItem>(
    `SELECT i.id, c.name AS stratum, i.content_hash AS key, i.lat, i.lon
     FROM images i JOIN cities c ON c.id = i.city_id`,
  );
  const { splits, clusters } = assignSplits(items, config);

  const bySplit: Record<Split, number[]> = { train: [], val: [], test: [] };
  const perCity = new Map<string, SplitSummary['perCity'][number]>();
  for (const item of items) {
    const split = splits.get(item.id) as Split;
    bySplit[split].push(item.id);
    let entry = perCity.get(item.stratum);
    if (entry === undefined) {
      entry = { city: item.stratum, train: 0, val: 0, test: 0 };
      perCity.set(item.stratum, entry);
    }
    entry[split]++;
  }

  sql.transaction(() => {
    writeSplitConfig(sql, config);
    sql.run('UPDATE images SET split = NULL WHERE city_id IS NULL AND split IS NOT NULL');
    for (const split of SPLITS) {
      sql.run('UPDATE images SET split = ? WHERE id IN (SELECT value FROM json_each(?))', [
        split,
        JSON.stringify(bySplit[split]),
      ]);
    }
  });

  return {
    config,
    counts: { train: bySplit.train.length, val: bySplit.val.length, test: bySplit.test.length },
    perCity: [...perCity.values()].sort((a, b) => a.city.localeCompare(b.city)),
    clusters,
  };
}
