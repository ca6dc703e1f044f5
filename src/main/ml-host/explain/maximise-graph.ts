// A layers model applied for gradients with respect to its input only. tfjs-layers runs Conv2D and
// DepthwiseConv2D through tf.fused.*, whose gradient is one custom function that always computes
// the filter and bias gradients too; the ascent never uses them, and on the cpu backend they cost
// about a fifth of each step. Here each such layer runs as the plain op plus a bias add, whose
// gradients the tape prunes to the input path. Other layers (ReLU, Add, pooling…) run as they are.
import * as tf from '@tensorflow/tfjs';
import { convLayerSpec, inboundLayers, layerChain } from '../backbone/layer-chain';

/** The layer as plain ops, or null when it is not a linear NHWC convolution (run it as is). */
function plainConv(layer: tf.layers.Layer): ((x: tf.Tensor4D) => tf.Tensor4D) | null {
  const spec = convLayerSpec(layer);
  if (spec === null || spec.activation !== 'linear') return null;
  const { kind, strides, padding, dilations } = spec;
  return (x) => {
    const [filter, bias] = layer.getWeights() as [tf.Tensor4D, tf.Tensor1D | undefined];
    const y =
      kind === 'conv'
        ? tf.conv2d(x, filter, strides, padding, 'NHWC', dilations)
        : tf.depthwiseConv2d(x, filter, strides, padding, 'NHWC', dilations);
    return bias === undefined || !spec.useBias ? y : tf.add(y, bias);
  };
}

/**
 * model(x) with plain convolutions, for tf.grad with respect to x. Falls back to model.apply when
 * the graph is not a single-input, single-output chain of layers each used once.
 */
export function applyForInputGradient(model: tf.LayersModel, x: tf.Tensor): tf.Tensor {
  const output = model.outputs[0]?.sourceLayer;
  const layers = layerChain(model);
  if (layers === null || output === undefined) return model.apply(x) as tf.Tensor;
  const values = new Map<string, tf.Tensor>();
  const get = (name: string): tf.Tensor => {
    const v = values.get(name);
    if (v === undefined) throw new Error(`maximise: layer '${name}' used before it was computed`);
    return v;
  };
  for (const layer of layers) {
    const inputs = inboundLayers(layer).map((l) => get(l.name));
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
