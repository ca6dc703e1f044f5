import { z } from 'zod';
import { MAX_CSV_BYTES, utf8Length } from './limits';
import { plainName } from './names';
import { method } from './define';
import type {
  Participant,
  RoundAnswer,
  RoundNext,
  StudyCreated,
  StudyExport,
  StudyImportResult,
  StudyResults,
  StudySummary,
} from './study-types';
import { REVEAL_MODES, STUDY_SPLITS } from './study-types';

/** Rounds per participant when the author does not say (and the pool is large enough). */
export const DEFAULT_STUDY_ROUNDS = 20;

const studyId = z.number().int().positive();
/** Pseudonyms only: short, printable, no path or markup characters to worry about anywhere. */
export const participantIdSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._@-]{0,63}$/, 'use letters, digits, space, . _ @ - (max 64)');
const cityName = plainName();

export const studyMethods = {
  /**
   * Creates a study. Photos: a split of the library (default test; never the model's training
   * photos), frozen at creation, or a fixed list (`imageIds` / `imagePaths`, as imported) that
   * every participant sees. Missing answers of the model are computed by a predict job.
   */
  'study.create': method<StudyCreated>()(
    z
      .object({
        name: z.string().trim().min(1).max(200),
        modelId: z.string().min(1).max(100).nullable().default(null),
        /** Default: the model's cities (every city of the library without a model). */
        cities: z.array(cityName).min(2).max(1000).nullable().default(null),
        split: z.enum(STUDY_SPLITS).default('test'),
        imageIds: z.array(z.number().int().positive()).max(100_000).nullable().default(null),
        imagePaths: z.array(z.string().min(1)).max(100_000).nullable().default(null),
        /** Default DEFAULT_STUDY_ROUNDS; a fixed list always shows all its photos. */
        rounds: z.number().int().min(1).max(100_000).nullable().default(null),
        /**
         * Paired comparison from a split: `rounds` photos drawn once (seeded) and shown to every
         * participant, each in their own order, instead of a fresh draw per participant.
         */
        paired: z.boolean().default(false),
        reveal: z.enum(REVEAL_MODES).default('reveal'),
        timeLimitMs: z.number().int().min(1000).max(3_600_000).nullable().default(null),
        consentText: z.string().trim().min(1).max(20_000).nullable().default(null),
        seed: z.number().int().nonnegative().max(0xffffffff).default(1),
      })
      .strict()
      .refine((p) => p.imageIds === null || p.imagePaths === null, {
        message: 'give imageIds or imagePaths, not both',
      })
      .refine((p) => !p.paired || (p.imageIds === null && p.imagePaths === null), {
        message: 'paired draws its photos from the split; a fixed list is already paired',
      }),
  ),
  'study.list': method<StudySummary[]>()(z.object({}).strict()),
  'study.get': method<StudySummary>()(z.object({ studyId }).strict()),
  /** Removes the study with its participants and trials (export first to keep them). */
  'study.remove': method<{ removed: number }>()(z.object({ studyId }).strict()),

  /**
   * Registers (or welcomes back) a participant. A study with consent text refuses anyone who has
   * not accepted it.
   */
  'participant.join': method<Participant>()(
    z
      .object({
        studyId,
        participantId: participantIdSchema,
        acceptConsent: z.boolean().default(false),
        /** Self-reported familiarity per city, 0 (never been) to 1 (lives there). */
        familiarity: z.record(cityName, z.number().min(0).max(1)).nullable().default(null),
      })
      .strict(),
  ),

  /**
   * The participant's current photo: the unanswered one if there is one (resume), else the next
   * of their seeded order. Carries neither the truth nor the model's answer.
   */
  'round.next': method<RoundNext>()(
    z.object({ studyId, participantId: participantIdSchema }).strict(),
  ),

  /** Commits a guess for the photo shown; reveals truth and model only in 'reveal' mode. */
  'round.answer': method<RoundAnswer>()(
    z
      .object({
        studyId,
        participantId: participantIdSchema,
        imageId: z.number().int().positive(),
        guess: cityName,
        confidence: z.number().min(0).max(1).nullable().default(null),
        /** Measured by the client, from the photo appearing to the commit. */
        responseMs: z.number().int().min(0).max(86_400_000),
      })
      .strict(),
  ),

  'study.results': method<StudyResults>()(z.object({ studyId }).strict()),
  /** Every answered trial, as records and as CSV (whose first columns `study.import` reads). */
  'study.export': method<StudyExport>()(z.object({ studyId }).strict()),
  /**
   * Merges trials recorded elsewhere from a CSV file: `participant,image,guess,response_ms`
   * (+ optional `confidence`). Bad rows are rejected with their line numbers; the others are kept.
   */
  'study.import': method<StudyImportResult>()(
    z
      .object({
        studyId,
        /** A CSV file the core can read (image paths may be relative to its folder)… */
        path: z.string().min(1).nullable().default(null),
        /** …or its text, as a browser page uploads it (image paths then must be as imported). */
        /** At most MAX_CSV_BYTES of UTF-8, as a file would be; the bridge carries that much. */
        csvText: z
          .string()
          .max(MAX_CSV_BYTES)
          .refine((t) => utf8Length(t) <= MAX_CSV_BYTES, {
            message: `the CSV text is too large; the limit is ${MAX_CSV_BYTES / 1024 / 1024} MB`,
          })
          .nullable()
          .default(null),
      })
      .strict()
      .refine((p) => (p.path === null) !== (p.csvText === null), {
        message: 'give exactly one of path or csvText',
      }),
  ),
};
