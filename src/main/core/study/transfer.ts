// study.export and study.import: trials out as CSV/JSON, and trials recorded on another machine
// merged back in. The export's first columns are exactly what the import reads, so a round trip
// between two copies of a library works.
import { dirname, resolve } from 'node:path';
import { AppError } from '../../../shared/contract/errors';
import { MAX_CSV_BYTES } from '../../../shared/contract/limits';
import type { CityProbability } from '../../../shared/contract/ml-types';
import { participantIdSchema } from '../../../shared/contract/study-methods';
import type {
  ImportRejection,
  StudyExport,
  StudyImportResult,
  TrialRecord,
} from '../../../shared/contract/study-types';
import type { Sql } from '../db/sql';
import { CsvSyntaxError, csvText, readCsvRows, type CsvRow } from '../csv/csv-text';
import { readTextFile, TextFileError } from '../csv/read-text-file';
import { modelAnswer } from './model-answer';
import { ensureParticipant } from './participants';
import { loadStudy, type Study } from './study-repo';

type ExportRow = {
  participant_id: string;
  image_id: number;
  path: string;
  round_index: number;
  guess_city: string;
  confidence: number | null;
  response_ms: number | null;
  truth_city: string;
  model_city: string | null;
  model_probability: number | null;
  model_top_json: string | null;
  shown_at: string | null;
  answered_at: string;
  source: 'app' | 'import';
};

const CSV_COLUMNS = [
  'participant',
  'image',
  'guess',
  'response_ms',
  'confidence',
  'round',
  'truth',
  'correct',
  'model_city',
  'model_probability',
  'model_top3',
  'shown_at',
  'answered_at',
  'source',
] as const;

/** Every answered trial (an unanswered one is a photo on screen, not a result). */
export function exportStudy(sql: Sql, studyId: number): StudyExport {
  loadStudy(sql, studyId);
  const trials: TrialRecord[] = sql
    .all<ExportRow>(
      `SELECT t.*, i.path FROM trials t JOIN images i ON i.id = t.image_id
       WHERE t.study_id = ? AND t.answered_at IS NOT NULL
       ORDER BY t.participant_id, t.round_index`,
      [studyId],
    )
    .map((r) => ({
      participant: r.participant_id,
      imageId: r.image_id,
      image: r.path,
      round: r.round_index,
      guess: r.guess_city,
      confidence: r.confidence,
      responseMs: r.response_ms,
      truth: r.truth_city,
      correct: r.guess_city === r.truth_city,
      modelCity: r.model_city,
      modelProbability: r.model_probability,
      modelTop3:
        r.model_top_json === null ? null : (JSON.parse(r.model_top_json) as CityProbability[]),
      shownAt: r.shown_at,
      answeredAt: r.answered_at,
      source: r.source,
    }));
  const rows = trials.map((t) => [
    t.participant,
    t.image,
    t.guess,
    t.responseMs,
    t.confidence,
    t.round,
    t.truth,
    t.correct,
    t.modelCity,
    t.modelProbability,
    t.modelTop3 === null ? null : t.modelTop3.map((c) => `${c.city}:${c.probability}`).join(';'),
    t.shownAt,
    t.answeredAt,
    t.source,
  ]);
  return { studyId, trials, csv: csvText(CSV_COLUMNS, rows) };
}

type Row = {
  participant: string;
  imageId: number;
  truth: string;
  guess: string;
  responseMs: number | null;
  confidence: number | null;
};

/** Checks one CSV row; returns the trial it describes or why it is rejected. */
function readRow(
  sql: Sql,
  study: Study,
  /** The CSV file's folder, for image paths relative to it; null for uploaded text. */
  baseDir: string | null,
  get: (column: string) => string,
): Row | string {
  const participant = participantIdSchema.safeParse(get('participant'));
  if (!participant.success) return `bad participant id "${get('participant')}"`;
  const path = get('image');
  if (path === '') return 'no image';
  // As imported, else relative to the CSV file's folder (when there is one).
  const candidates = baseDir === null ? [path] : [path, resolve(baseDir, path)];
  let image: { id: number; truth: string | null } | undefined;
  for (const candidate of candidates) {
    image = sql.get<{ id: number; truth: string | null }>(
      `SELECT i.id, c.name AS truth FROM study_images s JOIN images i ON i.id = s.image_id
       LEFT JOIN cities c ON c.id = i.city_id WHERE s.study_id = ? AND i.path = ?`,
      [study.id, candidate],
    );
    if (image !== undefined) break;
  }
  if (image === undefined) return `unknown image "${path}" (not one of the study's photos)`;
  if (image.truth === null || !study.cities.includes(image.truth)) {
    return `image "${path}" is not labelled with one of the study's cities`;
  }
  const guess = study.cities.find((c) => c.toLowerCase() === get('guess').toLowerCase());
  if (guess === undefined) return `unknown city "${get('guess')}"`;
  const ms = get('response_ms');
  const responseMs = ms === '' ? null : Number(ms);
  if (responseMs !== null && !(Number.isInteger(responseMs) && responseMs >= 0)) {
    return `bad response_ms "${ms}"`;
  }
  const conf = get('confidence');
  const confidence = conf === '' ? null : Number(conf);
  if (confidence !== null && !(confidence >= 0 && confidence <= 1)) {
    return `bad confidence "${conf}" (0 to 1)`;
  }
  return {
    participant: participant.data,
    imageId: image.id,
    truth: image.truth,
    guess,
    responseMs,
    confidence,
  };
}

