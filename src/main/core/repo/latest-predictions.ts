import type { Correctness, LatestPrediction } from '../../../shared/contract/library-types';
import type { SqlValue } from '../db/sql';

/**
 * Reading `latest_predictions` (migration 003): one row per image with its most recent stored
 * prediction's top city and probability, kept in step by triggers. Queries alias it `lp`.
 */

export type PredictionColumns = {
  p_city: string | null;
  p_probability: number | null;
  p_model_id: string | null;
  p_created_at: string | null;
};

export const PREDICTION_COLUMNS = `lp.city AS p_city, lp.probability AS p_probability,
  lp.model_id AS p_model_id, lp.created_at AS p_created_at`;

export function toPrediction(r: PredictionColumns): LatestPrediction | null {
  if (r.p_city === null || r.p_probability === null || r.p_model_id === null) return null;
  return {
    city: r.p_city,
    probability: r.p_probability,
    modelId: r.p_model_id,
    createdAt: r.p_created_at ?? '',
  };
}

export type PredictionQuery = {
  predicted: string | null;
  correctness: Correctness | null;
  minConfidence: number | null;
  maxConfidence: number | null;
};

/**
 * WHERE terms on `lp` for the prediction filters. Any of them leaves out images without a
 * prediction (the LEFT JOIN's NULLs fail every term). The city compares case-insensitively (the
 * column's collation) and is not checked against the library's cities: a model may predict a city
 * that has since been removed.
 */
export function predictionFilters(q: PredictionQuery): { where: string[]; args: SqlValue[] } {
  const where: string[] = [];
  const args: SqlValue[] = [];
  if (q.predicted !== null) {
    where.push('lp.city = ?');
    args.push(q.predicted);
  }
  if (q.correctness !== null) {
    where.push('lp.correct = ?');
    args.push(q.correctness === 'correct' ? 1 : 0);
  }
  if (q.minConfidence !== null) {
    where.push('lp.probability >= ?');
    args.push(q.minConfidence);
  }
  if (q.maxConfidence !== null) {
    where.push('lp.probability <= ?');
    args.push(q.maxConfidence);
  }
  return { where, args };
}
