/** Splits the text area into paths: one a line, blank lines and surrounding spaces ignored. */
export function parsePaths(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** The text area with `picked` paths added at the end, one a line, none twice. */
export function appendPaths(text: string, picked: readonly string[]): string {
  const have = parsePaths(text);
  const seen = new Set(have);
  const added = picked.filter((p) => p.trim() !== '' && !seen.has(p) && seen.add(p));
  return [...have, ...added].join('\n');
}
