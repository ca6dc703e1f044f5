import type { SplitConfig } from '../../../shared/contract/library-types';
import type { Sql } from '../db/sql';

export type LibrarySettings = {
  createdAt: string;
  split: SplitConfig;
  /** Images whose header claims more pixels than this are refused (decompression bombs). */
  maxImagePixels: number;
  /** Files larger than this many bytes are refused before they are read. */
  maxFileBytes: number;
};

type SettingsRow = {
  created_at: string;
  split_train: number;
  split_val: number;
  split_test: number;
  split_seed: number;
  split_spatial_km: number | null;
  max_image_pixels: number;
  max_file_bytes: number;
};

export function readSettings(sql: Sql): LibrarySettings {
  const row = sql.get<SettingsRow>('SELECT * FROM library WHERE id = 1');
  if (row === undefined) throw new Error('library settings row is missing');
  return {
    createdAt: row.created_at,
    split: {
      train: row.split_train,
      val: row.split_val,
      test: row.split_test,
      seed: row.split_seed,
      spatialKm: row.split_spatial_km,
    },
    maxImagePixels: row.max_image_pixels,
    maxFileBytes: row.max_file_bytes,
  };
}

export function writeSplitConfig(sql: Sql, config: SplitConfig): void {
  sql.run(
    `UPDATE library SET split_train = ?, split_val = ?, split_test = ?, split_seed = ?,
            split_spatial_km = ? WHERE id = 1`,
    [config.train, config.val, config.test, config.seed, config.spatialKm],
  );
}

export function writeMaxImagePixels(sql: Sql, maxImagePixels: number): void {
  sql.run('UPDATE library SET max_image_pixels = ? WHERE id = 1', [maxImagePixels]);
}

export function writeMaxFileBytes(sql: Sql, maxFileBytes: number): void {
  sql.run('UPDATE library SET max_file_bytes = ? WHERE id = 1', [maxFileBytes]);
}
