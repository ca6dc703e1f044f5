import { AppError } from '../../../shared/contract/errors';
import type { City, CityWithCount, SplitConfig } from '../../../shared/contract/library-types';
import { haversineKm, nearestCityWithin } from '../../../shared/domain/geo';
import type { Sql } from '../db/sql';
import { setCurrentLabel } from './labels';

type CityRow = {
  id: number;
  name: string;
  country: string;
  lat: number;
  lon: number;
  radius_km: number;
};

const toCity = (r: CityRow): City => ({
  id: r.id,
  name: r.name,
  country: r.country,
  lat: r.lat,
  lon: r.lon,
  radiusKm: r.radius_km,
});

export function listCities(sql: Sql): City[] {
  return sql
    .all<CityRow>('SELECT id, name, country, lat, lon, radius_km FROM cities ORDER BY name')
    .map(toCity);
}

export function listCitiesWithCounts(sql: Sql): CityWithCount[] {
  return sql
    .all<CityRow & { labeled: number }>(
      `SELECT c.id, c.name, c.country, c.lat, c.lon, c.radius_km,
              (SELECT COUNT(*) FROM images i WHERE i.city_id = c.id) AS labeled
       FROM cities c ORDER BY c.name`,
    )
    .map((r) => ({ ...toCity(r), labeled: r.labeled }));
}

/** Case-insensitive lookup (the column is COLLATE NOCASE). */
export function findCity(sql: Sql, name: string): City | null {
  const row = sql.get<CityRow>(
    'SELECT id, name, country, lat, lon, radius_km FROM cities WHERE name = ?',
    [name.trim()],
  );
  return row === undefined ? null : toCity(row);
}

export function requireCity(sql: Sql, name: string): City {
  const city = findCity(sql, name);
  if (city === null) {
    throw new AppError('NOT_FOUND', `Unknown city "${name}". Add it first (cities.add).`, {
      city: name,
    });
  }
  return city;
}

export type NewCity = { name: string; country: string; lat: number; lon: number; radiusKm: number };

/**
 * Adds a city, then gives a 'gps' label to unlabeled photos whose position falls inside it (the
 * nearest city wins where radii overlap), so the order "import, then add the city" works too.
 * Returns the city and how many photos it labeled.
 */
export function addCity(
  sql: Sql,
  input: NewCity,
  splitConfig: SplitConfig,
): { city: City; labeled: number } {
  return sql.transaction(() => {
    if (findCity(sql, input.name) !== null) {
      throw new AppError('CONFLICT', `A city named "${input.name}" already exists.`, {
        city: input.name,
      });
    }
    const now = new Date().toISOString();
    const { lastInsertRowid } = sql.run(
      'INSERT INTO cities (name, country, lat, lon, radius_km, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      [input.name.trim(), input.country.trim(), input.lat, input.lon, input.radiusKm, now],
    );
    const city: City = { ...input, name: input.name.trim(), id: Number(lastInsertRowid) };

    // Bounding box first (indexed), exact distance second.
    const dLat = (input.radiusKm / 111.0) * 1.01;
    const cosLat = Math.max(Math.cos((input.lat * Math.PI) / 180), 1e-6);
    const dLon = Math.min(180, dLat / cosLat);
    const candidates = sql.all<{ id: number; lat: number; lon: number; contentHash: string }>(
      `SELECT id, lat, lon, content_hash AS contentHash FROM images
       WHERE lat BETWEEN ? AND ? AND lat IS NOT NULL AND city_id IS NULL`,
      [input.lat - dLat, input.lat + dLat],
    );
    const all = listCities(sql);
    let labeled = 0;
    for (const image of candidates) {
      const lonGap = Math.abs(((image.lon - input.lon + 540) % 360) - 180);
      if (lonGap > dLon || haversineKm(image, input) > input.radiusKm) continue;
      if (nearestCityWithin(image, all)?.id !== city.id) continue;
      setCurrentLabel(sql, image, city.id, 'gps', now, splitConfig);
      labeled++;
    }
    return { city, labeled };
  });
}

/** Removes a city with its labels; its photos stay, unlabeled. Returns how many lost a label. */
export function removeCity(sql: Sql, name: string): { removed: string; labelsRemoved: number } {
  return sql.transaction(() => {
    const city = requireCity(sql, name);
    const row = sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM images WHERE city_id = ?', [
      city.id,
    ]);
    // The trigger clears images.city_id; the cascade deletes the label history.
    sql.run('DELETE FROM cities WHERE id = ?', [city.id]);
    return { removed: city.name, labelsRemoved: row?.n ?? 0 };
  });
}
