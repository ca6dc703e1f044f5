// Studies as rows: reading one (or all) back as the contract's StudySummary.
import { AppError } from '../../../shared/contract/errors';
import type { RevealMode, StudySummary } from '../../../shared/contract/study-types';
import type { Sql } from '../db/sql';

export type StudyRow = {
  id: number;
  name: string;
  model_id: string | null;
  cities_json: string;
  photo_source: 'split' | 'images';
  photo_split: 'train' | 'val' | 'test' | null;
  rounds: number;
  reveal: RevealMode;
  time_limit_ms: number | null;
  consent_text: string | null;
  seed: number;
  created_at: string;
};

/** A study as the core uses it. */
export type Study = {
  id: number;
  modelId: string | null;
  cities: string[];
  rounds: number;
  reveal: RevealMode;
  timeLimitMs: number | null;
  consentText: string | null;
  seed: number;
};

export function studyRow(sql: Sql, id: number): StudyRow {
  const row = sql.get<StudyRow>('SELECT * FROM studies WHERE id = ?', [id]);
  if (row === undefined)
    throw new AppError('NOT_FOUND', `No study with id ${id}.`, { studyId: id });
  return row;
}

export function loadStudy(sql: Sql, id: number): Study {
  const r = studyRow(sql, id);
  return {
    id: r.id,
    modelId: r.model_id,
    cities: JSON.parse(r.cities_json) as string[],
    rounds: r.rounds,
    reveal: r.reveal,
    timeLimitMs: r.time_limit_ms,
    consentText: r.consent_text,
    seed: r.seed,
  };
}

/** Pool photos whose model answer is not stored yet (0 without a model). */
export function missingModelAnswers(sql: Sql, studyId: number, modelId: string | null): number[] {
  if (modelId === null) return [];
  return sql
    .all<{ image_id: number }>(
      `SELECT s.image_id FROM study_images s
       WHERE s.study_id = ? AND NOT EXISTS
         (SELECT 1 FROM predictions p WHERE p.model_id = ? AND p.image_id = s.image_id)
       ORDER BY s.position`,
      [studyId, modelId],
    )
    .map((r) => r.image_id);
}

function toSummary(sql: Sql, r: StudyRow): StudySummary {
  const counts = sql.get<{ images: number; participants: number; trials: number }>(
    `SELECT (SELECT COUNT(*) FROM study_images WHERE study_id = @id) AS images,
            (SELECT COUNT(*) FROM participants WHERE study_id = @id) AS participants,
            (SELECT COUNT(*) FROM trials WHERE study_id = @id AND answered_at IS NOT NULL) AS trials`,
    { id: r.id },
  )!;
  return {
    id: r.id,
    name: r.name,
    modelId: r.model_id,
    cities: JSON.parse(r.cities_json) as string[],
    source:
      r.photo_source === 'images'
        ? { kind: 'images' }
        : { kind: 'split', split: r.photo_split ?? 'test' },
    rounds: r.rounds,
    reveal: r.reveal,
    timeLimitMs: r.time_limit_ms,
    consentText: r.consent_text,
    seed: r.seed,
    createdAt: r.created_at,
    ...counts,
    modelAnswersMissing: missingModelAnswers(sql, r.id, r.model_id).length,
  };
}

export function getStudy(sql: Sql, id: number): StudySummary {
  return toSummary(sql, studyRow(sql, id));
}

export function listStudies(sql: Sql): StudySummary[] {
  return sql.all<StudyRow>('SELECT * FROM studies ORDER BY id DESC').map((r) => toSummary(sql, r));
}

export function removeStudy(sql: Sql, id: number): { removed: number } {
  studyRow(sql, id);
  sql.run('DELETE FROM studies WHERE id = ?', [id]);
  return { removed: id };
}
