import type { ReactNode } from 'react';
import type { AppErrorData } from '../../shared/contract/errors';
import { ErrorLine } from './ErrorLine';

/** A labelled form field (`.field`): the label, then the control named by `id`. */
export function Field(props: {
  id: string;
  label: ReactNode;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className={props.className === undefined ? 'field' : `field ${props.className}`}>
      <label htmlFor={props.id}>{props.label}</label>
      {props.children}
    </div>
  );
}

/** What is wrong with the form's input, said before anything is sent. */
export function Problem(props: { text: string | null }) {
  return props.text === null ? null : (
    <p className="form-error" role="alert">
      {props.text}
    </p>
  );
}

/**
 * The end of a form: the input problem or the call's error, then the submit button (its label
 * changes while busy) and whatever goes beside it.
 */
export function FormFooter(props: {
  problem?: string | null;
  error?: AppErrorData | null;
  errorTestId?: string;
  busy: boolean;
  label: ReactNode;
  busyLabel: ReactNode;
  testId?: string;
  /** Disabled for another reason than being busy. */
  disabled?: boolean;
  /** The plain (not primary) button of a secondary form. */
  plain?: boolean;
  children?: ReactNode;
}) {
  return (
    <>
      <Problem text={props.problem ?? null} />
      {props.error != null && <ErrorLine error={props.error} testId={props.errorTestId} />}
      <div className="button-row">
        <button
          type="submit"
          className={props.plain === true ? undefined : 'primary'}
          disabled={props.busy || props.disabled === true}
          data-testid={props.testId}
        >
          {props.busy ? props.busyLabel : props.label}
        </button>
        {props.children}
      </div>
    </>
  );
}

/** A labelled one-line text input (numbers too: forms check them on submit, with a message). */
export function TextField(props: {
  id: string;
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  className?: string;
  /** Paths and ids read better in the monospace font. */
  mono?: boolean;
  placeholder?: string;
  disabled?: boolean;
  inputMode?: 'numeric' | 'decimal';
}) {
  return (
    <Field id={props.id} label={props.label} className={props.className}>
      <input
        id={props.id}
        type="text"
        className={props.mono === true ? 'mono' : undefined}
        inputMode={props.inputMode}
        placeholder={props.placeholder}
        value={props.value}
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </Field>
  );
}
