import type { ModelSummary } from '../../shared/contract/ml-types';

/** The `<option>`s of a model picker, each named with its number of cities, the same everywhere. */
export function ModelOptions(props: { models: readonly ModelSummary[] }) {
  return (
    <>
      {props.models.map((m) => (
        <option key={m.id} value={m.id}>
          {m.name} · {m.classes.length} cities
        </option>
      ))}
    </>
  );
}
