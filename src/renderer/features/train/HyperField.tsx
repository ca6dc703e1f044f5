import type { TrainField, TrainForm } from './hyper-form';

/** What each part of the training form needs: the values, their errors, and how to change one. */
export type FormPart = {
  form: TrainForm;
  errors: Partial<Record<TrainField, string>>;
  busy: boolean;
  set: <K extends keyof TrainForm>(key: K, value: TrainForm[K]) => void;
};

/** One hyper-parameter typed as text (checked on submit), with its error under it. */
export function HyperField(props: {
  part: FormPart;
  name: TrainField;
  label: string;
  /** Shown while empty: what an empty field means ("none", "never"). */
  hint?: string;
  disabled?: boolean;
  title?: string;
}) {
  const { form, errors, busy, set } = props.part;
  const key = props.name;
  return (
    <div className="field" title={props.title}>
      <label htmlFor={`train-${key}`}>{props.label}</label>
      <input
        id={`train-${key}`}
        type="text"
        inputMode="decimal"
        value={form[key]}
        placeholder={props.hint}
        disabled={busy || props.disabled === true}
        aria-invalid={errors[key] !== undefined}
        onChange={(e) => set(key, e.target.value)}
      />
      {errors[key] !== undefined && <span className="field-error">{errors[key]}</span>}
    </div>
  );
}
