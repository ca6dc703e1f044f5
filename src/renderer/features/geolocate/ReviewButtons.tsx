import type { ReviewAction } from './review-keys';

/** Accept, Correct…, Skip, Undo and the arrows under the photo, each with its key. */
export function ReviewButtons(props: {
  predicted: string | null;
  busy: boolean;
  onAction: (action: ReviewAction) => void;
  /** The arrows move on even while a review is being saved. */
  onStep: (delta: number) => void;
}) {
  const { busy, onAction } = props;
  return (
    <div className="button-row geo-actions" role="group" aria-label="Review">
      <button
        type="button"
        className="primary"
        disabled={busy || props.predicted === null}
        onClick={() => onAction('accept')}
        aria-keyshortcuts="A Enter"
      >
        Accept {props.predicted ?? ''} <kbd>A</kbd>
      </button>
      <button
        type="button"
        disabled={busy}
        onClick={() => onAction('correct')}
        aria-keyshortcuts="C"
      >
        Correct… <kbd>C</kbd>
      </button>
      <button type="button" disabled={busy} onClick={() => onAction('skip')} aria-keyshortcuts="S">
        Skip <kbd>S</kbd>
      </button>
      <button
        type="button"
        disabled={busy}
        onClick={() => onAction('undo')}
        aria-keyshortcuts="U Backspace"
      >
        Undo <kbd>U</kbd>
      </button>
      <button type="button" aria-label="Previous photo" onClick={() => props.onStep(-1)}>
        ←
      </button>
      <button type="button" aria-label="Next photo" onClick={() => props.onStep(1)}>
        →
      </button>
    </div>
  );
}
