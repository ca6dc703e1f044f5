import type { GeoBatchSummary } from '../../../shared/contract/geo-types';
import { useNotify } from '../../app/notices';
import { useStudio } from '../../app/studio-context';
import { useSettledSave } from '../../ui/use-settled-save';

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
  const threshold = useSettledSave(Math.round(batch.unsureBelow * 100), (percent) => {
    client.call('geo.update', { batchId: batch.id, unsureBelow: percent / 100 }).then(
      (updated) => onSaved(updated.unsureBelow),
      (e: unknown) => notify.error('Could not change the threshold', e),
    );
  });
  return [threshold.value, threshold.change];
}
