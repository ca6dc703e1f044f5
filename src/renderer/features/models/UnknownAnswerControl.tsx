import type { ModelOpenSet, ModelSummary } from '../../../shared/contract/ml-types';
import { useLibrary } from '../../app/library-state';
import { useNotify } from '../../app/notices';
import { useStudio } from '../../app/studio-context';
import { fixed } from '../../ui/format';
import { Slider } from '../../ui/Slider';
import { useSettledSave } from '../../ui/use-settled-save';

const percentOf = (openSet: ModelOpenSet): number => Math.round(openSet.keepRate * 100);

/**
 * When a model answers "unknown" (like none of its cities): the share of its validation photos
 * that keep their city. Stored predictions and geolocation batches follow at once.
 */
export function UnknownAnswerControl(props: { model: ModelSummary }) {
  const { model } = props;
  if (model.openSet === null) {
    return (
      <span className="muted small" data-testid="unknown-none">
        Trained before open-set statistics; retrain to get an unknown answer.
      </span>
    );
  }
  return <KeepRateSlider modelId={model.id} modelName={model.name} openSet={model.openSet} />;
}

function KeepRateSlider(props: { modelId: string; modelName: string; openSet: ModelOpenSet }) {
  const { openSet } = props;
  const { client } = useStudio();
  const { changed } = useLibrary();
  const notify = useNotify();
  const save = (keepRate: number | null): void => {
    client.call('models.setUnknown', { modelId: props.modelId, keepRate }).then(
      () => changed('models'),
      (e: unknown) => notify.error(`Could not change the unknown answer of ${props.modelName}`, e),
    );
  };

  // The stored value may change elsewhere (a reset, another door): follow it unless a save waits.
  const keep = useSettledSave(percentOf(openSet), (next) => save(next / 100), openSet);
  const percent = keep.value;
  const change = keep.change;

  const reset = (): void => {
    keep.cancel();
    save(null);
  };

  return (
    <div
      className="ml-unknown-control"
      data-testid="unknown-control"
      data-threshold={openSet.threshold}
      data-custom={openSet.custom}
      data-keep={openSet.keepRate}
    >
      <Slider
        labelClassName="small"
        label={`Keep ${percent}% of ${openSet.fittedOn === 'val' ? 'validation' : 'training'} photos`}
        min={50}
        max={100}
        step={1}
        value={percent}
        onChange={change}
        ariaLabel={`Unknown answer of ${props.modelName}: share of validation photos kept`}
        testId="unknown-keep"
      />
      <span className="muted small" data-testid="unknown-threshold">
        threshold {fixed(openSet.threshold, 2)} ·{' '}
        {openSet.custom ? `default ${fixed(openSet.defaultThreshold, 2)}` : 'default'}
      </span>
      {openSet.custom && (
        <button type="button" className="small" onClick={reset} data-testid="unknown-reset">
          Reset to default
        </button>
      )}
    </div>
  );
}
