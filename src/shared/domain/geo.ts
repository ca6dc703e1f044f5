/** Great-circle geometry on a spherical Earth (mean radius), good to ~0.5% — plenty for city radii. */
export const EARTH_RADIUS_KM = 6371.0088;

export type LatLon = { lat: number; lon: number };

const toRad = (deg: number): number => (deg * Math.PI) / 180;

/** Haversine distance in kilometres between two WGS84 positions given in degrees. */
export function haversineKm(a: LatLon, b: LatLon): number {
  const dLat = toRad(b.lat - a.lat);
  const dLon = toRad(b.lon - a.lon);
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(toRad(a.lat)) * Math.cos(toRad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function isValidLatLon(lat: number, lon: number): boolean {
  return (
    Number.isFinite(lat) &&
    Number.isFinite(lon) &&
    lat >= -90 &&
    lat <= 90 &&
    lon >= -180 &&
    lon <= 180
  );
}

export type CityArea = LatLon & { name: string; radiusKm: number };

/**
 * The nearest city whose radius contains the point, or null. When radii overlap the closest centre
 * wins, which is what a person would answer when asked "which city is this in?".
 */
export function nearestCityWithin<C extends CityArea>(
  point: LatLon,
  cities: readonly C[],
): C | null {
  let best: C | null = null;
  let bestKm = Infinity;
  for (const city of cities) {
    const km = haversineKm(point, city);
    if (km <= city.radiusKm && km < bestKm) {
      best = city;
      bestKm = km;
    }
  }
  return best;
}
