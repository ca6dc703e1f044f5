import type { GeoExportFormat } from '../../../shared/contract/geo-types';

/** The formats whose result is one text file the page can download (the others write files). */
export type TextFormat = Extract<GeoExportFormat, 'csv' | 'geojson'>;

export const isTextFormat = (f: GeoExportFormat): f is TextFormat => f === 'csv' || f === 'geojson';

const MIME: Record<TextFormat, string> = {
  csv: 'text/csv',
  geojson: 'application/geo+json',
};

/** `geolocate-3-holiday-2024.csv`: the batch id keeps two batches of one name apart. */
export function exportFileName(batchName: string, batchId: number, format: TextFormat): string {
  const slug = batchName
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60)
    .replace(/-$/, '');
  return `geolocate-${batchId}${slug === '' ? '' : `-${slug}`}.${format}`;
}

export const mimeOf = (format: TextFormat): string => MIME[format];
