import type { ParamsIn } from '../../../shared/contract/methods';
import {
  hyperParamsSchema,
  mlMethods,
  resolveHyperParams,
  STAGE2_DEFAULTS,
} from '../../../shared/contract/ml-methods';
import type { ImbalanceMode, OptimizerName } from '../../../shared/contract/ml-types';
import {
  numberParam,
  paramsShape,
  textParam,
  type NumberParam,
} from '../../../shared/contract/param-info';
import { numberInRange, rangeMessage } from '../../ui/number-field';

const trainParams = paramsShape(mlMethods['train.start'].params);
const hyper = hyperParamsSchema.shape;

/**
 * The paper's recipe, read from the contract's defaults (hyperParamsSchema, STAGE2_DEFAULTS):
 * SGD with momentum 0.9, L2 1e-4, rate 0.01 divided by 10 when validation accuracy stalls 3
 * epochs; stage 2 at a ten times smaller rate.
 */
export const PAPER_DEFAULTS = {
  views: trainParams.views.parse(undefined),
  stage1: resolveHyperParams({}),
  stage2: { epochs: STAGE2_DEFAULTS.epochs, learningRate: STAGE2_DEFAULTS.learningRate },
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

type NumberField = Exclude<TrainField, 'name' | 'backbone'>;

/** Each number field's limits, as the contract checks them (stage 2 takes stage 1's). */
export const TRAIN_RANGES: Readonly<Record<NumberField, NumberParam>> = {
  views: numberParam(trainParams.views),
  seed: numberParam(hyper.seed),
  epochs: numberParam(hyper.epochs),
  learningRate: numberParam(hyper.learningRate),
  batchSize: numberParam(hyper.batchSize),
  momentum: numberParam(hyper.momentum),
  l2: numberParam(hyper.l2),
  lrDropFactor: numberParam(hyper.lrDropFactor),
  lrPatience: numberParam(hyper.lrPatience),
  earlyStop: numberParam(hyper.earlyStopPatience),
  hidden: numberParam(hyper.hidden),
  dropout: numberParam(hyper.dropout),
  stage2Epochs: numberParam(hyper.epochs),
  stage2LearningRate: numberParam(hyper.learningRate),
};
const NAME = textParam(trainParams.name);

/** Checks the form field by field (the contract's ranges) and builds the train.start parameters. */
export function validateTrain(form: TrainForm): Checked {
  const errors: Partial<Record<TrainField, string>> = {};
  /** The field's number; null for an empty field the contract allows as null (0 on an error). */
  const num = (field: NumberField): number | null => {
    const range = TRAIN_RANGES[field];
    const text = form[field].trim();
    if (text === '' && range.nullable) return null;
    const n = numberInRange(text, range);
    if (n === null) errors[field] = rangeMessage(range);
    return n ?? 0;
  };
  const name = form.name.trim();
  if (name.length < NAME.minLength || name.length > NAME.maxLength) {
    errors.name = `A name of ${NAME.minLength} to ${NAME.maxLength} characters.`;
  }
  if (form.backbone === '') errors.backbone = 'Import a backbone in the Models view first.';
  const views = num('views') ?? 0;
  const seed = num('seed') ?? 0;
  const stage1 = {
    epochs: num('epochs') ?? 0,
    batchSize: num('batchSize') ?? 0,
    optimizer: form.optimizer,
    learningRate: num('learningRate') ?? 0,
    momentum: num('momentum') ?? 0,
    l2: num('l2') ?? 0,
    lrDropFactor: num('lrDropFactor') ?? 0,
    lrPatience: num('lrPatience') ?? 0,
    earlyStopPatience: num('earlyStop'),
    hidden: num('hidden'),
    dropout: num('dropout') ?? 0,
    imbalance: form.imbalance,
    seed,
  };
  const stage2Epochs = form.stage2 ? num('stage2Epochs') : null;
  const stage2Lr = form.stage2 ? num('stage2LearningRate') : null;
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
