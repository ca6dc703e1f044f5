// Which city a heatmap explains, and the small facts shown beside it.
import type { ExplainMethod } from '../../../shared/contract/ml-types';
import { baseName } from '../library/format';

/** 'predicted' (the model's top city), 'true' (the photo's label) or 'city:<name>'. */
export type TargetChoice = string;

/**
 * The `city` parameter of explain.start for a choice: null lets the backend use the model's top
 * city; a photo without a label the model knows falls back to the prediction as well.
 */
export function targetCity(
  choice: TargetChoice,
  trueCity: string | null,
  classes: readonly string[],
): string | null {
  if (choice === 'true') {
    return trueCity !== null && classes.includes(trueCity) ? trueCity : null;
  }
  if (choice.startsWith('city:')) {
    const city = choice.slice('city:'.length);
    return classes.includes(city) ? city : null;
  }
  return null;
}

export type CityProbability = { city: string; probability: number };

/** The model's k most likely cities, most likely first. */
export function topCities(
  probabilities: readonly number[],
  classes: readonly string[],
  k: number,
): CityProbability[] {
  return classes
    .map((city, i) => ({ city, probability: probabilities[i] ?? 0 }))
    .sort((a, b) => b.probability - a.probability || a.city.localeCompare(b.city))
    .slice(0, k);
}

/** `<photo>-<method>-<city>.png`, safe as a file name on every system. */
export function exportFileName(path: string, method: ExplainMethod, city: string): string {
  const base = baseName(path).replace(/\.[^.]+$/, '');
  const safe = (s: string): string =>
    s
      .normalize('NFKD')
      // Accents come apart from their letters under NFKD; drop them so São stays Sao.
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^\w.-]+/g, '_')
      .replace(/^_+|_+$/g, '') || 'photo';
  return `${safe(base)}-${method}-${safe(city)}.png`;
}
