import { useEffect, useRef, useState } from 'react';
import type { GeoBatchSummary } from '../../../shared/contract/geo-types';
import { useNotify } from '../../app/notices';
import { useStudio } from '../../app/studio-context';

/** A slider's changes are saved once it rests, not on every step of a drag. */
const SAVE_AFTER_MS = 400;

/**
 * A batch's "unsure below" threshold in percent, as its slider shows it: saved once the slider
 * rests, then `onSaved` gets the stored fraction. Another door (or the list) may change the
 * threshold: the slider follows it unless a save is pending.
 */
export function useUnsureThreshold(
  batch: GeoBatchSummary,
  onSaved: (unsureBelow: number) => void,
): [number, (percent: number) => void] {
  const { client } = useStudio();
  const notify = useNotify();
  const [threshold, setThreshold] = useState(Math.round(batch.unsureBelow * 100));
  const saveTimer = useRef<number | null>(null);
  const saved = useRef(onSaved);
  saved.current = onSaved;

  useEffect(() => {
    if (saveTimer.current === null) setThreshold(Math.round(batch.unsureBelow * 100));
  }, [batch.unsureBelow]);
  useEffect(
    () => () => {
      if (saveTimer.current !== null) window.clearTimeout(saveTimer.current);
    },
    [],
  );

  const change = (percent: number): void => {
    setThreshold(percent);
    if (saveTimer.current !== null) window.clearTimeout(saveTimer.current);
    saveTimer.current = window.setTimeout(() => {
      saveTimer.current = null;
      client.call('geo.update', { batchId: batch.id, unsureBelow: percent / 100 }).then(
        (updated) => saved.current(updated.unsureBelow),
        (e: unknown) => notify.error('Could not change the threshold', e),
      );
    }, SAVE_AFTER_MS);
  };
  return [threshold, change];
}
