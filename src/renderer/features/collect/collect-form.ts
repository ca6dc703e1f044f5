import type { CollectProvider } from '../../../shared/contract/collect-types';
import type { ParamsIn } from '../../../shared/contract/methods';

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

function numberIn(text: string, name: string, min: number, max: number, whole = false): number {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(value) || value < min || value > max) {
    throw new Error(`${name} must be a number from ${min} to ${max}.`);
  }
  if (whole && !Number.isInteger(value)) throw new Error(`${name} must be a whole number.`);
  return value;
}

/** The collect.start parameters of a filled-in form, or an Error saying what to fix. */
export function collectParams(form: CollectFormState): ParamsIn<'collect.start'> {
  if (form.cities.length === 0) throw new Error('Choose at least one city.');
  const size = /^\s*(\d{2,3})\s*x\s*(\d{2,3})\s*$/i.exec(form.size);
  if (size === null) throw new Error('Size must look like 256x256 (at most 640x640).');
  const width = numberIn(size[1] ?? '', 'Width', 16, 640, true);
  const height = numberIn(size[2] ?? '', 'Height', 16, 640, true);
  let headings: 'random' | number[] = 'random';
  if (form.headings.trim().toLowerCase() !== 'random') {
    headings = form.headings.split(',').map((h) => numberIn(h, 'Each heading', 0, 360));
  }
  let bbox: [number, number, number, number] | null = null;
  if (form.bbox.trim() !== '') {
    const parts = form.bbox.split(',');
    if (parts.length !== 4) throw new Error('The box is minLon,minLat,maxLon,maxLat.');
    const [w, s, e, n] = parts;
    bbox = [
      numberIn(w ?? '', 'minLon', -180, 180),
      numberIn(s ?? '', 'minLat', -90, 90),
      numberIn(e ?? '', 'maxLon', -180, 180),
      numberIn(n ?? '', 'maxLat', -90, 90),
    ];
    if (bbox[0] >= bbox[2] || bbox[1] >= bbox[3]) throw new Error('The box needs min < max.');
    if (form.cities.length !== 1) throw new Error('A box labels its photos with one city.');
  }
  return {
    provider: form.provider,
    bbox,
    cities: form.cities,
    count: numberIn(form.count, 'Photos per city', 1, 100_000, true),
    radiusKm: numberIn(form.radiusKm, 'Radius', 0.1, 500),
    width,
    height,
    fov: numberIn(form.fov, 'Field of view', 1, 120),
    headings,
    pitch: numberIn(form.pitch, 'Pitch', -90, 90),
    ratePerSecond: numberIn(form.rate, 'Requests per second', 0.1, 100),
    seed: form.seed.trim() === '' ? null : numberIn(form.seed, 'Seed', 0, 0xffffffff, true),
  };
}

export const PROVIDER_NAMES: Record<CollectProvider, string> = {
  streetview: 'Google Street View',
  mapillary: 'Mapillary (CC BY-SA)',
};
