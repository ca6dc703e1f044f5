import {
  GEO_SCORE_MAX,
  GEO_SCORE_SCALE_KM,
  type GeoErrorReport,
} from '../../../shared/domain/geo-errors';
import { DataTable, type Column } from '../../ui/DataTable';
import { Card } from '../../ui/Card';

const SHOWN = 50;

const km = (v: number | null): string =>
  v === null ? '—' : `${Math.round(v).toLocaleString('en-US')} km`;
const score = (v: number | null): string =>
  v === null ? '—' : Math.round(v).toLocaleString('en-US');

const ERROR_COLUMNS: Column<GeoErrorReport['errors'][number]>[] = [
  { header: 'Photo', className: 'mono break', cell: (e) => e.path },
  { header: 'True', cell: (e) => e.true },
  { header: 'Predicted', cell: (e) => e.predicted },
  { header: 'Distance', num: true, cell: (e) => km(e.km) },
  { header: 'Score', num: true, cell: (e) => score(e.score) },
];

/**
 * How far off the wrong answers are: centre-to-centre distances and a GeoGuessr-style score per
 * photo (a near miss costs less than a wrong continent), with the farthest errors listed.
 */
export function GeoErrors(props: { geo: GeoErrorReport }) {
  const g = props.geo;
  return (
    <Card titleId="geo-errors-title" title="How far off" testId="eval-geo">
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
          <DataTable
            testId="eval-geo-errors"
            columns={ERROR_COLUMNS}
            rows={g.errors.slice(0, SHOWN)}
            rowKey={(e) => `${e.path}|${e.imageId ?? ''}`}
            rowProps={(e) => ({ 'data-testid': 'eval-geo-error', 'data-km': e.km ?? '' })}
          />
          {g.errors.length > SHOWN && (
            <p className="muted small">…and {g.errors.length - SHOWN} more (the CLI lists all).</p>
          )}
        </details>
      )}
    </Card>
  );
}
