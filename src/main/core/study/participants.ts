// participant.join: pseudonymous participants, with consent where the study asks for it.
import { AppError } from '../../../shared/contract/errors';
import type { ParamsOut } from '../../../shared/contract/methods';
import type { Participant } from '../../../shared/contract/study-types';
import type { Sql } from '../db/sql';
import { loadStudy, type Study } from './study-repo';

type ParticipantRow = {
  study_id: number;
  participant_id: string;
  familiarity_json: string | null;
  consent_accepted_at: string | null;
  created_at: string;
};

export function participantOf(sql: Sql, study: Study, participantId: string): Participant {
  const row = sql.get<ParticipantRow>(
    'SELECT * FROM participants WHERE study_id = ? AND participant_id = ?',
    [study.id, participantId],
  );
  if (row === undefined) {
    throw new AppError(
      'NOT_FOUND',
      `"${participantId}" has not joined study ${study.id}; call participant.join first.`,
      { studyId: study.id, participantId },
    );
  }
  const answered = sql.get<{ n: number }>(
    `SELECT COUNT(*) AS n FROM trials
     WHERE study_id = ? AND participant_id = ? AND answered_at IS NOT NULL`,
    [study.id, participantId],
  )!.n;
  return {
    studyId: study.id,
    participantId,
    familiarity:
      row.familiarity_json === null
        ? null
        : (JSON.parse(row.familiarity_json) as Record<string, number>),
    consentAcceptedAt: row.consent_accepted_at,
    createdAt: row.created_at,
    answered,
    rounds: study.rounds,
  };
}

/** Adds a participant without a consent step (rows imported from another machine). */
export function ensureParticipant(sql: Sql, studyId: number, participantId: string): void {
  sql.run(
    `INSERT OR IGNORE INTO participants (study_id, participant_id, created_at) VALUES (?, ?, ?)`,
    [studyId, participantId, new Date().toISOString()],
  );
}

/**
 * Joins (or re-joins, to resume) a study. A study with consent text refuses a new participant
 * who has not accepted it; familiarity names must be the study's cities.
 */
export function joinStudy(sql: Sql, p: ParamsOut<'participant.join'>): Participant {
  const study = loadStudy(sql, p.studyId);
  let familiarity: Record<string, number> | null = null;
  if (p.familiarity !== null) {
    const byLower = new Map(study.cities.map((c) => [c.toLowerCase(), c]));
    familiarity = {};
    for (const [name, value] of Object.entries(p.familiarity)) {
      const city = byLower.get(name.toLowerCase());
      if (city === undefined) {
        throw new AppError('BAD_ARGUMENT', `"${name}" is not one of the study's cities.`, {
          city: name,
        });
      }
      familiarity[city] = value;
    }
  }
  const existing = sql.get<ParticipantRow>(
    'SELECT * FROM participants WHERE study_id = ? AND participant_id = ?',
    [study.id, p.participantId],
  );
  const now = new Date().toISOString();
  const consented = existing?.consent_accepted_at ?? (p.acceptConsent ? now : null);
  if (study.consentText !== null && consented === null) {
    throw new AppError(
      'BAD_ARGUMENT',
      'This study asks for consent: show its consent text and join with acceptConsent: true.',
      { studyId: study.id, consentText: study.consentText },
    );
  }
  if (existing === undefined) {
    sql.run(
      `INSERT INTO participants (study_id, participant_id, familiarity_json, consent_accepted_at,
                                 created_at)
       VALUES (?, ?, ?, ?, ?)`,
      [
        study.id,
        p.participantId,
        familiarity === null ? null : JSON.stringify(familiarity),
        consented,
        now,
      ],
    );
  } else {
    sql.run(
      `UPDATE participants SET consent_accepted_at = ?,
         familiarity_json = COALESCE(?, familiarity_json)
       WHERE study_id = ? AND participant_id = ?`,
      [
        consented,
        familiarity === null ? null : JSON.stringify(familiarity),
        study.id,
        p.participantId,
      ],
    );
  }
  return participantOf(sql, study, p.participantId);
}
