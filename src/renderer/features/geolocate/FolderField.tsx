import type { ReactNode } from 'react';
import { Field } from '../../ui/form';

/**
 * A folder typed as a path, with "Choose folder…" where the app can open the system's dialog
 * (`onChoose` is null in a browser).
 */
export function FolderField(props: {
  id: string;
  label: ReactNode;
  value: string;
  placeholder: string;
  onChange: (path: string) => void;
  onChoose: (() => void) | null;
}) {
  return (
    <Field id={props.id} label={props.label}>
      <input
        id={props.id}
        type="text"
        spellCheck={false}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        placeholder={props.placeholder}
      />
      {props.onChoose !== null && (
        <div className="button-row">
          <button type="button" onClick={props.onChoose}>
            Choose folder…
          </button>
        </div>
      )}
    </Field>
  );
}
