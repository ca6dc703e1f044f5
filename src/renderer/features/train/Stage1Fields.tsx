import { Field } from '../../ui/form';
import { HyperField, type FormPart } from './HyperField';

const IMBALANCE_LABELS = {
  classWeights: 'Weight the loss by inverse city frequency',
  balancedSampling: 'Sample cities equally in each batch',
  none: 'None (plain cross-entropy)',
} as const;

/** Stage 1: the classifier head trained on cached features, with its schedule and stopping. */
export function Stage1Fields(props: { part: FormPart }) {
  const { part } = props;
  const { form, set } = part;
  return (
    <fieldset className="ml-fieldset" disabled={part.busy}>
      <legend>Stage 1 · classifier head on cached features</legend>
      <div className="field-grid">
        <HyperField part={part} name="epochs" label="Epochs" />
        <HyperField part={part} name="learningRate" label="Learning rate" />
        <HyperField part={part} name="batchSize" label="Batch size" />
        <Field id="train-optimizer" label="Optimizer">
          <select
            id="train-optimizer"
            value={form.optimizer}
            onChange={(e) => set('optimizer', e.target.value === 'adam' ? 'adam' : 'sgd')}
          >
            <option value="sgd">SGD + momentum</option>
            <option value="adam">Adam</option>
          </select>
        </Field>
        <HyperField
          part={part}
          name="momentum"
          label="Momentum"
          disabled={form.optimizer !== 'sgd'}
        />
        <HyperField part={part} name="l2" label="L2 penalty" />
        <HyperField part={part} name="hidden" label="Hidden units" hint="none" />
        <HyperField part={part} name="dropout" label="Dropout" />
        <Field id="train-imbalance" label="Class imbalance" className="train-imbalance">
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
        </Field>
      </div>
      <details className="ml-details">
        <summary>Rate schedule and early stopping</summary>
        <div className="field-grid">
          <HyperField part={part} name="lrDropFactor" label="Rate × on plateau" />
          <HyperField part={part} name="lrPatience" label="Plateau patience (epochs)" />
          <HyperField part={part} name="earlyStop" label="Stop after no gain for" hint="never" />
        </div>
      </details>
    </fieldset>
  );
}
