import { useState } from 'react';
import type { FormEvent } from 'react';
import type { ParamsIn } from '../../../shared/contract/methods';
import { EMPTY_CITY_FORM, validateCity, type CityField, type CityForm } from './validate';

const FIELDS: { key: CityField; label: string; placeholder: string; inputMode?: 'decimal' }[] = [
  { key: 'name', label: 'Name', placeholder: 'Tokyo' },
  { key: 'country', label: 'Country', placeholder: 'Japan' },
  { key: 'lat', label: 'Latitude', placeholder: '35.6762', inputMode: 'decimal' },
  { key: 'lon', label: 'Longitude', placeholder: '139.6503', inputMode: 'decimal' },
  {
    key: 'radiusKm',
    label: 'Radius (km)',
    placeholder: EMPTY_CITY_FORM.radiusKm,
    inputMode: 'decimal',
  },
];

export function AddCityForm(props: {
  existing: readonly string[];
  busy: boolean;
  onAdd: (city: ParamsIn<'cities.add'>) => Promise<boolean>;
}) {
  const [form, setForm] = useState<CityForm>(EMPTY_CITY_FORM);
  const [errors, setErrors] = useState<Partial<Record<CityField, string>>>({});

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const checked = validateCity(form, props.existing);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    void props.onAdd(checked.value).then((added) => {
      if (added) setForm(EMPTY_CITY_FORM);
    });
  };

  return (
    <form
      className="card add-city"
      onSubmit={submit}
      noValidate
      aria-labelledby="add-city-title"
      data-testid="add-city-form"
    >
      <h2 id="add-city-title">Add a city</h2>
      <div className="field-grid">
        {FIELDS.map((f) => {
          const id = `city-${f.key}`;
          const error = errors[f.key];
          return (
            <div key={f.key} className="field">
              <label htmlFor={id}>{f.label}</label>
              <input
                id={id}
                type="text"
                inputMode={f.inputMode}
                placeholder={f.placeholder}
                value={form[f.key]}
                aria-invalid={error !== undefined}
                aria-describedby={error !== undefined ? `${id}-error` : undefined}
                onChange={(e) => setForm({ ...form, [f.key]: e.target.value })}
                disabled={props.busy}
              />
              {error !== undefined && (
                <span id={`${id}-error`} className="field-error" data-testid={`${id}-error`}>
                  {error}
                </span>
              )}
            </div>
          );
        })}
      </div>
      <p className="muted small">
        Photos whose GPS lies within the radius of the centre are labeled with this city on import.
      </p>
      <button type="submit" className="primary" disabled={props.busy}>
        Add city
      </button>
    </form>
  );
}
