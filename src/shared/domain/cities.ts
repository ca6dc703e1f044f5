/**
 * The ten cities of the LittlePlaNet paper (Table 2). The paper sampled random points within 25 km of
 * each centre, so 25 km is the default radius used to turn a GPS position into a city label.
 */
export type CitySeed = {
  name: string;
  country: string;
  lat: number;
  lon: number;
  radiusKm: number;
};

export const PAPER_RADIUS_KM = 25;

export const PAPER_CITIES: readonly CitySeed[] = [
  { name: 'Barcelona', country: 'Spain', lat: 41.3874, lon: 2.1686, radiusKm: PAPER_RADIUS_KM },
  {
    name: 'Washington DC',
    country: 'United States',
    lat: 38.9072,
    lon: -77.0369,
    radiusKm: PAPER_RADIUS_KM,
  },
  {
    name: 'Detroit',
    country: 'United States',
    lat: 42.3314,
    lon: -83.0458,
    radiusKm: PAPER_RADIUS_KM,
  },
  {
    name: 'London',
    country: 'United Kingdom',
    lat: 51.5072,
    lon: -0.1276,
    radiusKm: PAPER_RADIUS_KM,
  },
  { name: 'Moscow', country: 'Russia', lat: 55.7558, lon: 37.6173, radiusKm: PAPER_RADIUS_KM },
  {
    name: 'New York',
    country: 'United States',
    lat: 40.7128,
    lon: -74.006,
    radiusKm: PAPER_RADIUS_KM,
  },
  { name: 'Paris', country: 'France', lat: 48.8566, lon: 2.3522, radiusKm: PAPER_RADIUS_KM },
  {
    name: 'Rio de Janeiro',
    country: 'Brazil',
    lat: -22.9068,
    lon: -43.1729,
    radiusKm: PAPER_RADIUS_KM,
  },
  {
    name: 'San Francisco',
    country: 'United States',
    lat: 37.7749,
    lon: -122.4194,
    radiusKm: PAPER_RADIUS_KM,
  },
  { name: 'Sydney', country: 'Australia', lat: -33.8688, lon: 151.2093, radiusKm: PAPER_RADIUS_KM },
];
