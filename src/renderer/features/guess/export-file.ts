/** Slug of a study name for export file names: `study-3-pilot-1`, letters, digits and dashes. */
export function fileStem(name: string, id: number): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `study-${id}${slug === '' ? '' : `-${slug}`}`;
}
