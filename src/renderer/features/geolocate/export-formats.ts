import type { GeoExportFormat } from '../../../shared/contract/geo-types';

/** The ways a batch's places can be written, each with what it does to the photos. */
export const EXPORT_FORMATS: readonly { value: GeoExportFormat; label: string; hint: string }[] = [
  { value: 'csv', label: 'CSV', hint: 'One row per photo: path, city, latitude, longitude.' },
  { value: 'geojson', label: 'GeoJSON', hint: 'One point per photo, for GIS tools and maps.' },
  {
    value: 'xmp',
    label: 'XMP sidecars',
    hint: 'A <name>.xmp beside each photo; photos untouched.',
  },
  {
    value: 'exif-copies',
    label: 'EXIF GPS into copies',
    hint: 'JPEG copies with GPS written into a folder you choose; originals untouched.',
  },
  {
    value: 'exif-originals',
    label: 'EXIF GPS into the originals',
    hint: 'Edits the photos themselves, after copying them untouched into a backup folder.',
  },
];
