// Geolocation results as files other tools read: CSV (one row per photo) and GeoJSON (a point per
// photo at its estimated city's centre). Pure formatting; the caller writes the text.
import { csvText } from '../csv/csv-text';

/** Who chose a photo's city: the model alone, or a reviewer who accepted or corrected it. */
export type ExportReview = 'none' | 'accepted' | 'corrected';

export type GeolocatedPhoto = {
  path: string;
  city: string;
  country: string;
  /** The model's probability of the city. */
  p: number;
  /** The city's centre (the estimate is a city, not a spot). */
  lat: number;
  lon: number;
  review: ExportReview;
  /**
   * The model answered "unknown" and no reviewer chose a city: written only when the user asked
   * for forced choices, and marked as one.
   */
  forcedChoice: boolean;
};

const CSV_HEADER = [
  'path',
  'city',
  'country',
  'probability',
  'lat',
  'lon',
  'model',
  'review',
  'forced_choice',
];

export function geolocationCsv(rows: readonly GeolocatedPhoto[], modelId: string): string {
  return csvText(
    CSV_HEADER,
    rows.map((r) => [
      r.path,
      r.city,
      r.country,
      Number(r.p.toFixed(4)),
      r.lat,
      r.lon,
      modelId,
      r.review,
      r.forcedChoice,
    ]),
  );
}

export function geolocationGeoJson(rows: readonly GeolocatedPhoto[], modelId: string): string {
  return `${JSON.stringify(
    {
      type: 'FeatureCollection',
      features: rows.map((r) => ({
        type: 'Feature',
        // GeoJSON orders positions longitude first.
        geometry: { type: 'Point', coordinates: [r.lon, r.lat] },
        properties: {
          path: r.path,
          city: r.city,
          country: r.country,
          probability: r.p,
          model: modelId,
          // The position is a city centre either way; a reviewer may have chosen the city.
          estimated: true,
          review: r.review,
          forcedChoice: r.forcedChoice,
        },
      })),
    },
    null,
    2,
  )}\n`;
}
