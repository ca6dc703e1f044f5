/** A row of radio buttons under a legend, as the Explain screen's method and colour pickers are. */
export function MethodRadios<T extends string>(props: {
  legend: string;
  name: string;
  options: readonly T[];
  labels: Record<T, string>;
  value: T;
  onChange: (value: T) => void;
}) {
  return (
    <fieldset className="ml-fieldset-plain explain-methods">
      <legend>{props.legend}</legend>
      {props.options.map((m) => (
        <label key={m} className="explain-method">
          <input
            type="radio"
            name={props.name}
            value={m}
            checked={props.value === m}
            onChange={() => props.onChange(m)}
          />
          {props.labels[m]}
        </label>
      ))}
    </fieldset>
  );
}
