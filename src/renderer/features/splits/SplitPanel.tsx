import { useState } from 'react';
import type { FormEvent } from 'react';
import type { SplitSummary } from '../../../shared/contract/library-types';
import { useNotify } from '../../app/notices';
import { useOpenLibrary } from '../../app/library-state';
import { useStudio } from '../../app/studio-context';
import { useAction } from '../../ui/use-action';
import { formFromConfig, validateSplit, type SplitField, type SplitForm } from './split-form';

const SHARES = [
  { key: 'train', label: 'Train %' },
  { key: 'val', label: 'Validation %' },
  { key: 'test', label: 'Test %' },
] as const;

/** Assigns seeded, city-stratified train/val/test splits and shows what came out. */
export function SplitPanel() {
  const { client } = useStudio();
  const notify = useNotify();
  const { library, changed, refreshInfo } = useOpenLibrary();
  const [form, setForm] = useState<SplitForm>(() => formFromConfig(library.splitConfig));
  const [errors, setErrors] = useState<Partial<Record<SplitField, string>>>({});
  const action = useAction<void>();
  const busy = action.busy;
  const [summary, setSummary] = useState<SplitSummary | null>(null);

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const checked = validateSplit(form);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    await action.run(
      async () => {
        const result = await client.call('split.assign', checked.value);
        setSummary(result);
        changed('splits');
        notify.info(
          'Splits assigned',
          `${result.counts.train} train · ${result.counts.val} val · ${result.counts.test} test`,
        );
        await refreshInfo();
      },
      (error) => notify.error('Could not assign the splits', error),
    );
  };

  const field = (
    key: Exclude<SplitField, 'sum'>,
    label: string,
    inputMode: 'decimal' | 'numeric',
  ) => (
    <div className="field" key={key}>
      <label htmlFor={`split-${key}`}>{label}</label>
      <input
        id={`split-${key}`}
        type="text"
        inputMode={inputMode}
        value={form[key]}
        disabled={busy || (key === 'spatialKm' && !form.spatial)}
        aria-invalid={errors[key] !== undefined}
        onChange={(e) => setForm({ ...form, [key]: e.target.value })}
      />
      {errors[key] !== undefined && <span className="field-error">{errors[key]}</span>}
    </div>
  );

  return (
    <form
      className="card split-panel"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-labelledby="split-title"
      data-testid="split-form"
    >
      <h2 id="split-title">Assign splits</h2>
      <p className="muted small">
        Every labeled photo goes to train, validation or test, in the same proportions within each
        city. The same seed always gives the same assignment.
      </p>
      <div className="field-grid">
        {SHARES.map((s) => field(s.key, s.label, 'decimal'))}
        {field('seed', 'Seed', 'numeric')}
      </div>
      <div className="spatial-row">
        <label className="checkbox">
          <input
            type="checkbox"
            checked={form.spatial}
            disabled={busy}
            onChange={(e) => setForm({ ...form, spatial: e.target.checked })}
          />
          Keep photos taken close together in the same split
        </label>
        {field('spatialKm', 'Within (km)', 'decimal')}
      </div>
      {errors.sum !== undefined && (
        <p className="form-error" role="alert">
          {errors.sum}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy} data-testid="split-run">
        {busy ? 'Assigning…' : 'Assign splits'}
      </button>
      {summary !== null && (
        <div className="split-summary" data-testid="split-summary" role="status">
          <strong>Assigned:</strong> <span data-testid="split-train">{summary.counts.train}</span>{' '}
          train · <span data-testid="split-val">{summary.counts.val}</span> validation ·{' '}
          <span data-testid="split-test">{summary.counts.test}</span> test
          {summary.clusters !== null && (
            <span>
              {' '}
              · {summary.clusters} spatial clusters within {summary.config.spatialKm} km
            </span>
          )}
          <span className="muted"> (seed {summary.config.seed})</span>
        </div>
      )}
    </form>
  );
}
