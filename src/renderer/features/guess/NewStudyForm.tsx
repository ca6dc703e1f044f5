import { useState } from 'react';
import type { FormEvent } from 'react';
import type { ModelSummary } from '../../../shared/contract/ml-types';
import type { StudyCreated } from '../../../shared/contract/study-types';
import { useStudio } from '../../app/studio-context';
import { ErrorLine } from '../../ui/ErrorLine';
import { useAction } from '../../ui/use-action';
import {
  defaultStudyForm,
  toggleCity,
  validateStudyForm,
  type FormErrors,
  type StudyForm,
} from './study-form';
import { ModelOptions } from '../../ui/ModelOptions';

/** The "New study" form: name, model, cities, photos, rounds, reveal mode, limits and consent. */
export function NewStudyForm(props: {
  models: ModelSummary[];
  libraryCities: string[];
  onCreated: (study: StudyCreated) => void;
  onCancel: () => void;
}) {
  const { client } = useStudio();
  const [form, setForm] = useState<StudyForm>(() =>
    defaultStudyForm(props.models[0] ?? null, props.libraryCities),
  );
  const [errors, setErrors] = useState<FormErrors>({});
  const action = useAction<void>();
  const { busy, error: failure } = action;
  const model = props.models.find((m) => m.id === form.modelId) ?? null;
  const allCities = model?.classes ?? props.libraryCities;
  const set = (patch: Partial<StudyForm>) => setForm((f) => ({ ...f, ...patch }));

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const checked = validateStudyForm(form);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    void action.run(async () => props.onCreated(await client.call('study.create', checked.value)));
  };

  const fieldError = (key: keyof StudyForm) =>
    errors[key] === undefined ? null : (
      <span className="form-error small" role="alert">
        {errors[key]}
      </span>
    );

  return (
    <form className="card guess-form" onSubmit={submit} noValidate data-testid="study-form">
      <h2>New study</h2>
      <fieldset className="ml-fieldset-plain" disabled={busy}>
        <div className="field-grid">
          <div className="field">
            <label htmlFor="study-name">Name</label>
            <input
              id="study-name"
              value={form.name}
              onChange={(e) => set({ name: e.target.value })}
            />
            {fieldError('name')}
          </div>
          <div className="field">
            <label htmlFor="study-model">Model to compare with</label>
            <select
              id="study-model"
              value={form.modelId}
              onChange={(e) => {
                const next = props.models.find((m) => m.id === e.target.value) ?? null;
                // A new model brings its own cities: the default is all of them.
                set({ modelId: e.target.value, cities: next?.classes ?? props.libraryCities });
              }}
            >
              <ModelOptions models={props.models} />
              <option value="">No model (people only)</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="study-split">Photos</label>
            <select
              id="study-split"
              value={form.split}
              onChange={(e) => set({ split: e.target.value === 'val' ? 'val' : 'test' })}
            >
              <option value="test">Test split (never seen in training)</option>
              <option value="val">Validation split</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="study-rounds">Rounds per participant</label>
            <input
              id="study-rounds"
              inputMode="numeric"
              value={form.rounds}
              onChange={(e) => set({ rounds: e.target.value })}
            />
            {fieldError('rounds')}
          </div>
          <div className="field">
            <label className="checkbox">
              <input
                type="checkbox"
                checked={form.paired}
                onChange={(e) => set({ paired: e.target.checked })}
                data-testid="study-paired"
              />
              Same pictures for everyone (a paired study)
            </label>
          </div>
          <div className="field">
            <label htmlFor="study-reveal">After each guess</label>
            <select
              id="study-reveal"
              value={form.reveal}
              onChange={(e) => set({ reveal: e.target.value === 'pure' ? 'pure' : 'reveal' })}
            >
              <option value="reveal">Reveal the truth and the model’s guess</option>
              <option value="pure">Pure baseline: reveal nothing</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="study-limit">Time limit (seconds, optional)</label>
            <input
              id="study-limit"
              inputMode="numeric"
              placeholder="none"
              value={form.timeLimit}
              onChange={(e) => set({ timeLimit: e.target.value })}
            />
            {fieldError('timeLimit')}
          </div>
          <div className="field">
            <label htmlFor="study-seed">Seed (photo order)</label>
            <input
              id="study-seed"
              inputMode="numeric"
              value={form.seed}
              onChange={(e) => set({ seed: e.target.value })}
            />
            {fieldError('seed')}
          </div>
        </div>
        <fieldset className="guess-cities">
          <legend>Cities</legend>
          {allCities.map((city) => (
            <label key={city} className="guess-city-check">
              <input
                type="checkbox"
                checked={form.cities.includes(city)}
                onChange={() => set({ cities: toggleCity(form.cities, allCities, city) })}
              />
              {city}
            </label>
          ))}
          {fieldError('cities')}
        </fieldset>
        <div className="field">
          <label htmlFor="study-consent">
            Consent text (optional; participants must accept it)
          </label>
          <textarea
            id="study-consent"
            rows={2}
            value={form.consent}
            onChange={(e) => set({ consent: e.target.value })}
          />
        </div>
      </fieldset>
      {failure !== null && <ErrorLine error={failure} testId="study-form-error" />}
      <div className="button-row">
        <button type="submit" className="primary" disabled={busy} data-testid="study-create">
          {busy ? 'Creating…' : 'Create study'}
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
