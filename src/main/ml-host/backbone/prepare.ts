// Turning a source (TFLite file, TF.js layers or graph folder) into the files and metadata of a
// backbone folder: conversion, validation, feature-layer and block detection, source checksums.
import * as tf from '@tensorflow/tfjs';
import { readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { AppError } from '../../../shared/contract/errors';
import { tfliteToLayersModel, type Normalisation } from '../tflite/builder';
import { findBlockLayers, layerOutput } from './graph';
import {
  fileSystemIO,
  loadArtifacts,
  readModelJson,
  saveArtifacts,
  topologyKind,
  MODEL_JSON,
} from './fs-io';
import { combinedSha256, sha256File, type BackboneMeta } from '../../platform/backbone-meta';

/** Largest TFLite file accepted (MobileNetV2 is 3.6 MB, EfficientNet-B7 about 260 MB). */
const MAX_TFLITE_BYTES = 512 * 1024 * 1024;
/** The usual MobileNet/Keras convention when a TF.js model does not say: pixels → [-1, 1]. */
export const DEFAULT_NORMALISATION: Normalisation = { scale: 2 / 255, offset: -1 };

export type ImportBackboneOptions = {
  /** A .tflite file, a TF.js model folder, or its model.json. */
  source: string;
  name: string;
  root: string;
  /** Classifier labels; a list one shorter than the outputs gets 'background' prepended. */
  labels?: string[] | null;
  /** Override what the model says (or the [-1, 1] default for TF.js models). */
  normalisation?: Normalisation;
  inputSize?: number;
  /** Feature layer (layers models) or node (graph models) when it cannot be detected. */
  featureLayer?: string;
  blockLayers?: string[];
  /** Replace an existing backbone of that name instead of failing with CONFLICT. */
  overwrite?: boolean;
  /** Recorded as `source` in backbone.json (default: the source's file name). */
  sourceLabel?: string;
};

export function labelsFor(
  labels: string[] | null | undefined,
  outputs: number | null,
): string[] | null {
  if (labels === undefined || labels === null) return null;
  if (outputs !== null && labels.length === outputs - 1) return ['background', ...labels];
  if (outputs === null || labels.length !== outputs) {
    throw new AppError(
      'BAD_ARGUMENT',
      `${labels.length} labels given for a classifier with ${outputs ?? 'no'} outputs.`,
    );
  }
  return labels;
}

export type Prepared = Omit<BackboneMeta, 'version' | 'name' | 'source' | 'createdAt'>;

export async function prepareTflite(
  path: string,
  o: ImportBackboneOptions,
  staging: string,
): Promise<Prepared> {
  const info = await stat(path);
  if (info.size > MAX_TFLITE_BYTES) {
    throw new AppError(
      'MODEL_INVALID',
      `${path} is ${info.size} bytes, over the ${MAX_TFLITE_BYTES}-byte limit.`,
    );
  }
  const bytes = await readFile(path);
  const c = tfliteToLayersModel(bytes, o.name);
  try {
    const featureLayer = o.featureLayer ?? c.featureLayer;
    if (featureLayer === null) {
      throw new AppError(
        'UNSUPPORTED',
        'The TFLite model has no global average pool to take features from; name a featureLayer.',
      );
    }
    const featureDim = layerOutput(c.model, featureLayer).shape.at(-1);
    if (c.inputShape[0] !== c.inputShape[1] || c.inputShape[2] !== 3) {
      throw new AppError(
        'UNSUPPORTED',
        `Backbones take square RGB images, this one takes ${c.inputShape.join('x')}.`,
      );
    }
    await c.model.save(fileSystemIO(staging));
    const sha256 = await sha256File(path);
    return {
      format: 'tflite',
      inputSize: c.inputShape[0],
      normalisation: o.normalisation ?? c.normalisation ?? DEFAULT_NORMALISATION,
      featureLayer,
      featureDim: featureDim ?? 0,
      blockLayers:
        o.blockLayers ??
        (featureLayer === c.featureLayer ? c.blockLayers : findBlockLayers(c.model, featureLayer)),
      classifierLabels: labelsFor(o.labels, c.outputSize),
      sha256,
      sourceFiles: [
        {
          path: basename((o.sourceLabel ?? path).split(/[?#]/)[0] ?? path),
          bytes: info.size,
          sha256,
        },
      ],
    };
  } finally {
    c.model.dispose();
  }
}

function detectFeatureLayer(model: tf.LayersModel): string {
  const pools = model.layers.filter((l) => /^Global(Average|Max)Pooling2D$/.test(l.getClassName()));
  const last = pools.at(-1);
  if (last !== undefined) return last.name;
  const out = model.outputs[0];
  if (out !== undefined && out.shape.length === 2) return out.sourceLayer.name;
  throw new AppError(
    'BAD_ARGUMENT',
    'Cannot tell which layer gives the features: name a featureLayer (a global pooling layer).',
  );
}

function inputSizeOf(
  shape: readonly (number | null)[] | undefined,
  o: ImportBackboneOptions,
): number {
  const [, h, w, c] = shape ?? [];
  if (o.inputSize !== undefined) return o.inputSize;
  if (typeof h === 'number' && h === w && (c === 3 || c === null)) return h;
  throw new AppError(
    'BAD_ARGUMENT',
    `The model input ${JSON.stringify(shape)} has no fixed square size; give inputSize.`,
  );
}

export async function prepareTfjs(
  dir: string,
  o: ImportBackboneOptions,
  staging: string,
): Promise<Prepared> {
  const json = await readModelJson(dir);
  const kind = topologyKind(json);
  const artifacts = await loadArtifacts(dir);
  const files = [MODEL_JSON, ...json.weightsManifest.flatMap((g) => g.paths)];
  const sourceFiles = await Promise.all(
    files.map(async (p) => ({
      path: p,
      bytes: (await stat(join(dir, p))).size,
      sha256: await sha256File(join(dir, p)),
    })),
  );
  const common = {
    normalisation: o.normalisation ?? DEFAULT_NORMALISATION,
    sha256: combinedSha256(sourceFiles),
    sourceFiles,
  };
  let prepared: Prepared;
  if (kind === 'layers') {
    const model = await wrapLoad(() => tf.loadLayersModel(tf.io.fromMemory(artifacts)), dir);
    try {
      const featureLayer = o.featureLayer ?? detectFeatureLayer(model);
      const feature = layerOutput(model, featureLayer);
      if (feature.shape.length !== 2) {
        throw new AppError(
          'UNSUPPORTED',
          `Feature layer '${featureLayer}' outputs ${JSON.stringify(feature.shape)}, not a vector.`,
        );
      }
      prepared = {
        ...common,
        format: 'tfjs-layers',
        inputSize: inputSizeOf(model.inputs[0]?.shape, o),
        featureLayer,
        featureDim: feature.shape[1] ?? 0,
        blockLayers: o.blockLayers ?? findBlockLayers(model, featureLayer),
        classifierLabels: labelsFor(o.labels, model.outputs[0]?.shape.at(-1) ?? null),
      };
    } finally {
      model.dispose();
    }
  } else {
    const nodes = (json.modelTopology.node ?? []) as { name?: string; op?: string }[];
    const featureLayer =
      o.featureLayer ?? nodes.filter((n) => n.op === 'AvgPool' || n.op === 'Mean').at(-1)?.name;
    if (featureLayer === undefined) {
      throw new AppError(
        'BAD_ARGUMENT',
        'Cannot find a pooling node in this graph model: name its featureLayer node.',
      );
    }
    const model = await wrapLoad(() => tf.loadGraphModel(tf.io.fromMemory(artifacts)), dir);
    try {
      const inputSize = inputSizeOf(model.inputs[0]?.shape, o);
      // Run once on a blank image: proves the graph executes and gives the real output sizes.
      let featureShape: number[];
      let outputShape: number[];
      try {
        [featureShape, outputShape] = tf.tidy(() => {
          const x = tf.zeros([1, inputSize, inputSize, 3]);
          const f = model.execute(x, featureLayer) as tf.Tensor;
          const out = model.execute(x);
          return [f.shape, (Array.isArray(out) ? out[0] : out)?.shape ?? []];
        });
      } catch (error) {
        throw new AppError(
          'MODEL_INVALID',
          `The graph model in ${dir} does not run to '${featureLayer}': ${(error as Error).message}`,
        );
      }
      prepared = {
        ...common,
        format: 'tfjs-graph',
        inputSize,
        featureLayer,
        featureDim: featureShape.at(-1) ?? 0,
        blockLayers: [],
        classifierLabels: labelsFor(o.labels, outputShape.at(-1) ?? null),
      };
    } finally {
      model.dispose();
    }
  }
  await saveArtifacts(staging, artifacts);
  return prepared;
}

export async function wrapLoad<T>(load: () => Promise<T>, dir: string): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError(
      'MODEL_INVALID',
      `TensorFlow.js cannot build the model in ${dir}: ${(error as Error).message}`,
    );
  }
}
