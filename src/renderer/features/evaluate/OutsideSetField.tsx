import { useState } from 'react';
import type { AppErrorData } from '../../../shared/contract/errors';
import { errorData } from '../../app/errors';
import { useStudio } from '../../app/studio-context';
import { appendPaths } from '../import/parse-paths';
import { ErrorLine } from '../../ui/ErrorLine';

/**
 * Folders of photos from none of the model's cities, one a line: the domain-shift test. The
 * desktop app adds a folder dialog; in a browser the paths are typed.
 */
export function OutsideSetField(props: {
  value: string;
  onChange: (value: string) => void;
  /** False for models trained before open-set statistics: they cannot answer "unknown". */
  openSet: boolean;
}) {
  const { transport } = useStudio();
  const pickPaths = transport.pickPaths?.bind(transport) ?? null;
  const [error, setError] = useState<AppErrorData | null>(null);
  const { value, onChange } = props;

  const browse = (): void => {
    if (pickPaths === null) return;
    pickPaths('folders').then(
      (paths) => onChange(appendPaths(value, paths)),
      (e: unknown) => setError(errorData(e)),
    );
  };

  return (
    <div className="field ml-outside-field">
      <label htmlFor="eval-outside">
        Outside set (optional): folders of photos from none of the model’s cities, one a line
      </label>
      <textarea
        id="eval-outside"
        rows={2}
        spellCheck={false}
        placeholder="/photos/holiday-elsewhere"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        data-testid="eval-outside-paths"
      />
      {pickPaths !== null && (
        <div className="button-row">
          <button type="button" onClick={browse}>
            Choose folders…
          </button>
        </div>
      )}
      <p className="muted small">
        {props.openSet
          ? 'Shows how many of them the model answers “unknown”, and how well it tells them from the evaluated photos.'
          : 'This model was trained before open-set statistics; retrain to get an unknown answer.'}
      </p>
      {error !== null && <ErrorLine error={error} />}
    </div>
  );
}
