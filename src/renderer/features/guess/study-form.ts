// The "New study" form: its defaults and its checks, turning text fields into study.create params.
import type { ParamsIn } from '../../../shared/contract/methods';
import {
  inRange,
  numberParam,
  paramsShape,
  type NumberParam,
} from '../../../shared/contract/param-info';
import { DEFAULT_STUDY_ROUNDS, studyMethods } from '../../../shared/contract/study-methods';

export type StudyForm = {
  name: string;
  /** '' for a study without a model (humans only). */
  modelId: string;
  cities: string[];
  split: 'test' | 'val';
  rounds: string;
  /** Everyone sees the same photos (a paired comparison), drawn once with the seed. */
  paired: boolean;
  reveal: 'reveal' | 'pure';
  /** Seconds; '' for no limit. */
  timeLimit: string;
  consent: string;
  seed: string;
};

export type FormErrors = Partial<Record<keyof StudyForm, string>>;

export type Checked =
  { ok: true; value: ParamsIn<'study.create'> } | { ok: false; errors: FormErrors };

const createParams = paramsShape(studyMethods['study.create'].params);
const ROUNDS = numberParam(createParams.rounds);
const SEED = numberParam(createParams.seed);
/** The contract takes milliseconds; the form asks for whole seconds within the same limits. */
const TIME_LIMIT_MS = numberParam(createParams.timeLimitMs);
const TIME_LIMIT_S = {
  ...TIME_LIMIT_MS,
  min: Math.ceil((TIME_LIMIT_MS.min ?? 0) / 1000),
  max: Math.floor((TIME_LIMIT_MS.max ?? 0) / 1000),
};

/** Defaults: the model's cities (every library city without a model), test split, 20 rounds. */
export function defaultStudyForm(
  model: { id: string; classes: string[] } | null,
  libraryCities: readonly string[],
  now = new Date(),
): StudyForm {
  return {
    name: `Study ${now.toISOString().slice(0, 10)}`,
    modelId: model?.id ?? '',
    cities: [...(model?.classes ?? libraryCities)],
    split: 'test',
    rounds: String(DEFAULT_STUDY_ROUNDS),
    paired: createParams.paired.parse(undefined),
    reveal: createParams.reveal.parse(undefined),
    timeLimit: '',
    consent: '',
    seed: String(createParams.seed.parse(undefined)),
  };
}

/** Digits only (no sign, point or exponent), within the limits. */
const intIn = (text: string, range: NumberParam): number | null => {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return null;
  const n = Number(t);
  return inRange(n, range) ? n : null;
};

export function validateStudyForm(form: StudyForm): Checked {
  const errors: FormErrors = {};
  const name = form.name.trim();
  if (name === '') errors.name = 'Give the study a name.';
  if (form.cities.length < 2) errors.cities = 'Pick at least two cities.';
  const rounds = intIn(form.rounds, ROUNDS);
  if (rounds === null) errors.rounds = `A whole number of rounds, at least ${ROUNDS.min}.`;
  let timeLimitMs: number | null = null;
  if (form.timeLimit.trim() !== '') {
    const seconds = intIn(form.timeLimit, TIME_LIMIT_S);
    if (seconds === null) {
      errors.timeLimit = `Whole seconds from ${TIME_LIMIT_S.min} to ${TIME_LIMIT_S.max}, or empty for none.`;
    } else timeLimitMs = seconds * 1000;
  }
  const seed = intIn(form.seed, SEED);
  if (seed === null) errors.seed = `A whole number from ${SEED.min}.`;
  if (Object.keys(errors).length > 0 || rounds === null || seed === null)
    return { ok: false, errors };
  const consent = form.consent.trim();
  return {
    ok: true,
    value: {
      name,
      modelId: form.modelId === '' ? null : form.modelId,
      cities: form.cities,
      split: form.split,
      rounds,
      paired: form.paired,
      reveal: form.reveal,
      timeLimitMs,
      consentText: consent === '' ? null : consent,
      seed,
    },
  };
}

/** Toggles a city in the selection, keeping the order of `all`. */
export function toggleCity(selected: readonly string[], all: readonly string[], city: string) {
  const on = new Set(selected);
  if (on.has(city)) on.delete(city);
  else on.add(city);
  return all.filter((c) => on.has(c));
}
