import type { ParamsIn } from '../../../shared/contract/methods';
import { libraryMethods } from '../../../shared/contract/library-methods';
import type { SplitConfig } from '../../../shared/contract/library-types';
import { numberParam, paramsShape } from '../../../shared/contract/param-info';
import { numberInRange } from '../../ui/number-field';

/** The form keeps percentages as typed text; the contract wants fractions that add up to 1. */
export type SplitForm = {
  train: string;
  val: string;
  test: string;
  seed: string;
  spatial: boolean;
  spatialKm: string;
};
export type SplitField = Exclude<keyof SplitForm, 'spatial'> | 'sum';

// The contract's limits; the form shows the shares as percentages.
const splitParams = paramsShape(libraryMethods['split.assign'].params);
const SHARE = numberParam(splitParams.train);
const SHARE_PCT = { ...SHARE, min: (SHARE.min ?? 0) * 100, max: (SHARE.max ?? 1) * 100 };
const SEED = numberParam(splitParams.seed);
const SPATIAL_KM = numberParam(splitParams.spatialKm);

const pct = (fraction: number): string => String(Math.round(fraction * 10_000) / 100);

export function formFromConfig(config: SplitConfig): SplitForm {
  return {
    train: pct(config.train),
    val: pct(config.val),
    test: pct(config.test),
    seed: String(config.seed),
    spatial: config.spatialKm !== null,
    spatialKm: String(config.spatialKm ?? 1),
  };
}

type Checked =
  | { ok: true; value: ParamsIn<'split.assign'> }
  | { ok: false; errors: Partial<Record<SplitField, string>> };

export function validateSplit(form: SplitForm): Checked {
  const errors: Partial<Record<SplitField, string>> = {};
  const share = (field: 'train' | 'val' | 'test'): number => {
    const n = numberInRange(form[field], SHARE_PCT);
    if (n === null) errors[field] = `A percentage from ${SHARE_PCT.min} to ${SHARE_PCT.max}.`;
    return n ?? 0;
  };
  const train = share('train');
  const val = share('val');
  const test = share('test');
  if (Math.abs(train + val + test - 100) > 1e-6) {
    errors.sum = `Train, validation and test add up to ${train + val + test}%, not 100%.`;
  }
  const seed = numberInRange(form.seed, SEED);
  if (seed === null) errors.seed = `The seed is a whole number, ${SEED.min} or more.`;
  const km = numberInRange(form.spatialKm, SPATIAL_KM);
  if (form.spatial && km === null) {
    errors.spatialKm = `A distance above ${SPATIAL_KM.min} and at most ${SPATIAL_KM.max} km.`;
  }
  if (Object.keys(errors).length > 0 || seed === null) return { ok: false, errors };
  // Rounded fractions could miss 1 by a hair; the test share takes the remainder.
  const trainF = train / 100;
  const valF = val / 100;
  return {
    ok: true,
    value: {
      train: trainF,
      val: valF,
      test: Math.max(0, 1 - trainF - valF),
      seed,
      spatialKm: form.spatial ? km : null,
    },
  };
}
