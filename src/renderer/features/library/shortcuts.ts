/** Keys 1–9 pick the first nine cities, 0 the tenth (the paper's ten cities fit exactly). */
export const SHORTCUT_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'] as const;

export function shortcutIndex(key: string): number | null {
  const index = (SHORTCUT_KEYS as readonly string[]).indexOf(key);
  return index < 0 ? null : index;
}

export function shortcutFor(index: number): string | null {
  return SHORTCUT_KEYS[index] ?? null;
}

/** True when the key press belongs to a text field or menu, not to the labeler. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement
  );
}