/** Adds the row as a trial; 'unchanged' when the same answer is already there. */
function mergeRow(sql: Sql, study: Study, row: Row): 'merged' | 'unchanged' | { reason: string } {
  const existing = sql.get<{ id: number; guess_city: string | null }>(
    'SELECT id, guess_city FROM trials WHERE study_id = ? AND participant_id = ? AND image_id = ?',
    [study.id, row.participant, row.imageId],
  );
  const now = new Date().toISOString();
  if (existing !== undefined) {
    if (existing.guess_city === row.guess) return 'unchanged';
    if (existing.guess_city !== null) {
      return {
        reason: `"${row.participant}" already answered this photo with ${existing.guess_city}`,
      };
    }
    sql.run(
      `UPDATE trials SET guess_city = ?, confidence = ?, response_ms = ?, answered_at = ?
       WHERE id = ?`,
      [row.guess, row.confidence, row.responseMs, now, existing.id],
    );
    return 'merged';
  }
  ensureParticipant(sql, study.id, row.participant);
  const round =
    sql.get<{ r: number }>(
      'SELECT COALESCE(MAX(round_index), 0) AS r FROM trials WHERE study_id = ? AND participant_id = ?',
      [study.id, row.participant],
    )!.r + 1;
  const model = study.modelId === null ? null : modelAnswer(sql, study.modelId, row.imageId);
  sql.run(
    `INSERT INTO trials (study_id, participant_id, image_id, round_index, shown_at, answered_at,
                         response_ms, guess_city, confidence, truth_city, model_city,
                         model_probability, model_top_json, source)
     VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, 'import')`,
    [
      study.id,
      row.participant,
      row.imageId,
      round,
      now,
      row.responseMs,
      row.guess,
      row.confidence,
      row.truth,
      model?.city ?? null,
      model?.probability ?? null,
      model === null ? null : JSON.stringify(model.top3),
    ],
  );
  return 'merged';
}

const REQUIRED = ['participant', 'image', 'guess', 'response_ms'] as const;

/**
 * Merges a CSV of trials. Images are matched by their path as imported (or relative to the CSV's
 * folder) among the study's photos, guesses by city name. Rejected rows are reported with their
 * line numbers; all other rows are kept. Re-importing the same rows changes nothing.
 */
export async function importStudy(
  sql: Sql,
  studyId: number,
  source: { path: string } | { csvText: string },
): Promise<StudyImportResult> {
  const study = loadStudy(sql, studyId);
  // Uploaded text has no folder: its image paths must be exactly as imported.
  const file = 'path' in source ? resolve(source.path) : 'the uploaded CSV';
  let text: string;
  if ('csvText' in source) {
    text = source.csvText;
  } else {
    try {
      text = await readTextFile(file, MAX_CSV_BYTES);
    } catch (error) {
      if (error instanceof TextFileError) {
        throw new AppError('BAD_ARGUMENT', `${file}: ${error.message}`, {
          path: source.path,
          line: error.line,
        });
      }
      throw new AppError('IO_ERROR', `Cannot read ${file}: ${(error as Error).message}`, {
        path: source.path,
      });
    }
  }
  let parsed: CsvRow[];
  try {
    parsed = readCsvRows(text);
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    throw new AppError('BAD_ARGUMENT', `${file} is not a CSV file: ${error.message}`, {
      line: error.line,
    });
  }
  const [header, ...rows] = parsed;
  const columns = new Map((header?.cells ?? []).map((c, i) => [c.trim().toLowerCase(), i]));
  const absent = REQUIRED.filter((c) => !columns.has(c));
  if (absent.length > 0) {
    throw new AppError(
      'BAD_ARGUMENT',
      `${file} needs a header line with ${REQUIRED.join(',')} (missing: ${absent.join(', ')}).`,
      { missing: absent },
    );
  }
  const rejected: ImportRejection[] = [];
  let merged = 0;
  let unchanged = 0;
  sql.transaction(() => {
    for (const { line, cells } of rows) {
      const get = (column: string): string => {
        const i = columns.get(column);
        return i === undefined ? '' : (cells[i] ?? '').trim();
      };
      const row = readRow(sql, study, 'path' in source ? dirname(file) : null, get);
      const outcome = typeof row === 'string' ? { reason: row } : mergeRow(sql, study, row);
      if (outcome === 'merged') merged++;
      else if (outcome === 'unchanged') unchanged++;
      else rejected.push({ line, reason: outcome.reason });
    }
  });
  return { merged, unchanged, rejected };
}
