import type { StoredEvaluation } from '../../../shared/contract/ml-types';
import { when } from '../../ui/format';
import { ConfusionMatrix } from './ConfusionMatrix';
import { CoverageChart } from './CoverageChart';
import { datasetLabel } from './EvaluationsList';
import { GeoErrors } from './GeoErrors';
import { Headline } from './Headline';
import { OutsidePanel } from './OutsidePanel';
import { PerCityTable } from './PerCityTable';
import { ReliabilityChart } from './ReliabilityChart';
import { Card } from '../../ui/Card';

/**
 * One stored evaluation in full: headline, per-city table, confusion matrix, calibration and, for
 * models with open-set statistics, coverage / accuracy and the outside set.
 */
export function EvaluationReportView(props: { evaluation: StoredEvaluation; modelName: string }) {
  const e = props.evaluation;
  return (
    <div className="ml-report" data-testid="eval-report" data-eval={e.id} data-dataset={e.dataset}>
      <p className="muted ml-report-title">
        <strong>{props.modelName}</strong> on the {datasetLabel(e)} · {e.report.n} photos ·{' '}
        {e.tta === 'multiCrop' ? '10-crop averaging' : 'centre crop'} · {when(e.createdAt)}
      </p>
      {e.report.n === 0 ? (
        <p className="form-error" role="alert">
          No photo could be evaluated: the set is empty for this model&apos;s cities.
        </p>
      ) : (
        <>
          <Headline report={e.report} />
          <div className="ml-report-grid">
            <PerCityTable report={e.report} />
            <ConfusionMatrix
              classes={e.report.classes}
              confusion={e.report.confusion}
              evaluationId={e.id}
              modelId={e.modelId}
              {...(e.report.geo === undefined ? {} : { orders: e.report.geo.order })}
            />
          </div>
          {e.report.geo !== undefined && <GeoErrors geo={e.report.geo} />}
          {e.openSet === null ? (
            <ReliabilityChart calibration={e.report.calibration} />
          ) : (
            <div className="ml-report-grid ml-open-set-grid">
              <ReliabilityChart
                calibration={e.report.calibration}
                scaling={{
                  before: e.openSet.calibrationBefore,
                  temperature: e.openSet.temperature,
                }}
              />
              <CoverageChart openSet={e.openSet} />
            </div>
          )}
        </>
      )}
      {e.openSet?.outside != null && <OutsidePanel outside={e.openSet.outside} />}
      {e.openSet === null && (
        <p className="muted small" data-testid="eval-no-open-set">
          No calibration before/after, coverage or outside set: the model was trained before
          open-set statistics; retrain to get an unknown answer.
        </p>
      )}
      {e.skipped.length > 0 && (
        <Card
          titleId="skipped-title"
          title={<>Skipped files ({e.skipped.length})</>}
          testId="eval-skipped"
        >
          <table className="data-table">
            <tbody>
              {e.skipped.slice(0, 200).map((s) => (
                <tr key={s.path}>
                  <td className="mono break">{s.path}</td>
                  <td>{s.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {e.skipped.length > 200 && (
            <p className="muted small">…and {e.skipped.length - 200} more.</p>
          )}
        </Card>
      )}
    </div>
  );
}
