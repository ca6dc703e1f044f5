// The model's answer for a photo, as the predictions table stores it (written by predict jobs).
import type { CityProbability } from '../../../shared/contract/ml-types';
import type { Sql } from '../db/sql';

export type ModelAnswer = { city: string; probability: number; top3: CityProbability[] };

/** The model's latest stored answer for the image, or null when it has none (yet). */
export function modelAnswer(sql: Sql, modelId: string, imageId: number): ModelAnswer | null {
  const row = sql.get<{ top_json: string }>(
    'SELECT top_json FROM predictions WHERE model_id = ? AND image_id = ? ORDER BY id DESC LIMIT 1',
    [modelId, imageId],
  );
  if (row === undefined) return null;
  const top = JSON.parse(row.top_json) as CityProbability[];
  const first = top[0];
  if (first === undefined) return null;
  return { city: first.city, probability: first.probability, top3: top.slice(0, 3) };
}
