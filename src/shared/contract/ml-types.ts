import type { EpochMetrics } from './job-types';

/**
 * Result shapes of the ML side (evaluation, training, prediction, model bundles). Plain JSON data:
 * they cross the ML host channel, IPC, HTTP and the CLI, and are stored in SQLite as JSON.
 */

/**
 * A proportion `successes / trials` with its Wilson 95% score interval. `value`, `lo` and `hi` are
 * null when `trials` is 0 (the proportion is undefined, never NaN).
 */
export type Proportion = {
  successes: number;
  trials: number;
  value: number | null;
  lo: number | null;
  hi: number | null;
};

export type ClassMetrics = {
  class: string;
  /** Images whose true class is this one (row sum of the confusion matrix). */
  support: number;
  /** Images predicted as this class (column sum). */
  predicted: number;
  truePositives: number;
  /** tp / predicted; null when the class was never predicted. */
  precision: Proportion;
  /**
   * tp / support: the share of this class's images recognised, the paper's "per-city accuracy".
   * Null when the class has no images in the evaluated set.
   */
  recall: Proportion;
  /** 2tp / (2tp + fp + fn); null when the class is absent from both truth and predictions. */
  f1: number | null;
  /** One-vs-rest accuracy (tp + tn) / n. */
  binaryAccuracy: Proportion;
};

/** A mean over the classes where the metric is defined; `classes` says how many that was. */
export type MacroAverage = { value: number | null; classes: number };

export type ReliabilityBin = {
  /** Confidence range [lo, hi) (the last bin includes 1). */
  lo: number;
  hi: number;
  count: number;
  /** Mean top-1 confidence of the images in the bin; null when empty. */
  confidence: number | null;
  /** Top-1 accuracy of the images in the bin; null when empty. */
  accuracy: number | null;
};

export type Calibration = {
  /** Expected calibration error: sum over bins of (count / n) * |accuracy - confidence|. */
  ece: number;
  /** Maximum calibration error over non-empty bins. */
  mce: number;
  bins: ReliabilityBin[];
};

export type EvaluationReport = {
  classes: string[];
  /** Number of evaluated images. */
  n: number;
  /** confusion[t][p]: images of true class t predicted as class p (rows true, columns predicted). */
  confusion: number[][];
  accuracy: Proportion;
  /** Top-k accuracy for each requested k (k <= number of classes), k = 1 equals `accuracy`. */
  topK: ({ k: number } & Proportion)[];
  perClass: ClassMetrics[];
  macro: { precision: MacroAverage; recall: MacroAverage; f1: MacroAverage };
  /** The largest off-diagonal cells, largest first (at most 10, zero cells left out). */
  topConfusions: { true: string; predicted: string; count: number }[];
  calibration: Calibration;
  /** Mean negative log-likelihood of the true class (probabilities clipped at 1e-15). */
  logLoss: number;
  /** Mean multi-class Brier score: sum over classes of (p - onehot)^2, in [0, 2]. */
  brier: number;
  chance: {
    /** 1 / number of classes: guessing uniformly at random. */
    uniform: number;
    /**
     * Always answering the majority class: by the prior counts when given (e.g. the training
     * split), else by the evaluated set's own counts. Its accuracy is measured on this set.
     */
    majority: { class: string; accuracy: Proportion; source: 'prior' | 'evaluated' };
  };
};

/** Per-epoch numbers are `EpochMetrics` in job-types.ts (shared with JobEvent 'epoch'). */

