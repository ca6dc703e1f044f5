import type { ReactNode } from 'react';

/** A range input under its label (the label says the current value: "Opacity 70%"). */
export function Slider(props: {
  label: ReactNode;
  /** The label's own classes (e.g. `small`). */
  labelClassName?: string;
  className?: string;
  min: number;
  max: number;
  step: number;
  value: number;
  onChange: (value: number) => void;
  ariaLabel?: string;
  testId?: string;
}) {
  return (
    <label className={props.className}>
      <span className={props.labelClassName}>{props.label}</span>
      <input
        type="range"
        min={props.min}
        max={props.max}
        step={props.step}
        value={props.value}
        onChange={(e) => props.onChange(Number(e.target.value))}
        aria-label={props.ariaLabel}
        data-testid={props.testId}
      />
    </label>
  );
}
