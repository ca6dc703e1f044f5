/** Result shapes of the photo-library methods. Plain JSON data: they cross IPC, HTTP and the CLI. */

export const SPLITS = ['train', 'val', 'test'] as const;
export type Split = (typeof SPLITS)[number];

/**
 * Who or what set a label: the import folder name, the photo's GPS, a person, a trained model, or
 * a person through the labeling queues ('queue': label next / probably mislabelled).
 */
export const LABEL_SOURCES = ['folder', 'csv', 'gps', 'human', 'model', 'queue'] as const;
export type LabelSource = (typeof LABEL_SOURCES)[number];

export type SplitConfig = {
  train: number;
  val: number;
  test: number;
  seed: number;
  /** When set, images within this many km of each other never straddle splits. */
  spatialKm: number | null;
};

export type LibraryInfo = {
  dir: string;
  dbPath: string;
  schemaVersion: number;
  createdAt: string;
  splitConfig: SplitConfig;
};

export type City = {
  id: number;
  name: string;
  country: string;
  lat: number;
  lon: number;
  radiusKm: number;
};

export type CityWithCount = City & { labeled: number };

export type LibraryStats = {
  images: number;
  labeled: number;
  unlabeled: number;
  /** City name -> labeled image count (every city of the library, zero included). */
  cities: Record<string, number>;
  splits: Record<Split | 'unassigned', number>;
  labelSources: Record<LabelSource, number>;
  /** Per city and split, for the stats table. */
  perCity: { city: string; total: number; train: number; val: number; test: number }[];
};

/** Whether an image's latest prediction names its current label ('correct') or another city. */
export const CORRECTNESS = ['correct', 'wrong'] as const;
export type Correctness = (typeof CORRECTNESS)[number];

/**
 * The most recent prediction stored for an image (by any model): its top city and that city's
 * probability. "Most recent" is the last one written, whatever the model.
 */
export type LatestPrediction = {
  city: string;
  probability: number;
  modelId: string;
  createdAt: string;
};

export type ImageSummary = {
  id: number;
  path: string;
  width: number;
  height: number;
  city: string | null;
  labelSource: LabelSource | null;
  split: Split | null;
  takenAt: string | null;
  lat: number | null;
  lon: number | null;
  prediction: LatestPrediction | null;
  /**
   * The latest prediction was answered "unknown": its oodScore is above its model's threshold,
   * so `prediction.city` is only the forced choice. False without a prediction or open-set data.
   */
  unknown: boolean;
};

export type ImagePage = {
  items: ImageSummary[];
  total: number;
  /** Pass as `cursor` to get the next page; null at the end. */
  nextCursor: number | null;
};

export type ImageDetail = ImageSummary & {
  contentHash: string;
  source: string;
  format: string;
  bytes: number;
  importedAt: string;
  labels: { city: string; source: LabelSource; createdAt: string }[];
};

export type ImportError = { path: string; reason: string };

export type ImportReport = {
  imported: number;
  duplicates: number;
  skipped: number;
  /** Files already in the library from an earlier (possibly interrupted) run of the same import. */
  alreadyPresent: number;
  labeled: number;
  errors: ImportError[];
  /**
   * Files whose content the library already has under another path. `labelConflict` says when the
   * file's folder (or manifest) names another city than the copy in the library has: "same photo
   * labeled London here and Paris in the library"; the library keeps its label.
   */
  duplicateOf: { path: string; existingPath: string; labelConflict?: string }[];
  durationMs: number;
};

export type SplitSummary = {
  config: SplitConfig;
  counts: Record<Split, number>;
  perCity: { city: string; train: number; val: number; test: number }[];
  /** Number of spatial clusters when spatialKm is set, else null. */
  clusters: number | null;
};
