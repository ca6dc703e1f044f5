// Graph surgery on functional tf.LayersModels: find where a network can be cut in two (one tensor
// crosses the cut) and rebuild the part after a cut on a new input, sharing the layers (and so the
// weights). Traversal always follows the node a symbolic tensor came from (t.nodeIndex), never
// `layer.output`, because a re-applied layer has several inbound nodes and `layer.output` is then
// ill-defined.
import * as tf from '@tensorflow/tfjs';
import { AppError } from '../../../shared/contract/errors';

type SymbolicTensor = tf.SymbolicTensor;
type GraphNode = {
  inputTensors: SymbolicTensor[];
  outputTensors: SymbolicTensor[];
  callArgs?: unknown;
};

function nodeOf(t: SymbolicTensor): GraphNode {
  const node = (t.sourceLayer.inboundNodes as unknown as GraphNode[])[t.nodeIndex];
  if (node === undefined) {
    throw new AppError(
      'MODEL_INVALID',
      `Layer '${t.sourceLayer.name}' has no node ${t.nodeIndex}.`,
    );
  }
  return node;
}

function isGraphInput(t: SymbolicTensor): boolean {
  return t.sourceLayer.getClassName() === 'InputLayer' || nodeOf(t).inputTensors.length === 0;
}

function firstOutput(model: tf.LayersModel): SymbolicTensor {
  const out = model.outputs[0];
  if (out === undefined)
    throw new AppError('MODEL_INVALID', `Model '${model.name}' has no output.`);
  return out;
}

/** Every symbolic tensor `target` depends on (itself included), inputs first. */
function ancestors(target: SymbolicTensor): SymbolicTensor[] {
  const seen = new Set<SymbolicTensor>();
  const order: SymbolicTensor[] = [];
  const visit = (t: SymbolicTensor): void => {
    if (seen.has(t)) return;
    seen.add(t);
    for (const i of nodeOf(t).inputTensors) visit(i);
    order.push(t);
  };
  visit(target);
  return order;
}

/** The output tensor of `layerName` within `model`'s own graph (where it is the model's). */
export function layerOutput(model: tf.LayersModel, layerName: string): SymbolicTensor {
  const matches = model.outputs
    .flatMap((o) => ancestors(o))
    .filter((t) => t.sourceLayer.name === layerName);
  const unique = [...new Set(matches)];
  if (unique.length === 0) {
    throw new AppError('NOT_FOUND', `Model '${model.name}' has no layer '${layerName}'.`, {
      layer: layerName,
    });
  }
  if (unique.length > 1) {
    throw new AppError('UNSUPPORTED', `Layer '${layerName}' has several outputs in this model.`);
  }
  return unique[0] as SymbolicTensor;
}

/** The single tensor that feeds `layerName` in `model`'s graph. */
function layerInput(model: tf.LayersModel, layerName: string): SymbolicTensor {
  const nodes = new Set<GraphNode>();
  for (const t of model.outputs.flatMap((o) => ancestors(o))) {
    if (t.sourceLayer.name === layerName) nodes.add(nodeOf(t));
  }
  if (nodes.size === 0) {
    throw new AppError('NOT_FOUND', `Model '${model.name}' has no layer '${layerName}'.`, {
      layer: layerName,
    });
  }
  const [node] = [...nodes];
  if (nodes.size > 1 || node === undefined || node.inputTensors.length !== 1) {
    throw new AppError(
      'UNSUPPORTED',
      `Cannot cut at '${layerName}': it takes ${node?.inputTensors.length ?? 0} inputs or is used more than once.`,
    );
  }
  return node.inputTensors[0] as SymbolicTensor;
}

function shapeOf(cut: SymbolicTensor, layerName: string): number[] {
  return cut.shape.slice(1).map((d) => {
    if (d === null)
      throw new AppError(
        'UNSUPPORTED',
        `The activation before '${layerName}' has an unknown size.`,
      );
    return d;
  });
}

/** Shape (without the batch) of the activation entering `layerName`: a block input's shape. */
export function cutShapeAt(model: tf.LayersModel, layerName: string): number[] {
  return shapeOf(layerInput(model, layerName), layerName);
}

/** True when every path from the model inputs to `target` passes through `cut`. */
function separates(cut: SymbolicTensor, target: SymbolicTensor): boolean {
  const seen = new Set<SymbolicTensor>();
  const reachesInput = (t: SymbolicTensor): boolean => {
    if (t === cut || seen.has(t)) return false;
    seen.add(t);
    if (isGraphInput(t)) return true;
    return nodeOf(t).inputTensors.some(reachesInput);
  };
  return !reachesInput(target);
}

