import { useEffect, useRef, useState } from 'react';
import type { LabelQueue } from '../../../shared/contract/label-queue-types';
import { keyBelongsToTarget } from '../geolocate/use-review-keys';
import { labelKeyAction, type LabelKeyAction } from './label-keys';

/**
 * A queue's keys while `enabled`: typing is kept here (shown on screen), every other action goes
 * to `onAction` with the text typed so far, which is then cleared.
 */
export function useLabelKeys(
  queue: LabelQueue,
  enabled: boolean,
  onAction: (action: LabelKeyAction, typed: string) => void,
): { typed: string } {
  const [typed, setTyped] = useState('');
  const typedRef = useRef('');
  const handler = useRef(onAction);
  handler.current = onAction;
  const set = (text: string): void => {
    typedRef.current = text;
    setTyped(text);
  };
  useEffect(() => {
    if (!enabled) return;
    const onKey = (event: KeyboardEvent): void => {
      if (event.altKey || event.ctrlKey || event.metaKey || event.repeat) return;
      if (keyBelongsToTarget(event.target, event.key)) return;
      const action = labelKeyAction(event.key, typedRef.current, queue);
      if (action === null) return;
      event.preventDefault();
      if (action.type === 'type') return set(typedRef.current + action.char);
      if (action.type === 'erase') return set(typedRef.current.slice(0, -1));
      const text = typedRef.current;
      set('');
      if (action.type !== 'clear') handler.current(action, text);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled, queue]);
  return { typed };
}
