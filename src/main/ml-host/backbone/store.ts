// Backbone folders: <root>/<name>/{model.json, weights.bin, backbone.json}. Importing converts a
// TFLite file or re-saves a TF.js model folder into a staging folder and renames it into place, so
// a failed or cancelled import never leaves a half-written backbone behind.
import * as tf from '@tensorflow/tfjs';
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AppError } from '../../../shared/contract/errors';
import { layerOutput } from './graph';
import { fileSystemIO, MODEL_JSON } from './fs-io';
import {
  checkBackboneName,
  readBackboneMeta,
  writeBackboneMeta,
  BACKBONE_JSON,
  type BackboneMeta,
} from '../../platform/backbone-meta';
import {
  prepareTfjs,
  prepareTflite,
  wrapLoad,
  type ImportBackboneOptions,
  type Prepared,
} from './prepare';

export { DEFAULT_NORMALISATION, type ImportBackboneOptions } from './prepare';

export type LayersBackbone = {
  kind: 'layers';
  meta: BackboneMeta;
  /** Input [N, inputSize, inputSize, 3] normalised floats → the original output (e.g. 1001 probs). */
  model: tf.LayersModel;
  /** Same input → [N, featureDim] features; shares the model's weights. */
  featureModel: tf.LayersModel;
  dispose: () => void;
};
export type GraphBackbone = {
  kind: 'graph';
  meta: BackboneMeta;
  model: tf.GraphModel;
  featureModel: null;
  dispose: () => void;
};
export type LoadedBackbone = LayersBackbone | GraphBackbone;

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * Imports a backbone into `<root>/<name>/`. TFLite files are recognised by their 'TFL3'
 * identifier and converted to a float32 layers model; TF.js folders are validated and re-saved as
 * model.json + weights.bin. Errors: NOT_FOUND (no source), CONFLICT (name taken), MODEL_INVALID,
 * UNSUPPORTED (operators or shapes), BAD_ARGUMENT (name, labels, undetectable feature layer).
 */
export async function importBackbone(options: ImportBackboneOptions): Promise<BackboneMeta> {
  const name = checkBackboneName(options.name);
  const target = join(options.root, name);
  let source = options.source;
  let info;
  try {
    info = await stat(source);
  } catch {
    throw new AppError('NOT_FOUND', `${source} does not exist.`, { path: source });
  }
  if (info.isFile() && basename(source) === MODEL_JSON) {
    source = dirname(source);
    info = await stat(source);
  }
  if (!options.overwrite && (await exists(target))) {
    throw new AppError('CONFLICT', `A backbone named '${name}' already exists.`, { name });
  }
  await mkdir(options.root, { recursive: true });
  const staging = join(options.root, `.import-${name}-${randomBytes(4).toString('hex')}`);
  await mkdir(staging);
  try {
    let prepared: Prepared;
    if (info.isDirectory()) {
      prepared = await prepareTfjs(source, options, staging);
    } else {
      const head = Buffer.alloc(8);
      const fh = await open(source, 'r');
      try {
        await fh.read(head, 0, 8, 0);
      } finally {
        await fh.close();
      }
      if (head.subarray(4, 8).toString('latin1') !== 'TFL3') {
        throw new AppError(
          'MODEL_INVALID',
          `${source} is not a TFLite file (no 'TFL3' identifier) nor a TF.js model folder.`,
        );
      }
      prepared = await prepareTflite(source, options, staging);
    }
    const meta: BackboneMeta = {
      version: 1,
      name,
      source: options.sourceLabel ?? basename(source),
      createdAt: new Date().toISOString(),
      ...prepared,
    };
    await writeBackboneMeta(staging, meta);
    if (options.overwrite) await rm(target, { recursive: true, force: true });
    await rename(staging, target);
    return meta;
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

/** Valid backbones under `root`, by name. Folders without a readable backbone.json are skipped. */
export async function listBackbones(root: string): Promise<BackboneMeta[]> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return [];
  }
  const metas: BackboneMeta[] = [];
  for (const n of names.sort()) {
    if (n.startsWith('.') || !(await exists(join(root, n, BACKBONE_JSON)))) continue;
    try {
      metas.push(await readBackboneMeta(join(root, n)));
    } catch {
      // A broken folder is not a backbone; loadBackbone(root, n) reports why.
    }
  }
  return metas;
}

export async function deleteBackbone(root: string, name: string): Promise<void> {
  const dir = join(root, checkBackboneName(name));
  if (!(await exists(join(dir, BACKBONE_JSON)))) {
    throw new AppError('NOT_FOUND', `No backbone named '${name}'.`, { name });
  }
  await rm(dir, { recursive: true, force: true });
}

/**
 * Frees every weight of `model`, also those still referenced by models made from its layers
 * (featureModel, splitAtLayer uppers), which tfjs' per-layer reference counts would keep alive.
 */
function disposeAll(model: tf.LayersModel): void {
  const variables = model.weights.map((w) => w.read());
  model.dispose();
  for (const v of variables) if (!v.isDisposed) v.dispose();
}

/**
 * Loads `<root>/<name>`. Call dispose() when done: it frees all the backbone's weights, so models
 * built from it (featureModel, splitAtLayer results) are unusable afterwards.
 */
export async function loadBackbone(root: string, name: string): Promise<LoadedBackbone> {
  const dir = join(root, checkBackboneName(name));
  const meta = await readBackboneMeta(dir);
  if (meta.format === 'tfjs-graph') {
    const model = await wrapLoad(() => tf.loadGraphModel(fileSystemIO(dir)), dir);
    return { kind: 'graph', meta, model, featureModel: null, dispose: () => model.dispose() };
  }
  const model = await wrapLoad(() => tf.loadLayersModel(fileSystemIO(dir)), dir);
  try {
    const out = layerOutput(model, meta.featureLayer);
    if (out.shape.at(-1) !== meta.featureDim) {
      throw new AppError(
        'MODEL_INVALID',
        `${dir}: '${meta.featureLayer}' gives ${out.shape.at(-1)} features, ${BACKBONE_JSON} says ${meta.featureDim}.`,
      );
    }
    const featureModel = tf.model({ inputs: model.inputs, outputs: out, name: `${name}_features` });
    return { kind: 'layers', meta, model, featureModel, dispose: () => disposeAll(model) };
  } catch (error) {
    model.dispose();
    throw error;
  }
}
