import type { ReactNode } from 'react';
import type { ModelSummary } from '../../shared/contract/ml-types';
import { Field } from './form';
import { ModelOptions } from './ModelOptions';
import { navigate } from './nav';

/** The "Model" select of a form, each option named with its number of cities. */
export function ModelPicker(props: {
  id: string;
  models: readonly ModelSummary[];
  value: string;
  onChange: (modelId: string) => void;
  disabled?: boolean;
  className?: string;
  label?: string;
  /** The options, when a form names its models otherwise. */
  children?: ReactNode;
}) {
  return (
    <Field id={props.id} label={props.label ?? 'Model'} className={props.className}>
      <select
        id={props.id}
        value={props.value}
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.target.value)}
      >
        {props.children ?? <ModelOptions models={props.models} />}
      </select>
    </Field>
  );
}

/** Where a view needs a trained model and the library has none: say so and lead to Train. */
export function NoModelYet(props: { testId: string; children?: ReactNode }) {
  return (
    <div className="card empty-state" data-testid={props.testId}>
      <p>{props.children ?? 'No trained model yet.'}</p>
      <button type="button" className="primary" onClick={() => navigate('train')}>
        Train a model
      </button>
    </div>
  );
}
