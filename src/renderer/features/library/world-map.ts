import { haversineKm, type LatLon } from '../../../shared/domain/geo';

/** The offline map's plane: equirectangular, 360 × 180 units, north up, lon -180 on the left. */
export const MAP_WIDTH = 360;
export const MAP_HEIGHT = 180;

export function project(lat: number, lon: number): { x: number; y: number } {
  return { x: lon + 180, y: 90 - lat };
}

/** The library city nearest to a position, with its distance; null when there are no cities. */
export function nearestCity<C extends LatLon & { name: string }>(
  position: LatLon,
  cities: readonly C[],
): { city: C; km: number } | null {
  let best: { city: C; km: number } | null = null;
  for (const city of cities) {
    const km = haversineKm(position, city);
    if (best === null || km < best.km) best = { city, km };
  }
  return best;
}
