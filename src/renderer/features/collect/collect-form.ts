import {
  COLLECT_HEADING,
  COLLECT_LAT,
  COLLECT_LON,
  COLLECT_MAX_HEADINGS,
  collectMethods,
} from '../../../shared/contract/collect-methods';
import type { CollectProvider } from '../../../shared/contract/collect-types';
import type { ParamsIn } from '../../../shared/contract/methods';
import { numberParam, paramsShape, type NumberParam } from '../../../shared/contract/param-info';
import { fieldRangeMessage, numberInRange } from '../../ui/number-field';

/** The Collect form as typed: strings, so half-typed numbers are kept while editing. */
export type CollectFormState = {
  provider: CollectProvider;
  cities: string[];
  count: string;
  radiusKm: string;
  /** Empty, or minLon,minLat,maxLon,maxLat. */
  bbox: string;
  size: string;
  fov: string;
  /** 'random' or degrees separated by commas. */
  headings: string;
  pitch: string;
  rate: string;
  seed: string;
};

export const INITIAL_FORM: CollectFormState = {
  provider: 'streetview',
  cities: [],
  count: '100',
  radiusKm: '25',
  bbox: '',
  size: '256x256',
  fov: '90',
  headings: 'random',
  pitch: '0',
  rate: '5',
  seed: '',
};

// The contract's limits, so the form refuses what collect.start refuses and says so in its numbers.
const collectParamsShape = paramsShape(collectMethods['collect.start'].params);
const LIMITS = {
  count: numberParam(collectParamsShape.count),
  radiusKm: numberParam(collectParamsShape.radiusKm),
  width: numberParam(collectParamsShape.width),
  height: numberParam(collectParamsShape.height),
  fov: numberParam(collectParamsShape.fov),
  pitch: numberParam(collectParamsShape.pitch),
  ratePerSecond: numberParam(collectParamsShape.ratePerSecond),
  seed: numberParam(collectParamsShape.seed),
  heading: numberParam(COLLECT_HEADING),
  lon: numberParam(COLLECT_LON),
  lat: numberParam(COLLECT_LAT),
};

/** The number in `text` within `range`, or an Error in the contract's words. */
function numberIn(text: string, name: string, range: NumberParam): number {
  const value = numberInRange(text, range);
  if (value === null) throw new Error(fieldRangeMessage(name, range));
  return value;
}

/** The collect.start parameters of a filled-in form, or an Error saying what to fix. */
export function collectParams(form: CollectFormState): ParamsIn<'collect.start'> {
  if (form.cities.length === 0) throw new Error('Choose at least one city.');
  const size = /^\s*([\d.]+)\s*x\s*([\d.]+)\s*$/i.exec(form.size);
  if (size === null) {
    throw new Error(
      `Size must look like 256x256 (at most ${LIMITS.width.max}x${LIMITS.height.max}).`,
    );
  }
  const width = numberIn(size[1] ?? '', 'Width', LIMITS.width);
  const height = numberIn(size[2] ?? '', 'Height', LIMITS.height);
  let headings: 'random' | number[] = 'random';
  if (form.headings.trim().toLowerCase() !== 'random') {
    headings = form.headings.split(',').map((h) => numberIn(h, 'Each heading', LIMITS.heading));
    if (headings.length > COLLECT_MAX_HEADINGS) {
      throw new Error(`At most ${COLLECT_MAX_HEADINGS} headings.`);
    }
  }
  let bbox: [number, number, number, number] | null = null;
  if (form.bbox.trim() !== '') {
    const parts = form.bbox.split(',');
    if (parts.length !== 4) throw new Error('The box is minLon,minLat,maxLon,maxLat.');
    const [w, s, e, n] = parts;
    bbox = [
      numberIn(w ?? '', 'minLon', LIMITS.lon),
      numberIn(s ?? '', 'minLat', LIMITS.lat),
      numberIn(e ?? '', 'maxLon', LIMITS.lon),
      numberIn(n ?? '', 'maxLat', LIMITS.lat),
    ];
    if (bbox[0] >= bbox[2] || bbox[1] >= bbox[3]) throw new Error('The box needs min < max.');
    if (form.cities.length !== 1) throw new Error('A box labels its photos with one city.');
  }
  return {
    provider: form.provider,
    bbox,
    cities: form.cities,
    count: numberIn(form.count, 'Photos per city', LIMITS.count),
    radiusKm: numberIn(form.radiusKm, 'Radius', LIMITS.radiusKm),
    width,
    height,
    fov: numberIn(form.fov, 'Field of view', LIMITS.fov),
    headings,
    pitch: numberIn(form.pitch, 'Pitch', LIMITS.pitch),
    ratePerSecond: numberIn(form.rate, 'Requests per second', LIMITS.ratePerSecond),
    seed: form.seed.trim() === '' ? null : numberIn(form.seed, 'Seed', LIMITS.seed),
  };
}

export const PROVIDER_NAMES: Record<CollectProvider, string> = {
  streetview: 'Google Street View',
  mapillary: 'Mapillary (CC BY-SA)',
};
