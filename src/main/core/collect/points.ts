import { EARTH_RADIUS_KM, type LatLon } from '../../../shared/domain/geo';
import { hashString32, mulberry32 } from '../../../shared/domain/random';

/**
 * A point drawn uniformly by area from the disc of `radiusKm` around `centre`, given two uniform
 * numbers in [0, 1). Area-uniform needs distance = R·√u (not R·u, which crowds the centre); the
 * point is placed along the great circle at that distance and a uniform bearing, so it is within
 * R km by haversine too. (On a sphere the cap's area grows slightly slower than r², a <0.01%
 * difference at 25 km.)
 */
export function pointInDisc(centre: LatLon, radiusKm: number, u1: number, u2: number): LatLon {
  const distance = radiusKm * Math.sqrt(u1);
  const bearing = 2 * Math.PI * u2;
  const delta = distance / EARTH_RADIUS_KM;
  const lat1 = (centre.lat * Math.PI) / 180;
  const lon1 = (centre.lon * Math.PI) / 180;
  const sinLat2 =
    Math.sin(lat1) * Math.cos(delta) + Math.cos(lat1) * Math.sin(delta) * Math.cos(bearing);
  const lat2 = Math.asin(Math.max(-1, Math.min(1, sinLat2)));
  const lon2 =
    lon1 +
    Math.atan2(
      Math.sin(bearing) * Math.sin(delta) * Math.cos(lat1),
      Math.cos(delta) - Math.sin(lat1) * sinLat2,
    );
  const lon = ((((lon2 * 180) / Math.PI + 540) % 360) + 360) % 360;
  return { lat: (lat2 * 180) / Math.PI, lon: lon - 180 };
}

/**
 * A point drawn uniformly by area from a [minLon, minLat, maxLon, maxLat] box: uniform in longitude
 * and in sin(latitude), since a degree of latitude holds less area towards the poles.
 */
export function pointInBox(
  bbox: readonly [number, number, number, number],
  u1: number,
  u2: number,
): LatLon {
  const [minLon, minLat, maxLon, maxLat] = bbox;
  const sinMin = Math.sin((minLat * Math.PI) / 180);
  const sinMax = Math.sin((maxLat * Math.PI) / 180);
  const lat = (Math.asin(sinMin + u1 * (sinMax - sinMin)) * 180) / Math.PI;
  return { lat, lon: minLon + u2 * (maxLon - minLon) };
}

/** Where a city's points come from: the disc around its centre, or a box given for the run. */
export type Area =
  | { kind: 'disc'; centre: LatLon; radiusKm: number }
  | { kind: 'box'; bbox: readonly [number, number, number, number] };

export type PlannedPoint = LatLon & { seq: number; heading: number };

/**
 * Point number `seq` of `city` in a run with `seed`: a pure function of the three, so a resumed
 * run (or a re-run with the same seed) asks about exactly the same places in the same order.
 * `headings` 'random' gives each point its own seeded heading; a list is cycled.
 */
export function plannedPoint(
  seed: number,
  city: { name: string },
  area: Area,
  seq: number,
  headings: 'random' | readonly number[],
): PlannedPoint {
  const random = mulberry32(hashString32(`${city.name}\u0000${seq}`, seed >>> 0));
  const u1 = random();
  const u2 = random();
  const { lat, lon } =
    area.kind === 'disc'
      ? pointInDisc(area.centre, area.radiusKm, u1, u2)
      : pointInBox(area.bbox, u1, u2);
  const heading =
    headings === 'random'
      ? Math.round(random() * 3600) / 10
      : (headings[seq % headings.length] ?? 0);
  return { seq, lat, lon, heading: heading % 360 };
}
