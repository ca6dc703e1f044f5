// Which city a newly imported photo is labeled with, and where the label came from: the folder or
// manifest city first; else the city whose area holds the photo's position (its EXIF GPS, or the
// manifest's position when the camera recorded none).
import type { City } from '../../../shared/contract/library-types';
import { nearestCityWithin } from '../../../shared/domain/geo';
import type { PhotoMeta } from './exif';
import type { Candidate } from './scan';

export type PhotoLabel = {
  position: { lat: number; lon: number } | null;
  cityId: number | null;
  labelSource: 'folder' | 'csv' | 'gps' | null;
};

export function labelPhoto(c: Candidate, meta: PhotoMeta, cities: readonly City[]): PhotoLabel {
  const position =
    meta.lat !== null && meta.lon !== null ? { lat: meta.lat, lon: meta.lon } : c.position;
  if (c.label !== null) {
    const cityId = cities.find((city) => city.name === c.label?.city)?.id ?? null;
    return { position, cityId, labelSource: cityId === null ? null : c.label.source };
  }
  if (position !== null) {
    const near = nearestCityWithin(position, cities);
    // A position from the manifest is the manifest's statement, not the camera's.
    if (near !== null)
      return { position, cityId: near.id, labelSource: meta.lat !== null ? 'gps' : 'csv' };
  }
  return { position, cityId: null, labelSource: null };
}
