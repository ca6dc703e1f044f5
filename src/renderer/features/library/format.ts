import type { LabelSource } from '../../../shared/contract/library-types';

export const SOURCE_LABELS: Record<LabelSource, string> = {
  folder: 'Folder name',
  csv: 'CSV manifest',
  gps: 'GPS position',
  human: 'Labeled by hand',
  model: 'Model prediction',
  queue: 'Labeled in the queue',
};

/** The file name of a path written with either separator. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] ?? path;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** An ISO time as the user's local date and time; unparsable text is shown as it is. */
export function formatTime(iso: string | null): string {
  if (iso === null) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

export function formatLatLon(lat: number | null, lon: number | null): string {
  if (lat === null || lon === null) return '—';
  const ns = lat >= 0 ? 'N' : 'S';
  const ew = lon >= 0 ? 'E' : 'W';
  return `${Math.abs(lat).toFixed(5)}° ${ns}, ${Math.abs(lon).toFixed(5)}° ${ew}`;
}
