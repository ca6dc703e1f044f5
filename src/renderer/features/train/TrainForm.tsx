import { useState } from 'react';
import type { FormEvent } from 'react';
import type { BackboneSummary, BackendReport } from '../../../shared/contract/ml-types';
import type { ParamsIn } from '../../../shared/contract/methods';
import { navigate } from '../../ui/nav';
import { defaultForm, validateTrain, type TrainField, type TrainForm as Form } from './hyper-form';
import { backboneChoices } from './backbone-choices';
import { HyperField, type FormPart } from './HyperField';
import { SplitSummary } from './SplitSummary';
import { Stage1Fields } from './Stage1Fields';
import { Stage2Fields } from './Stage2Fields';

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

  const part: FormPart = { form, errors, busy: props.busy, set };

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
        <HyperField part={part} name="seed" label="Seed" />
        <HyperField
          part={part}
          name="views"
          label="Views per photo"
          title="Augmented crops cached per training photo"
        />
      </div>

      <Stage1Fields part={part} />
      <Stage2Fields part={part} backend={props.backend} />

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
