import { libraryMethods } from '../../../shared/contract/library-methods';
import type { ParamsIn } from '../../../shared/contract/methods';
import { numberParam, paramsShape, textParam } from '../../../shared/contract/param-info';
import { numberInRange } from '../../ui/number-field';

const cityParams = paramsShape(libraryMethods['cities.add'].params);
const NAME = textParam(cityParams.name);
const COUNTRY = textParam(cityParams.country);
const LAT = numberParam(cityParams.lat);
const LON = numberParam(cityParams.lon);
const RADIUS_KM = numberParam(cityParams.radiusKm);

/** 20000 → "20 000", as the messages write large numbers. */
const spaced = (n: number | null): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');

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
  radiusKm: String(cityParams.radiusKm.parse(undefined)),
};

type Checked =
  | { ok: true; value: ParamsIn<'cities.add'> }
  | { ok: false; errors: Partial<Record<CityField, string>> };

/** The same limits as the contract's schema, checked before sending so each field gets a message. */
export function validateCity(form: CityForm, existing: readonly string[]): Checked {
  const errors: Partial<Record<CityField, string>> = {};
  const name = form.name.trim();
  if (name === '') errors.name = 'A city needs a name.';
  else if (name.length > NAME.maxLength) errors.name = `At most ${NAME.maxLength} characters.`;
  else if (existing.some((e) => e.toLowerCase() === name.toLowerCase())) {
    errors.name = `“${name}” is already in the library.`;
  }
  if (form.country.trim().length > COUNTRY.maxLength) {
    errors.country = `At most ${COUNTRY.maxLength} characters.`;
  }
  const lat = numberInRange(form.lat, LAT);
  if (lat === null) {
    errors.lat = `Latitude is a number from ${LAT.min} to ${LAT.max}.`;
  }
  const lon = numberInRange(form.lon, LON);
  if (lon === null) {
    errors.lon = `Longitude is a number from ${LON.min} to ${LON.max}.`;
  }
  const radiusKm = numberInRange(form.radiusKm, RADIUS_KM);
  if (radiusKm === null) {
    errors.radiusKm = `Radius is more than ${RADIUS_KM.min} and at most ${spaced(RADIUS_KM.max)} km.`;
  }
  if (Object.keys(errors).length > 0 || lat === null || lon === null || radiusKm === null) {
    return { ok: false, errors };
  }
  return { ok: true, value: { name, country: form.country.trim(), lat, lon, radiusKm } };
}
