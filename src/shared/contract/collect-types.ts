import type { ImportReport } from './library-types';

/**
 * Collecting street-level photos from online services (the paper's section 4): Google's Street
 * View Static API and Mapillary's API v4 (open CC BY-SA imagery). Photos are written into
 * per-city folders and then imported like any folder, labeled by their city.
 */
export const COLLECT_PROVIDERS = ['streetview', 'mapillary'] as const;
export type CollectProvider = (typeof COLLECT_PROVIDERS)[number];

export const COLLECT_RUN_STATUSES = ['running', 'done', 'failed', 'cancelled', 'stopped'] as const;
/** `stopped`: the job ended without finishing (cancelled or the app was killed); resumable. */
export type CollectRunStatus = (typeof COLLECT_RUN_STATUSES)[number];

/** What happened at one planned point. */
export const COLLECT_OUTCOMES = ['fetched', 'no-imagery', 'duplicate', 'failed'] as const;
export type CollectOutcome = (typeof COLLECT_OUTCOMES)[number];

/** The options a run was started with (never a key: keys live in the secret store only). */
export type CollectOptions = {
  provider: CollectProvider;
  cities: string[];
  /** Photos to fetch per city. */
  count: number;
  radiusKm: number;
  /**
   * [minLon, minLat, maxLon, maxLat]: draw points in this box instead of the disc around the
   * city centre (one city only: the box's photos are labeled with it). Null: the disc.
   */
  bbox: [number, number, number, number] | null;
  width: number;
  height: number;
  /** Street View field of view in degrees (1-120). */
  fov: number;
  /** Street View headings: 'random' (seeded, one per point) or a fixed list cycled over points. */
  headings: 'random' | number[];
  pitch: number;
  /** Requests per second at most (metadata, image and page requests together). */
  ratePerSecond: number;
  /** Points drawn per city at most (no imagery, duplicates and failures count too). */
  maxPointsPerCity: number;
  seed: number;
  /** Where the per-city folders go; absolute. */
  destDir: string;
};

export type CollectCityCounts = {
  city: string;
  target: number;
  fetched: number;
  noImagery: number;
  duplicates: number;
  failed: number;
  /** Points drawn so far. */
  points: number;
};

export type CollectRun = {
  id: number;
  provider: CollectProvider;
  status: CollectRunStatus;
  options: CollectOptions;
  /** The job that last worked on this run. */
  jobId: string | null;
  createdAt: string;
  updatedAt: string;
  perCity: CollectCityCounts[];
  /** Why the run stopped early (key rejected, quota, ...), or null. */
  error: { code: string; message: string } | null;
  /** The import of the collected photos (latest), or null before it ran. */
  imported: ImportReport | null;
};

/** What a collect job resolves with. */
export type CollectJobResult = {
  runId: number;
  status: CollectRunStatus;
  perCity: CollectCityCounts[];
  /** Photos written by this job (not counting earlier jobs of the same run). */
  fetchedNow: number;
  import: ImportReport | null;
  destDir: string;
  warnings: string[];
};

/** Where a provider's key is kept: the OS keychain (Electron safeStorage), env, or this session. */
export const SECRET_PLACES = ['safe-storage', 'environment', 'session', 'none'] as const;
export type SecretPlace = (typeof SECRET_PLACES)[number];

/** Whether a key is set for a provider; the key itself never leaves the core. */
export type CollectKeyStatus = {
  provider: CollectProvider;
  set: boolean;
  place: SecretPlace;
  /** Whether collect.key.set can store a key here. */
  writable: boolean;
  /** A sentence for people: where the key is kept, and how to change it. */
  note: string;
  /**
   * True where a key saved to disk would only be obfuscated, not encrypted (Linux without a
   * keyring: Electron's safeStorage backend "basic_text"). collect.key.set then keeps a key for
   * this session only, unless asked to `persist` it anyway.
   */
  weakDiskEncryption: boolean;
};
