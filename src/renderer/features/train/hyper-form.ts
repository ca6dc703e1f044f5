import type { ParamsIn } from '../../../shared/contract/methods';
import type { ImbalanceMode, OptimizerName } from '../../../shared/contract/ml-types';

/**
 * The paper's recipe as the contract's defaults (ml-methods.ts: hyperParamsSchema and
 * STAGE2_DEFAULTS; a test keeps the two equal): SGD with momentum 0.9, L2 1e-4, rate 0.01 divided
 * by 10 when validation accuracy stalls 3 epochs; stage 2 at a ten times smaller rate.
 */
export const PAPER_DEFAULTS = {
  views: 4,
  stage1: {
    epochs: 30,
    batchSize: 256,
    optimizer: 'sgd' as OptimizerName,
    learningRate: 0.01,
    momentum: 0.9,
    l2: 1e-4,
    lrDropFactor: 0.1,
    lrPatience: 3,
    earlyStopPatience: 8 as number | null,
    hidden: null as number | null,
    dropout: 0,
    imbalance: 'classWeights' as ImbalanceMode,
    seed: 1,
  },
  stage2: { epochs: 10, learningRate: 0.001 },
};

/** Everything as typed text, so a half-typed number is never lost. */
export type TrainForm = {
  name: string;
  backbone: string;
  views: string;
  seed: string;
  epochs: string;
  learningRate: string;
  batchSize: string;
  optimizer: OptimizerName;
  momentum: string;
  l2: string;
  lrDropFactor: string;
  lrPatience: string;
  earlyStop: string;
  hidden: string;
  dropout: string;
  imbalance: ImbalanceMode;
  stage2: boolean;
  stage2Epochs: string;
  stage2LearningRate: string;
};
export type TrainField = Exclude<keyof TrainForm, 'optimizer' | 'imbalance' | 'stage2'>;

export function defaultForm(backbone: string, now = new Date()): TrainForm {
  const s = PAPER_DEFAULTS.stage1;
  const stamp = now.toISOString().slice(0, 16).replace('T', ' ');
  return {
    name: `${backbone || 'model'} ${stamp}`,
    backbone,
    views: String(PAPER_DEFAULTS.views),
    seed: String(s.seed),
    epochs: String(s.epochs),
    learningRate: String(s.learningRate),
    batchSize: String(s.batchSize),
    optimizer: s.optimizer,
    momentum: String(s.momentum),
    l2: String(s.l2),
    lrDropFactor: String(s.lrDropFactor),
    lrPatience: String(s.lrPatience),
    earlyStop: s.earlyStopPatience === null ? '' : String(s.earlyStopPatience),
    hidden: s.hidden === null ? '' : String(s.hidden),
    dropout: String(s.dropout),
    imbalance: s.imbalance,
    stage2: true,
    stage2Epochs: String(PAPER_DEFAULTS.stage2.epochs),
    stage2LearningRate: String(PAPER_DEFAULTS.stage2.learningRate),
  };
}

type Checked =
  | { ok: true; value: ParamsIn<'train.start'> }
  | { ok: false; errors: Partial<Record<TrainField, string>> };

/** Checks the form field by field (the contract's ranges) and builds the train.start parameters. */
export function validateTrain(form: TrainForm): Checked {
  const errors: Partial<Record<TrainField, string>> = {};
  const num = (
    field: TrainField,
    opts: { int?: boolean; min: number; max: number; minExclusive?: boolean; blank?: true },
  ): number | null => {
    const text = form[field].trim();
    if (text === '' && opts.blank) return null;
    const n = Number(text);
    const low = opts.minExclusive ? n <= opts.min : n < opts.min;
    if (
      text === '' ||
      !Number.isFinite(n) ||
      low ||
      n > opts.max ||
      (opts.int && !Number.isInteger(n))
    ) {
      const kind = opts.int ? 'A whole number' : 'A number';
      const from = opts.minExclusive ? `above ${opts.min}` : `from ${opts.min}`;
      errors[field] = `${kind} ${from} to ${opts.max}${opts.blank ? ', or empty' : ''}.`;
      return 0;
    }
    return n;
  };
  const name = form.name.trim();
  if (name === '' || name.length > 100) errors.name = 'A name of 1 to 100 characters.';
  if (form.backbone === '') errors.backbone = 'Import a backbone in the Models view first.';
  const views = num('views', { int: true, min: 1, max: 16 }) ?? 0;
  const seed = num('seed', { int: true, min: 0, max: 0xffffffff }) ?? 0;
  const stage1 = {
    epochs: num('epochs', { int: true, min: 1, max: 1000 }) ?? 0,
    batchSize: num('batchSize', { int: true, min: 1, max: 8192 }) ?? 0,
    optimizer: form.optimizer,
    learningRate: num('learningRate', { min: 0, max: 10, minExclusive: true }) ?? 0,
    momentum: num('momentum', { min: 0, max: 0.999 }) ?? 0,
    l2: num('l2', { min: 0, max: 1 }) ?? 0,
    lrDropFactor: num('lrDropFactor', { min: 0, max: 1, minExclusive: true }) ?? 0,
    lrPatience: num('lrPatience', { int: true, min: 1, max: 100 }) ?? 0,
    earlyStopPatience: num('earlyStop', { int: true, min: 1, max: 1000, blank: true }),
    hidden: num('hidden', { int: true, min: 1, max: 8192, blank: true }),
    dropout: num('dropout', { min: 0, max: 0.95 }) ?? 0,
    imbalance: form.imbalance,
    seed,
  };
  const stage2Epochs = form.stage2 ? num('stage2Epochs', { int: true, min: 1, max: 1000 }) : null;
  const stage2Lr = form.stage2
    ? num('stage2LearningRate', { min: 0, max: 10, minExclusive: true })
    : null;
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  // Stage 2 keeps stage 1's optimiser, regularisation, imbalance handling and seed.
  const {
    epochs: _e,
    learningRate: _l,
    batchSize: _b,
    hidden: _h,
    dropout: _d,
    ...shared
  } = stage1;
  return {
    ok: true,
    value: {
      name,
      backbone: form.backbone,
      views,
      stage1,
      stage2:
        form.stage2 && stage2Epochs !== null && stage2Lr !== null
          ? { ...shared, epochs: stage2Epochs, learningRate: stage2Lr }
          : null,
    },
  };
}
