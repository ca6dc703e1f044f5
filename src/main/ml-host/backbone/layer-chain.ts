// Reading a layers model as a chain of layer calls, for the code that runs its layers itself
// instead of through predict()/apply(): the fused inference runner and the input-gradient graph of
// the class-maximising ascent. Both handle the same graphs and the same convolutions.
import type * as tf from '@tensorflow/tfjs';

/** What is read of a layer's place in the graph (tfjs-layers' Node, not exported). */
type GraphNode = {
  inboundLayers: tf.layers.Layer[];
  nodeIndices: number[];
  tensorIndices: number[];
};
type GraphLayer = tf.layers.Layer & { inboundNodes: GraphNode[] };

/**
 * The model's layers in order when it has one input and one output and every layer is called once
 * on its inputs' first outputs; null otherwise (several inputs or outputs, a layer used twice,
 * multi-output layers): the caller then runs the model as tfjs does.
 */
export function layerChain(model: tf.LayersModel): tf.layers.Layer[] | null {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) return null;
  const layers = model.layers as GraphLayer[];
  const once = layers.every((layer) => {
    const node = layer.inboundNodes.length === 1 ? layer.inboundNodes[0] : undefined;
    return (
      node !== undefined &&
      node.nodeIndices.every((i) => i === 0) &&
      node.tensorIndices.every((i) => i === 0)
    );
  });
  return once ? layers : null;
}

/** The layers whose outputs a layer of a chain (see layerChain) takes as its inputs. */
export function inboundLayers(layer: tf.layers.Layer): tf.layers.Layer[] {
  return ((layer as GraphLayer).inboundNodes[0] as GraphNode).inboundLayers;
}

type ConvConfig = {
  strides?: number | number[];
  padding?: string;
  dataFormat?: string;
  dilationRate?: number | number[];
  activation?: string;
  useBias?: boolean;
};

/** A Conv2D / DepthwiseConv2D layer as the arguments of the matching tf op. */
export type ConvLayerSpec = {
  kind: 'conv' | 'depthwise';
  strides: [number, number];
  padding: 'same' | 'valid';
  dilations: [number, number];
  /** The layer's own activation ('linear' when none). */
  activation: string;
  useBias: boolean;
};

const pair = (v: number | number[] | undefined): [number, number] => {
  if (v === undefined) return [1, 1];
  if (typeof v === 'number') return [v, v];
  return [v[0] ?? 1, v[1] ?? v[0] ?? 1];
};

/** The layer's convolution, or null when it is not an NHWC Conv2D / DepthwiseConv2D with same or valid padding. */
export function convLayerSpec(layer: tf.layers.Layer): ConvLayerSpec | null {
  const className = layer.getClassName();
  if (className !== 'Conv2D' && className !== 'DepthwiseConv2D') return null;
  const config = layer.getConfig() as ConvConfig;
  if (config.dataFormat !== undefined && config.dataFormat !== 'channelsLast') return null;
  if (config.padding !== 'same' && config.padding !== 'valid') return null;
  return {
    kind: className === 'Conv2D' ? 'conv' : 'depthwise',
    strides: pair(config.strides),
    padding: config.padding,
    dilations: pair(config.dilationRate),
    activation: config.activation ?? 'linear',
    useBias: config.useBias !== false,
  };
}
