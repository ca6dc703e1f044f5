import type { BackendReport } from '../../../shared/contract/ml-types';
import { HyperField, type FormPart } from './HyperField';

/** Stage 2: fine-tuning the backbone's last block(s), and what it costs on this backend. */
export function Stage2Fields(props: { part: FormPart; backend: BackendReport | null }) {
  const { part, backend } = props;
  const { form, set } = part;
  return (
    <fieldset className="ml-fieldset" disabled={part.busy}>
      <legend>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={form.stage2}
            data-testid="train-stage2"
            onChange={(e) => set('stage2', e.target.checked)}
          />
          Stage 2 · fine-tune the backbone&apos;s last{' '}
          {backend?.gpu === true ? 'blocks (three, on this GPU)' : 'block'} with the head
        </label>
      </legend>
      <div className="field-grid">
        <HyperField part={part} name="stage2Epochs" label="Epochs" disabled={!form.stage2} />
        <HyperField
          part={part}
          name="stage2LearningRate"
          label="Learning rate"
          disabled={!form.stage2}
        />
      </div>
      <p className="muted small">
        Stage 2 keeps stage 1&apos;s optimizer, L2, imbalance handling and seed.
        {backend !== null && !backend.convGradients && form.stage2 && (
          <span data-testid="train-cpu-note">
            {' '}
            The {backend.name} backend has no convolution gradients, so those steps run on the plain
            CPU backend: expect stage 2 to be much slower than stage 1.
          </span>
        )}
      </p>
    </fieldset>
  );
}
