/**
 * Type-ahead matching for the labeler: what a person typed against the library's city names.
 * Case and accents are ignored; a name that starts with the text comes first, then one with a word
 * that starts with it ("york" → New York), then one that merely contains it. Library order is kept
 * within each group, so the first match is predictable.
 */
const fold = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

export function matchCities(query: string, names: readonly string[]): string[] {
  const q = fold(query.trim());
  if (q === '') return [];
  const starts: string[] = [];
  const words: string[] = [];
  const contains: string[] = [];
  for (const name of names) {
    const n = fold(name);
    if (n.startsWith(q)) starts.push(name);
    else if (n.split(/[\s\-']+/).some((w) => w.startsWith(q))) words.push(name);
    else if (n.includes(q)) contains.push(name);
  }
  return [...starts, ...words, ...contains];
}

/** A key that extends the typed text: one printable character, not a digit (digits are shortcuts). */
export function isTypeAheadKey(key: string): boolean {
  return key.length === 1 && !/[0-9]/.test(key) && (/\p{L}/u.test(key) || /[ .'-]/.test(key));
}
