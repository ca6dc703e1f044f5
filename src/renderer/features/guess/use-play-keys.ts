import { useEffect, useRef } from 'react';
import { keyAction, type KeyAction, type PlayPhase } from './keys';

/** Fields whose keys belong to the user's typing, not to the game. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  // A focused slider or checkbox still lets number keys and Enter play.
  return (
    target instanceof HTMLInputElement && !['range', 'checkbox', 'radio'].includes(target.type)
  );
}

/**
 * Keyboard-only play: number keys, Enter, Space and arrows while a round is on screen. The handled
 * key's default is prevented, so Enter on a focused button does not also click it (no double step).
 */
export function usePlayKeys(
  phase: PlayPhase | null,
  cityCount: number,
  onAction: (action: KeyAction) => void,
): void {
  const handler = useRef(onAction);
  handler.current = onAction;
  useEffect(() => {
    if (phase === null) return;
    const onKey = (event: KeyboardEvent): void => {
      if (event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
      // Arrows on a focused slider move the slider itself.
      if (event.target instanceof HTMLInputElement && event.key.startsWith('Arrow')) return;
      const action = keyAction(event.key, phase, cityCount);
      if (action === null) return;
      event.preventDefault();
      handler.current(action);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [phase, cityCount]);
}
