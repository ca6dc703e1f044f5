import { useState } from 'react';
import type { FormEvent } from 'react';
import type { BackboneSummary, BackendReport } from '../../../shared/contract/ml-types';
import type { ParamsIn } from '../../../shared/contract/methods';
import { BUNDLED_BACKBONE } from '../../../shared/domain/bundled-backbone';
import { navigate } from '../../ui/nav';
import { defaultForm, validateTrain, type TrainField, type TrainForm as Form } from './hyper-form';
import { SplitSummary } from './SplitSummary';

const IMBALANCE_LABELS = {
  classWeights: 'Weight the loss by inverse city frequency',
  balancedSampling: 'Sample cities equally in each batch',
  none: 'None (plain cross-entropy)',
} as const;

/**
 * The library's backbones, then the built-in one when the library has not imported it yet (the
 * first job that names it imports it from the app's assets): a fresh library can train at once.
 */
function backboneChoices(backbones: BackboneSummary[]): { name: string; label: string }[] {
  const choices = backbones.map((b) => ({
    name: b.name,
    label: `${b.name} (${b.featureDim} features${b.name === BUNDLED_BACKBONE.name ? ', built in' : ''})`,
  }));
  if (!backbones.some((b) => b.name === BUNDLED_BACKBONE.name)) {
    choices.push({
      name: BUNDLED_BACKBONE.name,
      label: `${BUNDLED_BACKBONE.name} (built in, imported on first use)`,
    });
  }
  return choices;
}

