import type { ExplainResult } from '../../../shared/contract/ml-types';
import { Problem } from '../../ui/form';
import { HeatLegend } from './HeatLegend';
import { TopCities } from './TopCities';
import type { PngExport } from './use-png-export';

/** Beside the heatmap: its scale, the top cities, the comparison toggle and the PNG export. */
export function HeatmapSide(props: {
  result: ExplainResult;
  compare: boolean;
  onCompare: () => void;
  png: PngExport;
  onExport: () => void;
}) {
  const { png } = props;
  return (
    <div className="explain-side">
      <HeatLegend result={props.result} />
      <TopCities result={props.result} />
      <div className="button-row">
        <button
          type="button"
          aria-pressed={props.compare}
          onClick={props.onCompare}
          data-testid="explain-compare-toggle"
        >
          {props.compare ? 'Hide comparison' : 'Compare methods'}
        </button>
        <button type="button" onClick={props.onExport} data-testid="explain-export">
          Export PNG
        </button>
      </div>
      <Problem text={png.problem} />
      {png.exported !== null && (
        <p className="small">
          <a
            ref={png.link}
            href={png.exported.url}
            download={png.exported.name}
            data-testid="explain-export-link"
          >
            {png.exported.name}
          </a>
        </p>
      )}
    </div>
  );
}
