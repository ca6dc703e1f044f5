// Geolocating a photo library: a batch is one folder (or several) run through one model, kept in
// the library so it can be resumed, reviewed, mapped and written back later.
import type { CityProbability } from './ml-types';

export const GEO_REVIEW_STATES = ['pending', 'accepted', 'corrected', 'skipped'] as const;
export type GeoReviewState = (typeof GEO_REVIEW_STATES)[number];

/** What a review action does: accept the model's city, correct it, skip, or take it back. */
export const GEO_REVIEW_ACTIONS = ['accept', 'correct', 'skip', 'undo'] as const;
export type GeoReviewAction = (typeof GEO_REVIEW_ACTIONS)[number];

/**
 * Which photos a listing shows. `unsure`: pending and below the batch's threshold; `unknown`:
 * answered "unknown" (like none of the model's cities), whatever their review state.
 */
export const GEO_ITEM_FILTERS = ['all', 'pending', 'unsure', 'reviewed', 'gps', 'unknown'] as const;
export type GeoItemFilter = (typeof GEO_ITEM_FILTERS)[number];

export const GEO_ITEM_ORDERS = ['confidence-desc', 'confidence-asc', 'path'] as const;
export type GeoItemOrder = (typeof GEO_ITEM_ORDERS)[number];

/** Where a photo sits on the map: at its estimated city, or at the city its GPS falls in. */
export const GEO_MAP_PLACES = ['estimated', 'gps'] as const;
export type GeoMapPlace = (typeof GEO_MAP_PLACES)[number];

/**
 * Write-back modes. Every mode except `exif-originals` leaves the photos byte-identical:
 * `xmp` writes `<name>.xmp` beside each photo, `exif-copies` writes JPEG copies with EXIF GPS into
 * a chosen folder, `csv` / `geojson` write one file. `exif-originals` edits the photos themselves
 * and needs `confirmOriginals` plus a backup folder that receives the untouched files first.
 */
export const GEO_EXPORT_FORMATS = [
  'csv',
  'geojson',
  'xmp',
  'exif-copies',
  'exif-originals',
] as const;
export type GeoExportFormat = (typeof GEO_EXPORT_FORMATS)[number];

/** Which photos are written back: every estimated one (skipped ones never), or reviewed only. */
export const GEO_EXPORT_SCOPES = ['all', 'reviewed'] as const;
export type GeoExportScope = (typeof GEO_EXPORT_SCOPES)[number];

/** The model's accuracy on the batch's photos that carry GPS inside one of its cities. */
export type GeoAccuracy = {
  /** Predicted photos whose GPS falls within a city the model knows. */
  withTruth: number;
  correct: number;
  /** correct / withTruth; null when no photo had usable GPS. */
  accuracy: number | null;
  /** Photos with GPS outside every city of the model (not counted above). */
  outsideCities: number;
};

export type GeoBatchSummary = {
  id: number;
  name: string;
  modelId: string;
  /** The folders and files the batch was made from, as given. */
  sources: string[];
  createdAt: string;
  /** Pending photos below this probability are "unsure" (0-1). */
  unsureBelow: number;
  /**
   * Photos whose oodScore is above this are answered "unknown" (the model's threshold, kept in
   * step with it); null for models without open-set statistics.
   */
  unknownAbove: number | null;
  /** True once every photo of the batch has a prediction. */
  complete: boolean;
  counts: {
    photos: number;
    predicted: number;
    withGps: number;
    pending: number;
    accepted: number;
    corrected: number;
    skipped: number;
    unsure: number;
    /** Predicted photos answered "unknown": never written back unless asked or reviewed. */
    unknown: number;
    /** Files of the sources that could not be imported or predicted. */
    failed: number;
  };
  accuracy: GeoAccuracy;
  /** The batch's newest geolocate job (running, finished or interrupted), if any. */
  lastJobId: string | null;
};

export type GeoBatchCreated = GeoBatchSummary & { jobId: string };

export type GeoItem = {
  imageId: number;
  /** The first file the batch was given with this photo's content (see `paths`). */
  path: string;
  /**
   * Every file the batch was given with this content, in path order: copies of a photo share its
   * prediction and review, and write-back goes beside each of them.
   */
  paths: string[];
  /** Null until the photo is predicted. */
  predicted: string | null;
  probability: number | null;
  top: CityProbability[];
  gps: { lat: number; lon: number } | null;
  /** The city whose radius contains the GPS position, if any. */
  gpsCity: string | null;
  review: GeoReviewState;
  /** The city a reviewer accepted or set; null while pending or skipped. */
  reviewedCity: string | null;
  /** Pending and below the batch's threshold. */
  unsure: boolean;
  /** How unlike the model's training photos the photo is; null before prediction or without statistics. */
  oodScore: number | null;
  /** Answered "unknown": the photo looks like none of the model's cities (`predicted` is then the forced choice). */
  unknown: boolean;
};

export type GeoItemsPage = { total: number; items: GeoItem[] };

/** One circle of the map: the photos placed at one city. */
export type GeoMapCity = {
  city: string;
  country: string;
  lat: number;
  lon: number;
  count: number;
  /** Mean probability of the model's city over these photos (0-1). */
  meanConfidence: number;
  /** Photos whose estimate is this city and whose GPS agrees / disagrees (GPS photos only). */
  correct: number;
  wrong: number;
};

/**
 * `unknown`: photos answered "unknown" (none of the model's cities) and not reviewed; with place
 * 'estimated' they are not drawn at any city.
 */
export type GeoMap = {
  place: GeoMapPlace;
  cities: GeoMapCity[];
  unplaced: number;
  unknown: number;
};

export type GeoExportResult = {
  format: GeoExportFormat;
  /** Photos written (sidecars, copies or edited originals), or rows in the file. */
  written: number;
  skipped: { path: string; reason: string }[];
  /** xmp / exif-copies: the file written for each photo (its sidecar or its copy). */
  files: { path: string; file: string }[];
  /** The CSV / GeoJSON file or the folder written to, when one was given. */
  dest: string | null;
  /** The CSV / GeoJSON text itself (a browser page downloads it). Null for the other formats. */
  text: string | null;
  /** exif-originals only: where the untouched files were copied first. */
  backupDir: string | null;
};

export type GeoJobResult = {
  batchId: number;
  photos: number;
  /** Photos predicted by this run (a resumed run skips those already done). */
  newlyPredicted: number;
  errors: { path: string; reason: string }[];
  accuracy: GeoAccuracy;
};
