import type {
  GeoBatchSummary,
  GeoExportFormat,
  GeoExportScope,
} from '../../../shared/contract/geo-types';
import { EXPORT_FORMATS } from './export-formats';

/** What an export writes: its format (with what that does), which photos, and unknown ones. */
export function ExportChoices(props: {
  batch: GeoBatchSummary;
  format: GeoExportFormat;
  onFormat: (format: GeoExportFormat) => void;
  scope: GeoExportScope;
  onScope: (scope: GeoExportScope) => void;
  includeUnknown: boolean;
  onIncludeUnknown: (include: boolean) => void;
}) {
  const { batch } = props;
  const hint = EXPORT_FORMATS.find((f) => f.value === props.format)?.hint ?? '';
  return (
    <>
      <fieldset className="geo-formats">
        <legend>Format</legend>
        {EXPORT_FORMATS.map((f) => (
          <label key={f.value} className="checkbox">
            <input
              type="radio"
              name="geo-format"
              value={f.value}
              checked={props.format === f.value}
              onChange={() => props.onFormat(f.value)}
              data-testid={`geo-format-${f.value}`}
            />
            {f.label}
          </label>
        ))}
      </fieldset>
      <p className="muted small">
        {hint} Photos that already carry GPS and skipped photos are never written.
      </p>
      <div className="field-grid">
        <label className="field geo-scope">
          <span>Photos</span>
          <select
            value={props.scope}
            onChange={(e) => props.onScope(e.target.value === 'reviewed' ? 'reviewed' : 'all')}
            data-testid="geo-export-scope"
          >
            <option value="all">Every placed photo</option>
            <option value="reviewed">Reviewed photos only</option>
          </select>
        </label>
      </div>
      {batch.unknownAbove !== null && (
        <label className="checkbox">
          <input
            type="checkbox"
            checked={props.includeUnknown}
            onChange={(e) => props.onIncludeUnknown(e.target.checked)}
            data-testid="geo-export-unknown"
          />
          Also write photos answered unknown (forced choice)
          <span className="muted small">
            {' '}
            {batch.counts.unknown} photo{batch.counts.unknown === 1 ? '' : 's'} look like none of
            the model’s cities; reviewed ones are written either way.
          </span>
        </label>
      )}
    </>
  );
}
