import type { ExplainResult } from '../../../shared/contract/ml-types';
import { pct } from '../../ui/format';
import { topCities } from './targets';

/** The model's most likely cities for the whole photo; the explained one marked. */
export function TopCities(props: { result: ExplainResult }) {
  const { result } = props;
  const top = topCities(result.probabilities, result.classes, 5);
  return (
    <div data-testid="explain-top">
      <h3>The model says</h3>
      <ol className="plain-list explain-probs">
        {top.map((c) => (
          <li
            key={c.city}
            className={c.city === result.city ? 'explain-prob-target' : undefined}
            data-testid="explain-prob"
            data-city={c.city}
            data-p={c.probability}
          >
            <span className="explain-prob-city">{c.city}</span>
            <meter min={0} max={1} value={c.probability} aria-label={`${c.city} probability`} />
            <span className="explain-prob-value">{pct(c.probability)}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}
