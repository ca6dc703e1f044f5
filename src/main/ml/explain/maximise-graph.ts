// A layers model applied for gradients with respect to its input only. tfjs-layers runs Conv2D and
// DepthwiseConv2D through tf.fused.*, whose gradient is one custom function that always computes
// the filter and bias gradients too; the ascent never uses them, and on the cpu backend they cost
// about a fifth of each step. Here each such layer runs as the plain op plus a bias add, whose
// gradients the tape prunes to the input path. Other layers (ReLU, Add, pooling…) run as they are.
import * as tf from '@tensorflow/tfjs';

/** What is read of a layer's place in the graph (tfjs-layers' Node, not exported). */
type GraphNode = {
  inboundLayers: tf.layers.Layer[];
  nodeIndices: number[];
  tensorIndices: number[];
};
type GraphLayer = tf.layers.Layer & { inboundNodes: GraphNode[] };

type ConvConfig = {
  strides?: number | number[];
  padding?: string;
  dataFormat?: string;
  dilationRate?: number | number[];
  activation?: string;
  useBias?: boolean;
};

const pair = (v: number | number[] | undefined): [number, number] =>
  v === undefined ? [1, 1] : typeof v === 'number' ? [v, v] : [v[0] ?? 1, v[1] ?? v[0] ?? 1];

/** The layer as plain ops, or null when it is not a linear NHWC convolution (run it as is). */
function plainConv(layer: tf.layers.Layer): ((x: tf.Tensor4D) => tf.Tensor4D) | null {
  const kind = layer.getClassName();
  if (kind !== 'Conv2D' && kind !== 'DepthwiseConv2D') return null;
  const c = layer.getConfig() as ConvConfig;
  if ((c.activation ?? 'linear') !== 'linear') return null;
  if (c.dataFormat !== undefined && c.dataFormat !== 'channelsLast') return null;
  if (c.padding !== 'same' && c.padding !== 'valid') return null;
  const pad = c.padding;
  const strides = pair(c.strides);
  const dilations = pair(c.dilationRate);
  return (x) => {
    const [filter, bias] = layer.getWeights() as [tf.Tensor4D, tf.Tensor1D | undefined];
    const y =
      kind === 'Conv2D'
        ? tf.conv2d(x, filter, strides, pad, 'NHWC', dilations)
        : tf.depthwiseConv2d(x, filter, strides, pad, 'NHWC', dilations);
    return bias === undefined || c.useBias === false ? y : tf.add(y, bias);
  };
}

/**
 * model(x) with plain convolutions, for tf.grad with respect to x. Falls back to model.apply when
 * the graph is not a single-input, single-output chain of layers each used once.
 */
export function applyForInputGradient(model: tf.LayersModel, x: tf.Tensor): tf.Tensor {
  const output = model.outputs[0]?.sourceLayer;
  const layers = model.layers as GraphLayer[];
  const simple =
    model.inputs.length === 1 &&
    model.outputs.length === 1 &&
    output !== undefined &&
    layers.every(
      (l) =>
        l.inboundNodes.length === 1 &&
        (l.inboundNodes[0] as GraphNode).nodeIndices.every((i) => i === 0) &&
        (l.inboundNodes[0] as GraphNode).tensorIndices.every((i) => i === 0),
    );
  if (!simple) return model.apply(x) as tf.Tensor;
  const values = new Map<string, tf.Tensor>();
  const get = (name: string): tf.Tensor => {
    const v = values.get(name);
    if (v === undefined) throw new Error(`maximise: layer '${name}' used before it was computed`);
    return v;
  };
  for (const layer of layers) {
    const inputs = (layer.inboundNodes[0] as GraphNode).inboundLayers.map((l) => get(l.name));
    if (inputs.length === 0) {
      values.set(layer.name, x);
      continue;
    }
    const conv = inputs.length === 1 ? plainConv(layer) : null;
    const value =
      conv !== null
        ? conv(inputs[0] as tf.Tensor4D)
        : (layer.apply(inputs.length === 1 ? (inputs[0] as tf.Tensor) : inputs) as tf.Tensor);
    values.set(layer.name, value);
  }
  return get(output.name);
}
