import { useEffect, useRef } from 'react';
import type { ReactNode } from 'react';

/** A modal question with a default-safe focus (Cancel) and Escape to back out. */
export function ConfirmDialog(props: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog !== null && !dialog.open) dialog.showModal();
  }, []);
  return (
    <dialog
      ref={ref}
      className="confirm"
      aria-labelledby="confirm-title"
      data-testid="confirm-dialog"
      onCancel={(e) => {
        e.preventDefault();
        props.onCancel();
      }}
    >
      <h2 id="confirm-title">{props.title}</h2>
      <div className="confirm-body">{props.children}</div>
      <div className="button-row end">
        <button type="button" autoFocus onClick={props.onCancel}>
          Cancel
        </button>
        <button
          type="button"
          className={props.danger === true ? 'danger' : 'primary'}
          onClick={props.onConfirm}
        >
          {props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
