/**
 * Folder names are matched to library cities loosely: "New York", "new_york", "new-york",
 * "NEW.YORK" and "Nèw York" all mean the same city. Comparison is on lower-case letters and digits
 * only, with accents removed.
 */
export function cityKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/** The library city a folder name stands for, or null. */
export function matchCityName(folderName: string, cityNames: readonly string[]): string | null {
  const key = cityKey(folderName);
  if (key === '') return null;
  return cityNames.find((name) => cityKey(name) === key) ?? null;
}