const CONV_CLASSES = new Set(['Conv2D', 'DepthwiseConv2D', 'SeparableConv2D']);

/** 'expanded_conv_3_expand' → 'expanded_conv_3', 'block_16_depthwise' → 'block_16'. */
function groupKey(name: string): string {
  const i = name.lastIndexOf('_');
  return i > 0 ? name.slice(0, i) : name;
}

/**
 * Layer names where the network can be cut for fine-tuning, first block first, last block last:
 * convolutions whose input is the only tensor crossing to the feature layer, one per block (a
 * block is a run of layers whose names share a prefix, e.g. 'expanded_conv_3_*', 'block_3_*').
 * The model input itself is not a cut point.
 */
export function findBlockLayers(model: tf.LayersModel, featureLayer: string): string[] {
  const target = layerOutput(model, featureLayer);
  const blocks: string[] = [];
  let lastKey: string | null = null;
  for (const t of ancestors(target)) {
    const layer = t.sourceLayer;
    const node = nodeOf(t);
    if (t.tensorIndex !== 0 || node.inputTensors.length !== 1) continue;
    const cut = node.inputTensors[0] as SymbolicTensor;
    if (isGraphInput(cut) || !separates(cut, target)) continue;
    const key = groupKey(layer.name);
    if (CONV_CLASSES.has(layer.getClassName()) && key !== lastKey) {
      blocks.push(layer.name);
      lastKey = key;
    }
  }
  return blocks;
}

export type SplitModel = {
  /** input → the activation that feeds `layerName` (shape [N, ...cutShape]). */
  lower: tf.LayersModel;
  /** that activation → the output of `outputLayer` (default: the model's first output). */
  upper: tf.LayersModel;
  /** Shape of the cut activation without the batch dimension, e.g. [7, 7, 160]. */
  cutShape: number[];
};

/**
 * Splits a functional model at the input of `layerName` so that upper(lower(x)) equals the model
 * (or `outputLayer`) on x. Upper re-applies the original layers to a new tf.input, so it shares
 * their weights: training upper fine-tunes the backbone. Throws NOT_FOUND for an unknown layer and
 * UNSUPPORTED when another tensor also crosses the cut (inside a residual block).
 */
export function splitAtLayer(
  model: tf.LayersModel,
  layerName: string,
  outputLayer?: string,
): SplitModel {
  const target = outputLayer === undefined ? firstOutput(model) : layerOutput(model, outputLayer);
  const cut = layerInput(model, layerName);
  if (!separates(cut, target)) {
    throw new AppError(
      'UNSUPPORTED',
      `Cannot cut at '${layerName}': other activations (a residual connection) cross that point. Cut at the start of a block instead.`,
      { layer: layerName },
    );
  }
  const cutShape = shapeOf(cut, layerName);
  const input = tf.input({ shape: cutShape, name: `${layerName}_cut_input`, dtype: cut.dtype });
  const memo = new Map<SymbolicTensor, SymbolicTensor>([[cut, input]]);
  const rebuild = (t: SymbolicTensor): SymbolicTensor => {
    const done = memo.get(t);
    if (done !== undefined) return done;
    if (isGraphInput(t)) {
      throw new AppError(
        'UNSUPPORTED',
        `The graph reaches its input without passing '${layerName}'.`,
      );
    }
    const node = nodeOf(t);
    const inputs = node.inputTensors.map(rebuild);
    const kwargs = (node.callArgs ?? {}) as tf.serialization.ConfigDict;
    const out = t.sourceLayer.apply(
      inputs.length === 1 ? (inputs[0] as SymbolicTensor) : inputs,
      kwargs,
    );
    const outs = (Array.isArray(out) ? out : [out]) as SymbolicTensor[];
    node.outputTensors.forEach((o, i) => {
      const r = outs[i];
      if (r !== undefined) memo.set(o, r);
    });
    const result = memo.get(t);
    if (result === undefined) throw new AppError('INTERNAL', `Could not rebuild '${t.name}'.`);
    return result;
  };
  const upper = tf.model({
    inputs: input,
    outputs: rebuild(target),
    name: `${model.name}_from_${layerName}`,
  });
  const lower = tf.model({
    inputs: model.inputs,
    outputs: cut,
    name: `${model.name}_to_${layerName}`,
  });
  return { lower, upper, cutShape };
}
