import type { EvaluationReport } from '../../../shared/contract/ml-types';
import { fixed, interval, pct } from '../../ui/format';
import { PerCityChart } from './PerCityChart';

/**
 * Per city: accuracy (recall, the paper's per-city accuracy) as a chart against the paper's overall
 * figures, then a table with precision and F1, all with intervals.
 */
export function PerCityTable(props: { report: EvaluationReport }) {
  const r = props.report;
  return (
    <section className="card" aria-labelledby="per-city-eval-title" data-testid="per-city">
      <h2 id="per-city-eval-title">Per city</h2>
      <PerCityChart report={r} />
      <table className="data-table" data-testid="per-city-table">
        <thead>
          <tr>
            <th scope="col">City</th>
            <th scope="col" className="num">
              Photos
            </th>
            <th scope="col" className="num">
              Predicted as
            </th>
            <th scope="col">Accuracy (recall), 95% CI</th>
            <th scope="col" className="num">
              Precision, 95% CI
            </th>
            <th scope="col" className="num">
              F1
            </th>
          </tr>
        </thead>
        <tbody>
          {r.perClass.map((c) => (
            <tr key={c.class} data-testid="per-city-row" data-city={c.class}>
              <th scope="row">{c.class}</th>
              <td className="num" data-col="support">
                {c.support}
              </td>
              <td className="num" data-col="predicted">
                {c.predicted}
              </td>
              <td data-col="recall" data-value={c.recall.value ?? ''}>
                <div className="ml-bar-cell">
                  <meter min={0} max={1} value={c.recall.value ?? 0} aria-hidden="true" />
                  <span className="num">{pct(c.recall.value)}</span>
                  <span className="muted small">{interval(c.recall, 0)}</span>
                </div>
              </td>
              <td className="num" data-col="precision" data-value={c.precision.value ?? ''}>
                {pct(c.precision.value)}{' '}
                <span className="muted small ml-nowrap">{interval(c.precision, 0)}</span>
              </td>
              <td className="num" data-col="f1">
                {fixed(c.f1, 3)}
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Macro average</th>
            <td className="num">{r.n}</td>
            <td />
            <td>{pct(r.macro.recall.value)}</td>
            <td className="num">{pct(r.macro.precision.value)}</td>
            <td className="num">{fixed(r.macro.f1.value, 3)}</td>
          </tr>
        </tfoot>
      </table>
      {r.topConfusions.length > 0 && (
        <p className="small ml-top-confusions">
          <strong>Most confused:</strong>{' '}
          {r.topConfusions.slice(0, 5).map((c, i) => (
            <span key={`${c.true}>${c.predicted}`}>
              {i > 0 && ' · '}
              {c.true} → {c.predicted} ({c.count})
            </span>
          ))}
        </p>
      )}
    </section>
  );
}
