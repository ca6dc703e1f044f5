import { useStudio } from '../../app/studio-context';
import { useLoad } from '../../app/use-load';
import { navigate } from '../../ui/nav';

/**
 * Which photos a run learns from: training always uses the library's current split (train to
 * fit, val to pick the best epoch and drop the rate; test stays untouched for Evaluate). The
 * split itself is chosen in Splits & stats, so it is shown here with a way to change it.
 */
export function SplitSummary(props: { refresh: string }) {
  const { client } = useStudio();
  const stats = useLoad(() => client.call('library.stats', {}), props.refresh);
  const s = stats.value?.splits;
  return (
    <div className="field ml-wide" data-testid="train-split">
      <span className="ml-split-label">Split</span>
      <p className="muted small">
        {s === undefined
          ? 'Reading the library…'
          : s.train === 0
            ? 'No photo is in the training split yet: assign splits first.'
            : `Learns from ${s.train} train photos, picks its best epoch on ${s.val} val photos; ${s.test} test photos stay unseen for Evaluate${s.unassigned > 0 ? ` (${s.unassigned} labelled photos have no split)` : ''}.`}{' '}
        <button type="button" className="link-button" onClick={() => navigate('splits')}>
          Change the split
        </button>
      </p>
    </div>
  );
}
