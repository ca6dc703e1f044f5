/**
 * The typed message protocol between the app (CLI, HTTP server, Electron main) and the ML host
 * process, where every tfjs call runs. Messages travel by structured clone (child_process.fork with
 * serialization 'advanced', or Electron's utilityProcess), so typed arrays cross as typed arrays.
 * Type-only imports: the client side never loads TensorFlow.
 */
import type { AppErrorData, ErrorCode } from '../../../shared/contract/errors';
import type { EpochMetrics } from '../../../shared/contract/job-types';
import type {
  CatalogueEntry,
  CityProbability,
  EvaluationReport,
  TrainHyperParams,
} from '../../../shared/contract/ml-types';
import type { BackboneMeta } from '../backbone';
import type { BackendInfo, BackendPreference } from '../backend';
import type { LabelHostOpMap } from '../labeling/host-op-types';
import type { EmbedRunParams, EmbedRunResult } from '../pipeline/embed-run';
import type { ExplainRunParams, ExplainRunResult } from '../pipeline/explain-run';
import type { MaximiseRunParams, MaximiseRunResult } from '../pipeline/maximise-run';
import type {
  EvaluateRunParams,
  EvaluateRunResult,
  FeatureChunkParams,
  FeatureChunkResult,
  PredictRunParams,
  PredictRunResult,
  TrainRunParams,
  TrainRunResult,
} from '../pipeline/types';
import type { TrainHeadResult } from '../train/stage1';
import type { HeadState } from '../train/types';

/** Streamed while an op runs; never acknowledged (no backpressure on the host). */
export type HostEvent =
  | { kind: 'progress'; done: number; total: number; message: string | null }
  | { kind: 'epoch'; metrics: EpochMetrics }
  | { kind: 'log'; level: 'info' | 'warn'; message: string };

export type ClientToHost =
  { type: 'request'; id: string; op: string; params: unknown } | { type: 'cancel'; id: string };

export type HostToClient =
  | { type: 'ready'; pid: number }
  | { type: 'event'; id: string; event: HostEvent }
  | { type: 'result'; id: string; value: unknown }
  | { type: 'error'; id: string; error: AppErrorData };

/**
 * Examples for an op: rows inline, or read by the host from a raw little-endian float32 file
 * (the feature cache) so hundreds of megabytes never cross the channel.
 */
export type ExampleSetData = {
  rowShape: number[];
  labels: Int32Array | number[];
} & ({ x: Float32Array } | { file: string });

/**
 * The library pipeline's ops (handlers in ops-ml.ts). Large arrays stay out of these messages: the
 * host reads and writes the feature cache in the library database and files itself.
 */
export type MlHostOpMap = {
  /** Converts / copies a TFLite file or TF.js folder into `<root>/<name>`. */
  'backbone.import': {
    params: { root: string; source: string; name: string };
    result: BackboneMeta;
  };
  /** A catalogue backbone (url and sha256 null) or any URL with its sha256; progress in bytes. */
  'backbone.download': {
    params: { root: string; name: string; url: string | null; sha256: string | null };
    result: BackboneMeta;
  };
  'backbone.catalogue': { params: Record<string, never>; result: CatalogueEntry[] };
  /** Computes and stores the features of one chunk of library images. */
  'features.extract': { params: FeatureChunkParams; result: FeatureChunkResult };
  /** A whole training run: stage 1, optional stage 2, validation, model bundle. */
  'train.run': { params: TrainRunParams; result: TrainRunResult };
  'model.evaluate': { params: EvaluateRunParams; result: EvaluateRunResult };
  'model.predict': { params: PredictRunParams; result: PredictRunResult };
  /** One photo's heatmap (occlusion, inclusion or Grad-CAM) for one city of a trained model. */
  'explain.heatmap': { params: ExplainRunParams; result: ExplainRunResult };
  /** A 2-d map (t-SNE / UMAP) of a sample of library photos' penultimate features. */
  'embed.compute': { params: EmbedRunParams; result: EmbedRunResult };
  /** One city's class-maximising image (gradient ascent on the input) of a trained model. */
  'maximise.image': { params: MaximiseRunParams; result: MaximiseRunResult };
  /** Drops the loaded backbone and model (their tensors); answers the tensors left. */
  'host.release': { params: Record<string, never>; result: { numTensors: number } };
};

/**
 * Ops that only the tests' host serves (test/helpers/diag-host-main.ts), to exercise the channel,
 * progress, cancel, crashes and pools without TensorFlow; the shipped host answers NOT_FOUND.
 */
export type DiagOpMap = {
  /** Emits `n` progress events `delayMs` apart, then returns. */
  'diag.count': { params: { n: number; delayMs: number }; result: { counted: number } };
  /** Throws the given error; shows how errors cross the channel. */
  'diag.fail': { params: { code: ErrorCode; message: string }; result: never };
};

/** The ops the shipped host serves. Add an entry here and a handler in ops.ts. */
export type ServedOpMap = MlHostOpMap & {
  'host.ping': { params: Record<string, never>; result: HostPing };
  /** Chooses (once) and reports the tfjs backend; later calls return the same choice. */
  'host.backend': { params: { preference?: BackendPreference }; result: BackendInfo };
  /** Stage 1 on cached features; epoch/progress/log events stream; cancel keeps the best epoch. */
  'train.head': {
    params: {
      train: ExampleSetData;
      val: ExampleSetData | null;
      numClasses: number;
      hyper: Partial<TrainHyperParams>;
      checkpointDir?: string | null;
      resume?: boolean;
      identity?: unknown;
    };
    result: TrainHeadResult;
  };
  'predict.head': {
    params: { head: HeadState; features: Float32Array; classes: string[]; k: number };
    result: CityProbability[][];
  };
  'evaluate.head': {
    params: { head: HeadState; set: ExampleSetData; classes: string[]; priorCounts?: number[] };
    result: EvaluationReport;
  };
} & LabelHostOpMap;

export type HostPing = {
  pid: number;
  uptimeMs: number;
  /** The tfjs backend once one was chosen, else null (ping does not load TensorFlow). */
  backend: string | null;
  numTensors: number | null;
  rssBytes: number;
};

/** Every op a client may ask for: name -> params and result. */
export type HostOpMap = ServedOpMap & DiagOpMap;
export type HostOpName = keyof HostOpMap;
export type ServedOpName = keyof ServedOpMap;
export type HostOpParams<K extends HostOpName> = HostOpMap[K]['params'];
export type HostOpResult<K extends HostOpName> = HostOpMap[K]['result'];

export function isClientMessage(value: unknown): value is ClientToHost {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as { type?: unknown; id?: unknown; op?: unknown };
  if (typeof m.id !== 'string') return false;
  return m.type === 'cancel' || (m.type === 'request' && typeof m.op === 'string');
}

export function isHostMessage(value: unknown): value is HostToClient {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as { type?: unknown; id?: unknown; pid?: unknown };
  if (m.type === 'ready') return typeof m.pid === 'number';
  return (
    typeof m.id === 'string' && (m.type === 'event' || m.type === 'result' || m.type === 'error')
  );
}
