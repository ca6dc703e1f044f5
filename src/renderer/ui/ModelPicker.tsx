import type { ReactNode } from 'react';
import type { ModelSummary } from '../../shared/contract/ml-types';
import type { Load } from '../app/use-load';
import { ErrorLine } from './ErrorLine';
import { Field } from './form';
import { ModelOptions } from './ModelOptions';
import { navigate } from './nav';
import type { ModelChoice } from './use-model-choice';

/** The models to pick from: a view's `useModelChoice`, or a list and value of a parent's. */
type PickerSource =
  | { choice: ModelChoice }
  | { models: readonly ModelSummary[]; value: string; onChange: (modelId: string) => void };

/** The "Model" select of a form, each option named with its number of cities. */
export function ModelPicker(
  props: PickerSource & {
    id: string;
    disabled?: boolean;
    className?: string;
    label?: string;
    /** The options, when a form names its models otherwise. */
    children?: ReactNode;
  },
) {
  const source =
    'choice' in props
      ? { models: props.choice.list, value: props.choice.modelId, onChange: props.choice.pick }
      : props;
  return (
    <Field id={props.id} label={props.label ?? 'Model'} className={props.className}>
      <select
        id={props.id}
        value={source.value}
        disabled={props.disabled}
        onChange={(e) => source.onChange(e.target.value)}
      >
        {props.children ?? <ModelOptions models={source.models} />}
      </select>
    </Field>
  );
}

/** Where a view needs a trained model and the library has none: say so and lead to Train. */
export function NoModelYet(props: {
  testId?: string;
  className?: string;
  message?: ReactNode;
  /** More said between the message and the button. */
  children?: ReactNode;
}) {
  return (
    <div className={props.className ?? 'card empty-state'} data-testid={props.testId}>
      {props.message ?? <p>No trained model yet.</p>}
      {props.children}
      <button type="button" className="primary" onClick={() => navigate('train')}>
        Train a model
      </button>
    </div>
  );
}

/**
 * A view's part that needs a trained model: the list's error, then "No trained model yet → Train
 * a model" once the list is known to be empty, else the part itself.
 */
export function NeedsModel(props: {
  models: Load<ModelSummary[]>;
  emptyTestId: string;
  empty?: ReactNode;
  children: ReactNode;
}) {
  const none = props.models.state === 'ready' && (props.models.value ?? []).length === 0;
  return (
    <>
      {props.models.error !== null && <ErrorLine error={props.models.error} />}
      {none ? (props.empty ?? <NoModelYet testId={props.emptyTestId} />) : props.children}
    </>
  );
}
