import { useState } from 'react';
import type { ReactNode } from 'react';
import { ConfirmDialog } from '../app/ConfirmDialog';

/** The small red-outlined "Remove" of a list row; `label` names what goes, for screen readers. */
export function RemoveButton(props: { label: string; disabled?: boolean; onClick: () => void }) {
  return (
    <button
      type="button"
      className="small danger-outline"
      disabled={props.disabled}
      aria-label={props.label}
      onClick={props.onClick}
    >
      Remove
    </button>
  );
}

export type RemoveConfirm<T> = {
  /** Asks before removing `item`. */
  ask: (item: T) => void;
  /** The open question, or null: render it where the dialog belongs. */
  dialog: ReactNode;
};

/**
 * "Remove X?" asked in a danger dialog before `onRemove` runs; Cancel and Escape back out. The
 * dialog closes before the removal starts, so its outcome is told by the caller (a notice).
 */
export function useRemoveConfirm<T>(options: {
  title: (item: T) => string;
  confirmLabel: string;
  body: (item: T) => ReactNode;
  onRemove: (item: T) => void;
}): RemoveConfirm<T> {
  const [asking, setAsking] = useState<{ item: T } | null>(null);
  const dialog =
    asking === null ? null : (
      <ConfirmDialog
        title={options.title(asking.item)}
        confirmLabel={options.confirmLabel}
        danger
        onConfirm={() => {
          setAsking(null);
          options.onRemove(asking.item);
        }}
        onCancel={() => setAsking(null)}
      >
        {options.body(asking.item)}
      </ConfirmDialog>
    );
  return { ask: (item) => setAsking({ item }), dialog };
}
