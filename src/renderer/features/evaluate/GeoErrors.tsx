import {
  GEO_SCORE_MAX,
  GEO_SCORE_SCALE_KM,
  type GeoErrorReport,
} from '../../../shared/domain/geo-errors';

const SHOWN = 50;

const km = (v: number | null): string =>
  v === null ? '—' : `${Math.round(v).toLocaleString('en-US')} km`;
const score = (v: number | null): string =>
  v === null ? '—' : Math.round(v).toLocaleString('en-US');

/**
 * How far off the wrong answers are: centre-to-centre distances and a GeoGuessr-style score per
 * photo (a near miss costs less than a wrong continent), with the farthest errors listed.
 */
export function GeoErrors(props: { geo: GeoErrorReport }) {
  const g = props.geo;
  return (
    <section className="card" aria-labelledby="geo-errors-title" data-testid="eval-geo">
      <h2 id="geo-errors-title">How far off</h2>
      <dl className="ml-facts">
        <div>
          <dt>Mean score per photo</dt>
          <dd data-testid="eval-geo-score" data-value={g.meanScore ?? ''}>
            {score(g.meanScore)} of {GEO_SCORE_MAX.toLocaleString('en-US')}
          </dd>
        </div>
        <div>
          <dt>Mean distance per photo</dt>
          <dd data-testid="eval-geo-mean-km" data-value={g.meanKm ?? ''}>
            {km(g.meanKm)}
          </dd>
        </div>
        <div>
          <dt>Median distance of an error</dt>
          <dd data-testid="eval-geo-median-km">{km(g.medianErrorKm)}</dd>
        </div>
        <div>
          <dt>Errors</dt>
          <dd>{g.errors.length}</dd>
        </div>
      </dl>
      <p className="muted small">
        Distances run between the true and the predicted city&apos;s centre; a right answer is 0 km.
        Score per photo: {GEO_SCORE_MAX}·exp(−km / {GEO_SCORE_SCALE_KM} km), as GeoGuessr scores a
        world map.
        {g.scored < g.errors.length ? ' Cities without a known centre are left out.' : ''}
      </p>
      {g.errors.length > 0 && (
        <details className="ml-details">
          <summary>The farthest errors</summary>
          <table className="data-table" data-testid="eval-geo-errors">
            <thead>
              <tr>
                <th scope="col">Photo</th>
                <th scope="col">True</th>
                <th scope="col">Predicted</th>
                <th scope="col" className="num">
                  Distance
                </th>
                <th scope="col" className="num">
                  Score
                </th>
              </tr>
            </thead>
            <tbody>
              {g.errors.slice(0, SHOWN).map((e) => (
                <tr
                  key={`${e.path}|${e.imageId ?? ''}`}
                  data-testid="eval-geo-error"
                  data-km={e.km ?? ''}
                >
                  <td className="mono break">{e.path}</td>
                  <td>{e.true}</td>
                  <td>{e.predicted}</td>
                  <td className="num">{km(e.km)}</td>
                  <td className="num">{score(e.score)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {g.errors.length > SHOWN && (
            <p className="muted small">…and {g.errors.length - SHOWN} more (the CLI lists all).</p>
          )}
        </details>
      )}
    </section>
  );
}
