import {
  EXPLAIN_METHODS,
  type ExplainMethod,
  type ModelSummary,
} from '../../../shared/contract/ml-types';
import { Slider } from '../../ui/Slider';
import { METHOD_LABELS } from './legend';
import { MethodRadios } from './MethodRadios';
import type { TargetChoice } from './targets';

/** Above the heatmap: which city to explain, by which method, and how strong the overlay is. */
export function HeatmapControls(props: {
  model: ModelSummary;
  /** The photo's labelled city, if any (it can be explained when the model knows it). */
  labelled: string | null;
  choice: TargetChoice;
  onChoice: (choice: TargetChoice) => void;
  method: ExplainMethod;
  onMethod: (method: ExplainMethod) => void;
  opacity: number;
  onOpacity: (opacity: number) => void;
}) {
  const { model, labelled } = props;
  return (
    <div className="explain-controls">
      <label>
        <span>Explain city</span>
        <select
          id="explain-target"
          value={props.choice}
          onChange={(e) => props.onChoice(e.target.value)}
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
        value={props.method}
        onChange={props.onMethod}
      />
      <Slider
        label={`Overlay opacity ${Math.round(props.opacity * 100)}%`}
        min={0}
        max={1}
        step={0.05}
        value={props.opacity}
        onChange={props.onOpacity}
        testId="explain-opacity"
      />
    </div>
  );
}