export const OPTIMIZERS = ['sgd', 'adam'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

export const IMBALANCE_MODES = ['none', 'classWeights', 'balancedSampling'] as const;
export type ImbalanceMode = (typeof IMBALANCE_MODES)[number];

/** Hyper-parameters of one training stage. Stage 2 uses the same shape with a smaller rate. */
export type TrainHyperParams = {
  epochs: number;
  batchSize: number;
  optimizer: OptimizerName;
  learningRate: number;
  /** SGD momentum (the paper: 0.9); ignored by Adam. */
  momentum: number;
  /** L2 penalty factor on kernels: loss += l2 * sum(w^2). */
  l2: number;
  /** Multiply the rate by `lrDropFactor` when the monitored accuracy stalls `lrPatience` epochs. */
  lrDropFactor: number;
  lrPatience: number;
  /** Stop after this many epochs without improvement; null never stops early. */
  earlyStopPatience: number | null;
  /** Hidden layer width of the head (null: softmax directly on the features). */
  hidden: number | null;
  dropout: number;
  imbalance: ImbalanceMode;
  seed: number;
};

export type StopReason = 'completed' | 'earlyStopped' | 'cancelled';

export type TrainSummary = {
  stage: 1 | 2;
  epochsRun: number;
  bestEpoch: number | null;
  /** Best monitored accuracy (validation, or training when no validation set was given). */
  bestAccuracy: number | null;
  monitored: 'val' | 'train';
  finalLearningRate: number;
  stopReason: StopReason;
  /** Loss weight of each class (all 1 unless imbalance = 'classWeights'), in class order. */
  classWeights: number[];
  trainCount: number;
  valCount: number;
  hyperParams: TrainHyperParams;
  /** Wall time per epoch, ms. */
  epochMs: number[];
  backend: string;
};

export type CityProbability = { city: string; probability: number };

/** How images become network input; stored in a model bundle so prediction repeats it exactly. */
export type Preprocessing = {
  /** Images are resized to `resize` x `resize` (the paper: 256) before cropping. */
  resize: number;
  /** Side of the crop fed to the network (the paper: 224). */
  crop: number;
  /**
   * Pixel values p in [0, 255] become p * scale + offset; MobileNet v2's 2/255 and -1 give
   * [-1, 1], i.e. the mean 127.5 subtracted and the range scaled.
   */
  scale: number;
  offset: number;
  /** Test-time views: the centre crop, or 4 corners + centre with their mirrors, averaged. */
  tta: 'center' | 'multiCrop';
};

/**
 * How a model tells photos of its cities from photos of none of them (fitted at training time,
 * stored in the bundle). The score is the squared Mahalanobis distance of a photo's backbone
 * features to the nearest city (per feature dimension); higher = less like the training photos.
 */
export type OpenSetMeta = {
  method: 'mahalanobis';
  /** Temperature-scaling divisor of the logits, fitted on validation photos (1 = none). */
  temperature: number;
  /** Default threshold: photos scoring above it are answered "unknown". */
  threshold: number;
  /** Share of the fitting photos the default threshold keeps (0.95). */
  keepRate: number;
  /** What the temperature and threshold were fitted on ('train' when there was no validation split). */
  fittedOn: 'val' | 'train';
  count: number;
  /** Ledoit-Wolf shrinkage of the feature covariance (0-1). */
  shrinkage: number;
  /** Scores of the fitting photos at quantiles 0, 0.01, …, 1 (a keep rate → threshold map). */
  quantiles: number[];
};

export type ModelBundleMeta = {
  format: 'littleplanet-model';
  version: 1;
  createdAt: string;
  backbone: { name: string; sha256: string; splitLayer: string | null; featureDim: number };
  classes: string[];
  preprocessing: Preprocessing;
  head: { inputDim: number; hidden: number | null; dropout: number; numClasses: number };
  /** True when the bundle carries fine-tuned weights of the backbone's upper part (stage 2). */
  hasUpper: boolean;
  metrics: EvaluationReport | null;
  splitHash: string | null;
  hyperParams: { stage1: TrainHyperParams | null; stage2: TrainHyperParams | null };
  summaries: TrainSummary[];
  backend: string;
  /** Open-set statistics; absent in models trained before the app had them (never "unknown"). */
  openSet?: OpenSetMeta;
};

/** A trained model as the library lists it. */
export type ModelSummary = {
  id: string;
  name: string;
  createdAt: string;
  classes: string[];
  backbone: string;
  /** Whether stage 2 (fine-tuning the last block) ran. */
  fineTuned: boolean;
  /** Test accuracy when evaluated, else validation accuracy, else null. */
  accuracy: number | null;
  accuracySplit: 'test' | 'val' | null;
  /** Null for models trained before the app fitted open-set statistics (never "unknown"). */
  openSet: ModelOpenSet | null;
};

export type ModelDetail = ModelSummary & { meta: ModelBundleMeta };

/** A model's "unknown" answer as it stands: the fitted default and the user's choice. */
export type ModelOpenSet = {
  /** Photos whose oodScore is above this are answered "unknown". */
  threshold: number;
  /** The threshold fitted at training time. */
  defaultThreshold: number;
  /** Share of the fitting (validation) photos the current threshold keeps, 0-1. */
  keepRate: number;
  /** True when the user changed the threshold. */
  custom: boolean;
  temperature: number;
  fittedOn: 'val' | 'train';
};

export type ImagePrediction = {
  imageId: number | null;
  path: string;
  /**
   * The k most likely cities, most likely first; all K probabilities sum to 1. Always the forced
   * choice among the model's cities, also for a photo answered "unknown".
   */
  top: CityProbability[];
  /**
   * How unlike the model's training photos this photo is (higher = less alike); null for models
   * without open-set statistics.
   */
  oodScore: number | null;
  /** True when oodScore is above the model's threshold: the photo looks like none of its cities. */
  unknown: boolean;
};

export type FeatureJobResult = {
  backbone: string;
  images: number;
  views: number;
  /** Feature rows computed now (the rest came from the cache). */
  computed: number;
  cached: number;
  durationMs: number;
};

export type TrainJobResult = {
  modelId: string;
  summaries: TrainSummary[];
  /** Evaluation on the validation split of the final model (null without a validation split). */
  validation: EvaluationReport | null;
};

export type EvaluateJobResult = StoredEvaluation;

/** Which TensorFlow.js backend the ML host runs on, and why (shown to users, stored with runs). */
export type BackendReport = {
  name: string;
  package: string;
  gpu: boolean;
  reason: string;
  attempts: { candidate: string; ok: boolean; reason: string }[];
  convGradients: boolean;
};

export type BackboneSummary = {
  name: string;
  format: 'tflite' | 'tfjs-layers' | 'tfjs-graph';
  inputSize: number;
  featureDim: number;
  featureLayer: string;
  /** Cut points for stage-2 fine-tuning, last block last (empty for graph models). */
  blockLayers: string[];
  normalisation: { scale: number; offset: number };
  source: string;
  sha256: string;
  createdAt: string;
};

/** A known backbone the app can download when online (verified by sha256). */
export type CatalogueEntry = { name: string; url: string; sha256: string; format: string };

export type BackboneJobResult = BackboneSummary;

/** A training run as the library keeps it: one per train job, with its epoch history. */
export type RunSummary = {
  jobId: string;
  name: string;
  status: string;
  backbone: string;
  modelId: string | null;
  createdAt: string;
  finishedAt: string | null;
  backend: BackendReport | null;
  epochs: EpochMetrics[];
  summaries: TrainSummary[];
  /** The classes trained on, in the model's output order. */
  classes: string[];
  /**
   * Images per class (in `classes` order) of the training and validation splits: with the
   * summaries' classWeights, this shows how class imbalance was handled.
   */
  classCounts: { train: number[]; val: number[] } | null;
  /** The job id of the interrupted run this one resumed, else null. */
  resumedFrom: string | null;
};

export type StoredEvaluation = {
  id: number;
  modelId: string;
  /** 'val', 'test', or 'external' for a second image set (e.g. the paper's Flickr test). */
  dataset: string;
  /** For external sets: the folders / manifest evaluated. */
  sources: string[];
  tta: Preprocessing['tta'];
  createdAt: string;
  report: EvaluationReport;
  /** External files that could not be read or labelled, with the reason. */
  skipped: { path: string; reason: string }[];
  /** Calibration and open-set figures; null for models without open-set statistics. */
  openSet: EvaluationOpenSet | null;
};

/** One point of a coverage / accuracy curve: the photos scoring at or below `threshold` kept. */
export type CoveragePoint = { threshold: number; coverage: number; accuracy: number | null };

/** The outside set of an evaluation: photos of none of the model's cities. */
export type OutsideSetResult = {
  /** The folders scanned. */
  sources: string[];
  /** Photos scored. */
  n: number;
  /** Share of them answered "unknown" at the model's threshold (0-1). */
  flagged: number;
  /** oodScore's AUROC: evaluated photos (negatives) against outside photos (positives). */
  auroc: number | null;
  /** Share of outside photos still answered with a city when 95% of evaluated photos keep theirs. */
  fprAt95: number | null;
  /** Files that could not be read. */
  skipped: number;
};

export type EvaluationOpenSet = {
  /** The model's fitted temperature (report.calibration is after scaling by it). */
  temperature: number;
  /** Calibration of the same answers with temperature 1 (before scaling). */
  calibrationBefore: Calibration;
  /** The model's threshold when evaluated. */
  threshold: number;
  /** Evaluated photos that kept their city at that threshold, and the accuracy on those. */
  kept: { coverage: number; accuracy: number | null };
  /** Selective accuracy as more photos are answered "unknown" (most unusual first). */
  coverage: CoveragePoint[];
  outside: OutsideSetResult | null;
};

/** One photo of a confusion-matrix cell of a stored evaluation. */
export type EvaluationCellPhoto = {
  /** Null for photos of an external set, or removed from the library since. */
  imageId: number | null;
  path: string;
  /** The model's probability of the predicted city. */
  probability: number;
};

export type PredictJobResult = {
  modelId: string;
  predictions: ImagePrediction[];
  errors: { path: string; reason: string }[];
};

export const EXPLAIN_METHODS = ['occlusion', 'inclusion', 'gradcam'] as const;
export type ExplainMethod = (typeof EXPLAIN_METHODS)[number];

/**
 * A heatmap over the photo's centre crop (what the model sees): rows × cols values, row 0 at the
 * top. Occlusion: the drop in the city's probability when that region is hidden (larger = more
 * important). Inclusion: the city's probability when only that region is shown. Grad-CAM: the
 * positive, gradient-weighted activation of the last convolutional block (unnormalised).
 */
export type ExplainResult = {
  modelId: string;
  imageId: number | null;
  path: string;
  method: ExplainMethod;
  city: string;
  classIndex: number;
  /** The model's probability of every city on the whole photo, in `classes` order. */
  probabilities: number[];
  classes: string[];
  rows: number;
  cols: number;
  values: number[][];
  /** Side of the network input the grid covers (the centre crop of the 256x256 image). */
  inputSize: number;
  /** Occlusion / inclusion square and step in network-input pixels; null for Grad-CAM. */
  box: number | null;
  stride: number | null;
  /** Answered from the library's cache. */
  cached: boolean;
};

export const EMBED_METHODS = ['tsne', 'umap'] as const;
export type EmbedMethod = (typeof EMBED_METHODS)[number];

export type EmbedPoint = {
  imageId: number;
  x: number;
  y: number;
  /** The photo's label (true city). */
  city: string;
  /** The model's top city and its probability. */
  predicted: string;
  probability: number;
};

/** A 2-d map of a sample of labelled photos' penultimate features (the paper's t-SNE figure). */
export type EmbedResult = {
  modelId: string;
  method: EmbedMethod;
  seed: number;
  /** Photos asked for, and the photos in the sample (fewer when the library has fewer). */
  requested: number;
  points: EmbedPoint[];
  classes: string[];
  errors: { path: string; reason: string }[];
  cached: boolean;
};

/**
 * Class-maximising image defaults: 160 px (a step costs about half of 224's on the cpu backend)
 * and 50 steps, about 1.5-2.5 minutes per city on a 2-core machine without native TensorFlow.
 */
export const MAXIMISE_SIZE = 160;
export const MAXIMISE_STEPS = 50;

/** One city's cached class-maximising image (gradient ascent from seeded noise). */
export type MaximiseImage = {
  city: string;
  classIndex: number;
  /** The model's probability of the city on the image as saved, and on the noise it started from. */
  probability: number;
  startProbability: number;
  steps: number;
  seed: number;
  /** Side of the optimised image in pixels (drawn larger). */
  size: number;
  /** The PNG as a data: URL the renderer can draw, and its file in the model's folder. */
  dataUrl: string;
  file: string;
};

export type MaximiseResult = {
  modelId: string;
  classes: string[];
  /** The cities asked for, in class order (fewer when cancelled part way). */
  images: MaximiseImage[];
  /** Cities answered from the cache. */
  cached: number;
};

/** Job kinds of the ML side, merged into JobResults in job-types.ts. */
export type MlJobResults = {
  maximise: MaximiseResult;
  embed: EmbedResult;
  explain: ExplainResult;
  backbone: BackboneJobResult;
  features: FeatureJobResult;
  train: TrainJobResult;
  evaluate: EvaluateJobResult;
  predict: PredictJobResult;
};
