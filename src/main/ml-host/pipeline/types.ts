/**
 * Parameters and results of the ML host's pipeline ops (feature cache, training runs, evaluation,
 * prediction). Plain data: they cross the host channel by structured clone. Type-only for the
 * core, which never loads TensorFlow.js.
 */
import type { EpochMetrics } from '../../../shared/contract/job-types';
import type {
  Calibration,
  CityProbability,
  EvaluationReport,
  ModelBundleMeta,
  TrainHyperParams,
  TrainSummary,
} from '../../../shared/contract/ml-types';
import type { BackendInfo, BackendPreference } from '../backend';

/** Where a library keeps what the host reads and writes. */
export type LibraryLocation = {
  /** The library's SQLite file; the host opens its own connection (WAL, busy timeout). */
  dbPath: string;
  /** `<library>/backbones`: one folder per backbone. */
  backbonesRoot: string;
};

/** The backbone a job runs on, pinned by checksum so a replaced folder is noticed. */
export type BackboneRef = { name: string; sha256: string };

/** One library image whose features are wanted: its cached 256x256 JPEG and the views to compute. */
export type FeatureItem = {
  imageId: number;
  contentHash: string;
  normPath: string;
  /** Views whose feature rows are missing. */
  views: number[];
  /** Views whose stage-2 block inputs are wanted (those already on disk are skipped). */
  blockViews?: number[];
};

export type FeatureChunkParams = LibraryLocation & {
  backbone: BackboneRef;
  /**
   * The backend the main host chose: pool members start with it, so every row of the cache comes
   * from the same backend whatever the setting (null: the host's own choice).
   */
  backendPreference: BackendPreference | null;
  /** Seed of the augmented views (crop positions and mirroring, per content hash). */
  augmentSeed: number;
  items: FeatureItem[];
  /**
   * Cache the block inputs at `layer` (the stage-2 cut) from the same forward pass, under
   * `blocksDir` (see block-cache.ts); null or absent: features only.
   */
  blocks?: { blocksDir: string; layer: string } | null;
};

export type ImageFailure = { imageId: number | null; path: string; reason: string };

export type FeatureChunkResult = {
  computed: number;
  /** Block inputs written (0 without `blocks`). */
  blocksComputed: number;
  failed: ImageFailure[];
};

/** A labelled library image of a training run. */
export type DatasetItem = {
  imageId: number;
  contentHash: string;
  normPath: string;
  /** Class index into the run's classes. */
  label: number;
};

export type TrainRunParams = LibraryLocation & {
  backbone: BackboneRef;
  /** `<library>/cache/blocks`: cached block inputs for stage 2. */
  blocksDir: string;
  /** Checkpoints go to `<runDir>/stage1` and `<runDir>/stage2`. */
  runDir: string;
  /** Where the model bundle is written (must not exist yet). */
  modelDir: string;
  /** Continue from the checkpoints in runDir. */
  resume: boolean;
  classes: string[];
  train: DatasetItem[];
  val: DatasetItem[];
  /** Training images contribute views 0..views-1; validation images view 0 (the centre crop). */
  views: number;
  augmentSeed: number;
  stage1: TrainHyperParams;
  stage2: TrainHyperParams | null;
  /** Stage-2 cut (null: the backbone's last block cut point). */
  splitLayer: string | null;
  /** Hash of the (image hash, split, label) list, stored in the bundle and the fingerprint. */
  splitHash: string;
  createdAt: string;
};

export type TrainRunResult = {
  /** The saved bundle's metadata (a cancel before the first epoch ends fails with CANCELLED). */
  meta: ModelBundleMeta;
  summaries: TrainSummary[];
  history: EpochMetrics[];
  validation: EvaluationReport | null;
  backend: BackendInfo;
  /** True when the run stopped on a cancel (the saved model then holds the best epoch). */
  cancelled: boolean;
};

/**
 * An image to run a model on: a library image (its cached 256 JPEG, and cached features when
 * they fit) or any image file, decoded and normalised the way import does it.
 */
export type InferItem = {
  imageId: number | null;
  contentHash: string | null;
  /** 'norm': the library's 256x256 cache JPEG; 'file': any image file. */
  kind: 'norm' | 'file';
  file: string;
  /** Shown in errors and results (the original path for library images). */
  display: string;
  /** Class index (evaluation only). */
  label: number | null;
};

export type InferParams = LibraryLocation & {
  modelDir: string;
  items: InferItem[];
  tta: 'center' | 'multiCrop';
  /** Decompression-bomb guard for files (the library's setting). */
  maxImagePixels: number;
};

export type EvaluateRunParams = InferParams & { priorCounts: number[] | null };

export type EvaluateRunResult = {
  /** On the calibrated probabilities (the model's fitted temperature). */
  report: EvaluationReport;
  /** Calibration of the same answers before temperature scaling (temperature 1). */
  calibrationBefore: Calibration;
  skipped: { path: string; reason: string }[];
  /** Each evaluated item's answer (`index` into the params' items): top class and its probability. */
  items: { index: number; predicted: number; probability: number; oodScore: number | null }[];
};

export type PredictRunParams = InferParams & { k: number };

export type PredictRunResult = {
  /** One entry per readable item, in input order; `index` points into the params' items. */
  predictions: { index: number; top: CityProbability[]; oodScore: number | null }[];
  errors: { path: string; reason: string }[];
};
