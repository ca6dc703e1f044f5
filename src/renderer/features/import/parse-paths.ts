/** Splits the text area into paths: one a line, blank lines and surrounding spaces ignored. */
export function parsePaths(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}
