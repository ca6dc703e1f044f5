import type { ParamsIn } from '../../../shared/contract/methods';

export type CityForm = {
  name: string;
  country: string;
  lat: string;
  lon: string;
  radiusKm: string;
};
export type CityField = keyof CityForm;

export const EMPTY_CITY_FORM: CityForm = {
  name: '',
  country: '',
  lat: '',
  lon: '',
  radiusKm: '25',
};

type Checked =
  | { ok: true; value: ParamsIn<'cities.add'> }
  | { ok: false; errors: Partial<Record<CityField, string>> };

function number(text: string): number | null {
  const t = text.trim();
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/** The same limits as the contract's schema, checked before sending so each field gets a message. */
export function validateCity(form: CityForm, existing: readonly string[]): Checked {
  const errors: Partial<Record<CityField, string>> = {};
  const name = form.name.trim();
  if (name === '') errors.name = 'A city needs a name.';
  else if (name.length > 100) errors.name = 'At most 100 characters.';
  else if (existing.some((e) => e.toLowerCase() === name.toLowerCase())) {
    errors.name = `“${name}” is already in the library.`;
  }
  if (form.country.trim().length > 100) errors.country = 'At most 100 characters.';
  const lat = number(form.lat);
  if (lat === null || lat < -90 || lat > 90) errors.lat = 'Latitude is a number from -90 to 90.';
  const lon = number(form.lon);
  if (lon === null || lon < -180 || lon > 180) {
    errors.lon = 'Longitude is a number from -180 to 180.';
  }
  const radiusKm = number(form.radiusKm);
  if (radiusKm === null || radiusKm <= 0 || radiusKm > 20_000) {
    errors.radiusKm = 'Radius is more than 0 and at most 20 000 km.';
  }
  if (Object.keys(errors).length > 0 || lat === null || lon === null || radiusKm === null) {
    return { ok: false, errors };
  }
  return { ok: true, value: { name, country: form.country.trim(), lat, lon, radiusKm } };
}
