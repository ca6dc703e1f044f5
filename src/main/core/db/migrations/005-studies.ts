import type Database from 'better-sqlite3';
import type { Migration } from '../migration';

/**
 * Human-vs-model studies (issue #7). Design notes:
 * - `study_images` is the study's photo pool, in order: the fixed list for `photo_source =
 *   'images'`, or the split as it was at creation for 'split' (a snapshot, so photos imported or
 *   re-split later never change what a study shows, and each participant's seeded order stays
 *   reproducible after a restart).
 * - A trial row is written when its photo is first shown (`round.next`), with the truth and the
 *   model's answer captured then; the guess fills it in (`round.answer`). An unanswered row is
 *   the participant's current round, so quitting and resuming needs no other state.
 * - Cities are stored by name in trials: results stay readable if a city is removed later.
 * - Everything goes with its study (ON DELETE CASCADE); a removed model leaves its studies
 *   (model_id SET NULL) and the answers already captured in their trials.
 */
export const migration005Studies: Migration = {
  version: 5,
  name: '005-studies',
  up(db: Database.Database): void {
    db.exec(`
      CREATE TABLE studies (
        id            INTEGER PRIMARY KEY,
        name          TEXT NOT NULL,
        model_id      TEXT REFERENCES models (id) ON DELETE SET NULL,
        cities_json   TEXT NOT NULL,
        photo_source  TEXT NOT NULL CHECK (photo_source IN ('split', 'images')),
        photo_split   TEXT CHECK (photo_split IN ('train', 'val', 'test')),
        rounds        INTEGER NOT NULL CHECK (rounds > 0),
        reveal        TEXT NOT NULL CHECK (reveal IN ('reveal', 'pure')),
        time_limit_ms INTEGER CHECK (time_limit_ms > 0),
        consent_text  TEXT,
        seed          INTEGER NOT NULL,
        created_at    TEXT NOT NULL,
        CHECK ((photo_source = 'split') = (photo_split IS NOT NULL))
      ) STRICT;
      CREATE INDEX studies_model ON studies (model_id);

      CREATE TABLE study_images (
        study_id INTEGER NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
        position INTEGER NOT NULL CHECK (position >= 0),
        image_id INTEGER NOT NULL REFERENCES images (id) ON DELETE CASCADE,
        PRIMARY KEY (study_id, position),
        UNIQUE (study_id, image_id)
      ) STRICT;
      CREATE INDEX study_images_image ON study_images (image_id);

      CREATE TABLE participants (
        study_id            INTEGER NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
        participant_id      TEXT NOT NULL,
        familiarity_json    TEXT,
        consent_accepted_at TEXT,
        created_at          TEXT NOT NULL,
        PRIMARY KEY (study_id, participant_id)
      ) STRICT;

      CREATE TABLE trials (
        id                INTEGER PRIMARY KEY,
        study_id          INTEGER NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
        participant_id    TEXT NOT NULL,
        image_id          INTEGER NOT NULL REFERENCES images (id) ON DELETE CASCADE,
        round_index       INTEGER NOT NULL CHECK (round_index >= 1),
        shown_at          TEXT,
        answered_at       TEXT,
        response_ms       INTEGER CHECK (response_ms >= 0),
        guess_city        TEXT,
        confidence        REAL CHECK (confidence BETWEEN 0 AND 1),
        truth_city        TEXT NOT NULL,
        model_city        TEXT,
        model_probability REAL,
        model_top_json    TEXT,
        source            TEXT NOT NULL CHECK (source IN ('app', 'import')),
        FOREIGN KEY (study_id, participant_id)
          REFERENCES participants (study_id, participant_id) ON DELETE CASCADE,
        UNIQUE (study_id, participant_id, image_id),
        CHECK ((guess_city IS NULL) = (answered_at IS NULL))
      ) STRICT;
      CREATE INDEX trials_participant_round ON trials (study_id, participant_id, round_index);
      CREATE INDEX trials_image ON trials (image_id);
    `);
  },
};
