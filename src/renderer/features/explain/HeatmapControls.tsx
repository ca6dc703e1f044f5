import {
  EXPLAIN_METHODS,
  type ExplainMethod,
  type ModelSummary,
} from '../../../shared/contract/ml-types';
import { Slider } from '../../ui/Slider';
import { METHOD_LABELS } from './legend';
import { MethodRadios } from './MethodRadios';
import type { TargetChoice } from './targets';

/** What the heatmap shows: for which city, by which method, how strong the overlay is. */
export type HeatSettings = { choice: TargetChoice; method: ExplainMethod; opacity: number };

/** Above the heatmap: which city to explain, by which method, and how strong the overlay is. */
export function HeatmapControls(props: {
  model: ModelSummary;
  /** The photo's labelled city, if any (it can be explained when the model knows it). */
  labelled: string | null;
  settings: HeatSettings;
  onChange: (patch: Partial<HeatSettings>) => void;
}) {
  const { model, labelled, settings, onChange } = props;
  return (
    <div className="explain-controls">
      <label>
        <span>Explain city</span>
        <select
          id="explain-target"
          value={settings.choice}
          onChange={(e) => onChange({ choice: e.target.value })}
          data-testid="explain-target"
        >
          <option value="predicted">The model&apos;s prediction</option>
          <option value="true" disabled={labelled === null || !model.classes.includes(labelled)}>
            The photo&apos;s true city{labelled !== null ? ` (${labelled})` : ''}
          </option>
          {model.classes.map((c) => (
            <option key={c} value={`city:${c}`}>
              {c}
            </option>
          ))}
        </select>
      </label>
      <MethodRadios
        legend="Method"
        name="explain-method"
        options={EXPLAIN_METHODS}
        labels={METHOD_LABELS}
        value={settings.method}
        onChange={(method) => onChange({ method })}
      />
      <Slider
        label={`Overlay opacity ${Math.round(settings.opacity * 100)}%`}
        min={0}
        max={1}
        step={0.05}
        value={settings.opacity}
        onChange={(opacity) => onChange({ opacity })}
        testId="explain-opacity"
      />
    </div>
  );
}
