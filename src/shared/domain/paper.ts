/**
 * The paper's accuracy on each of its ten cities (Table 2, "LittlePlaNet City-by-City Accuracy"):
 * the share of a city's Street View test photos it recognised. They belong to the paper's data
 * (Street View, 25 km around each centre), so the app shows them beside a library's own results
 * as a point of reference, never as a target.
 */
export const PAPER_CITY_ACCURACY: Readonly<Record<string, number>> = {
  Barcelona: 0.785,
  'Washington DC': 0.82,
  Detroit: 0.875,
  London: 0.735,
  Moscow: 0.84,
  'New York': 0.405,
  Paris: 0.479,
  'Rio de Janeiro': 0.64,
  'San Francisco': 0.615,
  Sydney: 0.785,
};

const byKey = new Map(
  Object.entries(PAPER_CITY_ACCURACY).map(([city, value]) => [city.toLowerCase(), value]),
);

/** The paper's accuracy for a city of that name (any case), or null for a city it did not have. */
export function paperCityAccuracy(city: string): number | null {
  return byKey.get(city.trim().toLowerCase()) ?? null;
}
