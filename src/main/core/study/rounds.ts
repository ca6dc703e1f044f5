// round.next and round.answer: the play loop. All state is in the trials table, so a participant
// resumes where they stopped after quitting, switching seats or restarting the app.
import { AppError } from '../../../shared/contract/errors';
import type { ParamsOut } from '../../../shared/contract/methods';
import type { RoundAnswer, RoundNext, RoundPrompt } from '../../../shared/contract/study-types';
import type { Sql } from '../db/sql';
import { modelAnswer } from './model-answer';
import { participantOrder } from './order';
import { participantOf } from './participants';
import { loadStudy, type Study } from './study-repo';

type TrialRow = {
  id: number;
  image_id: number;
  round_index: number;
  shown_at: string | null;
  answered_at: string | null;
  truth_city: string;
  model_city: string | null;
  model_probability: number | null;
  model_top_json: string | null;
};

function trialsOf(sql: Sql, studyId: number, participantId: string): TrialRow[] {
  return sql.all<TrialRow>(
    `SELECT id, image_id, round_index, shown_at, answered_at, truth_city, model_city,
            model_probability, model_top_json
     FROM trials WHERE study_id = ? AND participant_id = ? ORDER BY round_index`,
    [studyId, participantId],
  );
}

function score(sql: Sql, study: Study, participantId: string): RoundPrompt['score'] {
  if (study.reveal === 'pure') return null;
  return sql.get<{ correct: number; answered: number }>(
    `SELECT COALESCE(SUM(guess_city = truth_city), 0) AS correct, COUNT(*) AS answered
     FROM trials WHERE study_id = ? AND participant_id = ? AND answered_at IS NOT NULL`,
    [study.id, participantId],
  )!;
}

/** Only what a participant may see before guessing: no truth, nothing of the model. */
function prompt(sql: Sql, study: Study, participantId: string, t: TrialRow): RoundPrompt {
  return {
    done: false,
    studyId: study.id,
    participantId,
    imageId: t.image_id,
    round: t.round_index,
    rounds: study.rounds,
    timeLimitMs: study.timeLimitMs,
    cities: [...study.cities],
    shownAt: t.shown_at ?? '',
    score: score(sql, study, participantId),
  };
}

export function nextRound(sql: Sql, p: ParamsOut<'round.next'>): RoundNext {
  return sql.transaction(() => {
    const study = loadStudy(sql, p.studyId);
    participantOf(sql, study, p.participantId);
    const trials = trialsOf(sql, study.id, p.participantId);
    const open = trials.find((t) => t.answered_at === null);
    if (open !== undefined) return prompt(sql, study, p.participantId, open);
    const answered = trials.length;
    const done: RoundNext = {
      done: true,
      studyId: study.id,
      participantId: p.participantId,
      answered,
    };
    if (answered >= study.rounds) return done;
    const pool = sql
      .all<{ image_id: number }>(
        'SELECT image_id FROM study_images WHERE study_id = ? ORDER BY position',
        [study.id],
      )
      .map((r) => r.image_id);
    const seen = new Set(trials.map((t) => t.image_id));
    const imageId = participantOrder(pool, study.seed, p.participantId).find((id) => !seen.has(id));
    if (imageId === undefined) return done;
    const truth = sql.get<{ city: string | null }>(
      'SELECT c.name AS city FROM images i LEFT JOIN cities c ON c.id = i.city_id WHERE i.id = ?',
      [imageId],
    )?.city;
    if (truth === undefined || truth === null) {
      throw new AppError('CONFLICT', `Photo ${imageId} lost its label since the study began.`, {
        imageId,
      });
    }
    // The model's answer is captured now, before the photo is shown, so nothing the model does
    // later (retraining, re-prediction, removal) changes what this trial compares against.
    const model = study.modelId === null ? null : modelAnswer(sql, study.modelId, imageId);
    if (study.modelId !== null && model === null) {
      throw new AppError(
        'CONFLICT',
        "The model's answers for this study are still being computed; try again in a moment.",
        { studyId: study.id, imageId },
      );
    }
    const round = Math.max(0, ...trials.map((t) => t.round_index)) + 1;
    const shownAt = new Date().toISOString();
    const id = Number(
      sql.run(
        `INSERT INTO trials (study_id, participant_id, image_id, round_index, shown_at, truth_city,
                             model_city, model_probability, model_top_json, source)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'app')`,
        [
          study.id,
          p.participantId,
          imageId,
          round,
          shownAt,
          truth,
          model?.city ?? null,
          model?.probability ?? null,
          model === null ? null : JSON.stringify(model.top3),
        ],
      ).lastInsertRowid,
    );
    return prompt(sql, study, p.participantId, {
      id,
      image_id: imageId,
      round_index: round,
      shown_at: shownAt,
      answered_at: null,
      truth_city: truth,
      model_city: null,
      model_probability: null,
      model_top_json: null,
    });
  });
}

export function answerRound(sql: Sql, p: ParamsOut<'round.answer'>): RoundAnswer {
  return sql.transaction(() => {
    const study = loadStudy(sql, p.studyId);
    participantOf(sql, study, p.participantId);
    const guess = study.cities.find((c) => c.toLowerCase() === p.guess.toLowerCase());
    if (guess === undefined) {
      throw new AppError(
        'BAD_ARGUMENT',
        `"${p.guess}" is not one of the study's cities (${study.cities.join(', ')}).`,
        { guess: p.guess },
      );
    }
    const trial = trialsOf(sql, study.id, p.participantId).find((t) => t.image_id === p.imageId);
    if (trial === undefined) {
      throw new AppError(
        'BAD_ARGUMENT',
        `Photo ${p.imageId} has not been shown to "${p.participantId}"; call round.next first.`,
        { imageId: p.imageId },
      );
    }
    if (trial.answered_at !== null) {
      throw new AppError('CONFLICT', `Round ${trial.round_index} is already answered.`, {
        round: trial.round_index,
      });
    }
    sql.run(
      `UPDATE trials SET guess_city = ?, confidence = ?, response_ms = ?, answered_at = ?
       WHERE id = ?`,
      [guess, p.confidence, p.responseMs, new Date().toISOString(), trial.id],
    );
    if (study.reveal === 'pure')
      return { recorded: true, round: trial.round_index, revealed: null };
    return {
      recorded: true,
      round: trial.round_index,
      revealed: {
        truth: trial.truth_city,
        correct: guess === trial.truth_city,
        model:
          trial.model_city === null
            ? null
            : {
                city: trial.model_city,
                probability: trial.model_probability ?? 0,
                top3: JSON.parse(trial.model_top_json ?? '[]') as {
                  city: string;
                  probability: number;
                }[],
                correct: trial.model_city === trial.truth_city,
              },
      },
    };
  });
}
