import { useEffect, useRef, useState } from 'react';

/** A slider's changes are saved once it rests, not on every step of a drag. */
export const SAVE_AFTER_MS = 400;

export type SettledSave = {
  /** What the control shows: the stored value, or the user's while its save waits. */
  value: number;
  /** Shows `value` at once and saves it once no other change came for `SAVE_AFTER_MS`. */
  change: (value: number) => void;
  /** Drops a waiting save (before saving something else at once). */
  cancel: () => void;
};

/**
 * A stored number edited with a slider: saved once the slider rests. The stored value may change
 * elsewhere (another door, a reset): the control follows it whenever `resyncOn` changes, unless a
 * save is waiting.
 */
export function useSettledSave(
  stored: number,
  save: (value: number) => void,
  resyncOn: unknown = stored,
): SettledSave {
  const [value, setValue] = useState(stored);
  const timer = useRef<number | null>(null);
  const saveRef = useRef(save);
  saveRef.current = save;
  const storedRef = useRef(stored);
  storedRef.current = stored;

  useEffect(() => {
    if (timer.current === null) setValue(storedRef.current);
  }, [resyncOn]);
  useEffect(
    () => () => {
      if (timer.current !== null) window.clearTimeout(timer.current);
    },
    [],
  );

  const cancel = (): void => {
    if (timer.current !== null) window.clearTimeout(timer.current);
    timer.current = null;
  };
  const change = (next: number): void => {
    setValue(next);
    cancel();
    timer.current = window.setTimeout(() => {
      timer.current = null;
      saveRef.current(next);
    }, SAVE_AFTER_MS);
  };
  return { value, change, cancel };
}
