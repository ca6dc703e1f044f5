import type { OutsideSetResult } from '../../../shared/contract/ml-types';
import { fixed, pct } from '../../ui/format';
import { Card } from '../../ui/Card';

/**
 * The outside set of an evaluation: photos of none of the model's cities, how many it answers
 * "unknown", and how well its score tells them from the evaluated photos.
 */
export function OutsidePanel(props: { outside: OutsideSetResult }) {
  const o = props.outside;
  return (
    <Card titleId="outside-title" title="Outside set" testId="eval-outside">
      <p className="muted small">
        Photos from none of the model’s cities ({o.sources.join(', ')}). A good model answers them
        “unknown”.
      </p>
      <dl className="ml-facts">
        <div data-testid="outside-n" data-value={o.n}>
          <dt>Photos</dt>
          <dd>
            {o.n}
            {o.skipped > 0 && <span className="muted small"> ({o.skipped} unreadable)</span>}
          </dd>
        </div>
        <div data-testid="outside-flagged" data-value={o.flagged}>
          <dt>Answered unknown</dt>
          <dd>{pct(o.flagged)}</dd>
        </div>
        <div data-testid="outside-auroc" data-value={o.auroc ?? ''}>
          <dt>AUROC</dt>
          <dd>
            {fixed(o.auroc)}{' '}
            <span className="muted small">
              1 = every outside photo less familiar than any other
            </span>
          </dd>
        </div>
        <div data-testid="outside-fpr" data-value={o.fprAt95 ?? ''}>
          <dt>FPR at 95% TPR</dt>
          <dd>
            {pct(o.fprAt95)} <span className="muted small">outside photos still given a city</span>
          </dd>
        </div>
      </dl>
    </Card>
  );
}
