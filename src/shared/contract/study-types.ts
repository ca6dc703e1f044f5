import type { CityProbability } from './ml-types';

/**
 * Result shapes of human-vs-model studies (issue #7). A study shows photos to people, records
 * their guesses and compares them with a model's answers on the same photos. What a participant
 * may see before committing a guess is deliberately narrow: `RoundPrompt` carries neither the
 * truth nor anything the model said.
 */

export const REVEAL_MODES = ['reveal', 'pure'] as const;
/** 'reveal': truth and model answer after each guess; 'pure': nothing until the study ends. */
export type RevealMode = (typeof REVEAL_MODES)[number];

export const STUDY_SPLITS = ['train', 'val', 'test'] as const;

/** Where a study's photos come from: a split of the library, or a fixed list everyone sees. */
export type StudySource =
  { kind: 'split'; split: (typeof STUDY_SPLITS)[number] } | { kind: 'images' };

export type StudySummary = {
  id: number;
  name: string;
  /** Null when the study has no model or its model was removed. */
  modelId: string | null;
  cities: string[];
  source: StudySource;
  /** Photos each participant is shown. */
  rounds: number;
  reveal: RevealMode;
  timeLimitMs: number | null;
  consentText: string | null;
  seed: number;
  createdAt: string;
  /** Photos in the study's pool (the whole fixed list, or the split as it was at creation). */
  images: number;
  participants: number;
  /** Answered trials. */
  trials: number;
  /** Pool photos without a stored answer of the model yet (their rounds wait for it). */
  modelAnswersMissing: number;
};

export type StudyCreated = StudySummary & {
  /** The predict job computing the model's missing answers, or null when none was needed. */
  predictJobId: string | null;
  /** Things the author should know (e.g. fixed-list photos the model was trained on). */
  warnings: string[];
};

export type Participant = {
  studyId: number;
  /** Pseudonymous id, unique within the study. */
  participantId: string;
  /** Self-reported familiarity per city (0..1), when given. */
  familiarity: Record<string, number> | null;
  consentAcceptedAt: string | null;
  createdAt: string;
  answered: number;
  rounds: number;
};

/** A photo to guess. Never the truth, never the model's answer. */
export type RoundPrompt = {
  done: false;
  studyId: number;
  participantId: string;
  imageId: number;
  /** 1-based. */
  round: number;
  rounds: number;
  timeLimitMs: number | null;
  cities: string[];
  /** When the server first showed this photo (a resumed round keeps its time). */
  shownAt: string;
  /** Correct guesses so far; null in 'pure' mode, where nothing is revealed until the end. */
  score: { correct: number; answered: number } | null;
};

export type RoundsDone = { done: true; studyId: number; participantId: string; answered: number };

export type RoundNext = RoundPrompt | RoundsDone;

/** Shown after a guess in 'reveal' mode. */
export type RoundReveal = {
  truth: string;
  correct: boolean;
  /** Null when the study has no model. */
  model: { city: string; probability: number; top3: CityProbability[]; correct: boolean } | null;
};

export type RoundAnswer = {
  recorded: true;
  round: number;
  /** Null in 'pure' mode. */
  revealed: RoundReveal | null;
};

export type TrialRecord = {
  participant: string;
  imageId: number;
  image: string;
  round: number;
  guess: string;
  confidence: number | null;
  responseMs: number | null;
  truth: string;
  correct: boolean;
  modelCity: string | null;
  modelProbability: number | null;
  modelTop3: CityProbability[] | null;
  shownAt: string | null;
  answeredAt: string;
  source: 'app' | 'import';
};

export type StudyExport = { studyId: number; trials: TrialRecord[]; csv: string };

export type ImportRejection = { line: number; reason: string };

export type StudyImportResult = {
  /** Rows that became new trials (or completed an unanswered one). */
  merged: number;
  /** Rows already recorded with the same guess (re-imports are idempotent). */
  unchanged: number;
  rejected: ImportRejection[];
};

export type AccuracyCell = { n: number; correct: number; accuracy: number | null };

export type StudyResults = {
  studyId: number;
  /** Answered trials. */
  n: number;
  humanAccuracy: number | null;
  /** Wilson 95% interval of humanAccuracy. */
  humanCI: [number, number];
  /** The paired comparison: trials for which the model's answer was recorded. */
  paired: number;
  /** On the paired trials; null without a model. */
  modelAccuracy: number | null;
  modelCI: [number, number] | null;
  /** Paired human accuracy (equals humanAccuracy when every trial has a model answer). */
  pairedHumanAccuracy: number | null;
  /** Exact two-sided McNemar p on the paired trials. */
  mcnemarP: number | null;
  /** Cohen's kappa, human guess vs model guess. */
  kappa: number | null;
  perParticipant: (AccuracyCell & { participantId: string; ci: [number, number] })[];
  perCity: {
    city: string;
    human: AccuracyCell;
    /** On the paired trials of this city. */
    model: AccuracyCell | null;
  }[];
  /** Rows: truth (`cities`), columns: guess (`columns`, the cities then any other guessed). */
  confusion: {
    cities: string[];
    columns: string[];
    human: number[][];
    /** On the paired trials; null without a model. */
    model: number[][] | null;
  };
  byRound: (AccuracyCell & { round: number })[];
  responseMs: {
    n: number;
    mean: number | null;
    median: number | null;
    p10: number | null;
    p90: number | null;
    min: number | null;
    max: number | null;
  };
  /** GeoGuessr-style mean scores (5000 = right city); null when city centres are unknown. */
  distanceScore: { human: number | null; model: number | null };
};
