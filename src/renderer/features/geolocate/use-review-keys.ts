import { useEffect, useRef } from 'react';
import { reviewKeyAction, type ReviewAction } from './review-keys';

/**
 * Whether a key press belongs to the element it was pressed in rather than to the queue: text
 * fields and menus keep every key; a slider or checkbox keeps its arrows; a focused button keeps
 * Enter (it presses that button, as everywhere else). A modal dialog keeps all keys.
 */
export function keyBelongsToTarget(target: EventTarget | null, key: string): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.closest('dialog') !== null) return true;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    if (!['range', 'checkbox', 'radio'].includes(target.type)) return true;
    return key.startsWith('Arrow') || key === 'Enter' || key === ' ';
  }
  if (key === 'Enter' && target.closest('button, a[href], summary') !== null) return true;
  return false;
}

/** The review queue's shortcuts while `enabled` (a photo is on screen and no picker is open). */
export function useReviewKeys(enabled: boolean, onAction: (action: ReviewAction) => void): void {
  const handler = useRef(onAction);
  handler.current = onAction;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (event: KeyboardEvent): void => {
      if (event.altKey || event.ctrlKey || event.metaKey || event.repeat) return;
      if (keyBelongsToTarget(event.target, event.key)) return;
      const action = reviewKeyAction(event.key);
      if (action === null) return;
      // Backspace and arrows would otherwise also scroll or navigate.
      event.preventDefault();
      handler.current(action);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}