/** Backbone, name, seed and both stages' hyper-parameters, pre-filled with the paper's recipe. */
export function TrainForm(props: {
  backbones: BackboneSummary[];
  backend: BackendReport | null;
  busy: boolean;
  onStart: (params: ParamsIn<'train.start'>) => void;
}) {
  const choices = backboneChoices(props.backbones);
  const first = choices[0]?.name ?? '';
  const [form, setForm] = useState<Form>(() => defaultForm(first));
  const [errors, setErrors] = useState<Partial<Record<TrainField, string>>>({});
  // The backbone list may arrive after the form: pick the first one then.
  const backbone =
    form.backbone !== '' && choices.some((b) => b.name === form.backbone) ? form.backbone : first;

  const set = <K extends keyof Form>(key: K, value: Form[K]): void =>
    setForm((f) => ({ ...f, [key]: value }));

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const checked = validateTrain({ ...form, backbone });
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    props.onStart(checked.value);
  };

  const field = (
    key: TrainField,
    label: string,
    hint?: string,
    disabled = false,
    title?: string,
  ) => (
    <div className="field" key={key} title={title}>
      <label htmlFor={`train-${key}`}>{label}</label>
      <input
        id={`train-${key}`}
        type="text"
        inputMode="decimal"
        value={form[key]}
        placeholder={hint}
        disabled={props.busy || disabled}
        aria-invalid={errors[key] !== undefined}
        onChange={(e) => set(key, e.target.value)}
      />
      {errors[key] !== undefined && <span className="field-error">{errors[key]}</span>}
    </div>
  );

  return (
    <form
      className="card train-form"
      onSubmit={submit}
      noValidate
      aria-labelledby="train-form-title"
      data-testid="train-form"
    >
      <h2 id="train-form-title">New training run</h2>
      <div className="field-grid">
        <div className="field ml-wide">
          <label htmlFor="train-backbone">Backbone</label>
          <select
            id="train-backbone"
            value={backbone}
            disabled={props.busy || choices.length === 0}
            aria-invalid={errors.backbone !== undefined}
            onChange={(e) => set('backbone', e.target.value)}
          >
            {choices.map((b) => (
              <option key={b.name} value={b.name}>
                {b.label}
              </option>
            ))}
          </select>
          {choices.length === 0 && (
            <span className="field-error">
              No backbone yet.{' '}
              <button type="button" className="link-button" onClick={() => navigate('models')}>
                Import one in Models
              </button>
            </span>
          )}
        </div>
        <div className="field train-name">
          <label htmlFor="train-name">Model name</label>
          <input
            id="train-name"
            type="text"
            value={form.name}
            disabled={props.busy}
            aria-invalid={errors.name !== undefined}
            onChange={(e) => set('name', e.target.value)}
          />
          {errors.name !== undefined && <span className="field-error">{errors.name}</span>}
        </div>
        <SplitSummary refresh={props.busy ? 'busy' : 'idle'} />
        {field('seed', 'Seed')}
        {field(
          'views',
          'Views per photo',
          undefined,
          false,
          'Augmented crops cached per training photo',
        )}
      </div>

      <fieldset className="ml-fieldset" disabled={props.busy}>
        <legend>Stage 1 · classifier head on cached features</legend>
        <div className="field-grid">
          {field('epochs', 'Epochs')}
          {field('learningRate', 'Learning rate')}
          {field('batchSize', 'Batch size')}
          <div className="field">
            <label htmlFor="train-optimizer">Optimizer</label>
            <select
              id="train-optimizer"
              value={form.optimizer}
              onChange={(e) => set('optimizer', e.target.value === 'adam' ? 'adam' : 'sgd')}
            >
              <option value="sgd">SGD + momentum</option>
              <option value="adam">Adam</option>
            </select>
          </div>
          {field('momentum', 'Momentum', undefined, form.optimizer !== 'sgd')}
          {field('l2', 'L2 penalty')}
          {field('hidden', 'Hidden units', 'none')}
          {field('dropout', 'Dropout')}
          <div className="field train-imbalance">
            <label htmlFor="train-imbalance">Class imbalance</label>
            <select
              id="train-imbalance"
              value={form.imbalance}
              onChange={(e) =>
                set(
                  'imbalance',
                  e.target.value === 'none' || e.target.value === 'balancedSampling'
                    ? e.target.value
                    : 'classWeights',
                )
              }
            >
              {Object.entries(IMBALANCE_LABELS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
        </div>
        <details className="ml-details">
          <summary>Rate schedule and early stopping</summary>
          <div className="field-grid">
            {field('lrDropFactor', 'Rate × on plateau')}
            {field('lrPatience', 'Plateau patience (epochs)')}
            {field('earlyStop', 'Stop after no gain for', 'never')}
          </div>
        </details>
      </fieldset>

      <fieldset className="ml-fieldset" disabled={props.busy}>
        <legend>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={form.stage2}
              data-testid="train-stage2"
              onChange={(e) => set('stage2', e.target.checked)}
            />
            Stage 2 · fine-tune the backbone&apos;s last{' '}
            {props.backend?.gpu === true ? 'blocks (three, on this GPU)' : 'block'} with the head
          </label>
        </legend>
        <div className="field-grid">
          {field('stage2Epochs', 'Epochs', undefined, !form.stage2)}
          {field('stage2LearningRate', 'Learning rate', undefined, !form.stage2)}
        </div>
        <p className="muted small">
          Stage 2 keeps stage 1&apos;s optimizer, L2, imbalance handling and seed.
          {props.backend !== null && !props.backend.convGradients && form.stage2 && (
            <span data-testid="train-cpu-note">
              {' '}
              The {props.backend.name} backend has no convolution gradients, so those steps run on
              the plain CPU backend: expect stage 2 to be much slower than stage 1.
            </span>
          )}
        </p>
      </fieldset>

      <div className="button-row">
        <button type="submit" className="primary" disabled={props.busy} data-testid="train-start">
          {props.busy ? 'Training…' : 'Start training'}
        </button>
        <button
          type="button"
          disabled={props.busy}
          onClick={() => {
            setForm(defaultForm(backbone));
            setErrors({});
          }}
        >
          Paper defaults
        </button>
      </div>
    </form>
  );
}
