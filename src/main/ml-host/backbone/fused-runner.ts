// Inference for layers models with convolution, bias and ReLU fused into one kernel.
//
// A converted TFLite network (and most Keras exports) is a chain of Conv2D / DepthwiseConv2D
// layers each followed by a ReLU layer. LayersModel.predict runs them as separate kernels, so
// every activation map is written, read back and clipped in a second pass. tf.fused.conv2d and
// tf.fused.depthwiseConv2d do the bias and the clip inside the convolution (XNNPACK on wasm),
// which measured 7-18% less time per MobileNetV2 image on the wasm backend (docs/benchmarks.md).
// Only inference uses this path: training keeps the layers (and their gradients) as they are.
import * as tf from '@tensorflow/tfjs';
import { convLayerSpec, inboundLayers, layerChain } from './layer-chain';

type FusableActivation = 'linear' | 'relu' | 'relu6';

type Step =
  | { kind: 'input'; name: string }
  | {
      kind: 'conv' | 'depthwise';
      name: string;
      input: string;
      layer: tf.layers.Layer;
      strides: [number, number];
      padding: 'same' | 'valid';
      dilations: [number, number];
      activation: FusableActivation;
    }
  | { kind: 'layer'; name: string; inputs: string[]; layer: tf.layers.Layer };

type Plan = { steps: Step[]; output: string; foldedRelus: number };

/** The fused activation a ReLU layer amounts to, or null when it has no fused equivalent. */
function reluActivation(layer: tf.layers.Layer): FusableActivation | null {
  if (layer.getClassName() !== 'ReLU') return null;
  const { maxValue } = layer.getConfig() as { maxValue?: number | null };
  if (maxValue === undefined || maxValue === null) return 'relu';
  return maxValue === 6 ? 'relu6' : null;
}

function convStep(layer: tf.layers.Layer, input: string): Step | null {
  const spec = convLayerSpec(layer);
  if (spec === null) return null;
  const { activation } = spec;
  if (activation !== 'linear' && activation !== 'relu' && activation !== 'relu6') return null;
  if (layer.getWeights().length !== (spec.useBias ? 2 : 1)) return null;
  return {
    kind: spec.kind,
    name: layer.name,
    input,
    layer,
    strides: spec.strides,
    padding: spec.padding,
    dilations: spec.dilations,
    activation,
  };
}

/**
 * The model as a list of steps, with each convolution absorbing the ReLU that alone consumes its
 * output. Null when the graph is outside what the runner handles (several inputs or outputs, a
 * layer used twice, multi-output layers): the caller then uses predict().
 */
function compile(model: tf.LayersModel): Plan | null {
  const layers = layerChain(model);
  if (layers === null) return null;
  const consumers = new Map<string, number>();
  for (const layer of layers) {
    for (const from of inboundLayers(layer)) {
      consumers.set(from.name, (consumers.get(from.name) ?? 0) + 1);
    }
  }
  const outputLayer = model.outputs[0]?.sourceLayer;
  if (outputLayer === undefined) return null;

  const steps: Step[] = [];
  // A ReLU folded into its convolution: its name now stands for the convolution's output.
  const alias = new Map<string, string>();
  const byName = new Map<string, Step>();
  let foldedRelus = 0;
  for (const layer of layers) {
    const inputs = inboundLayers(layer).map((from) => alias.get(from.name) ?? from.name);
    if (inputs.length === 0) {
      if (layer.getClassName() !== 'InputLayer') return null;
      steps.push({ kind: 'input', name: layer.name });
      continue;
    }
    const relu = reluActivation(layer);
    const source = inputs.length === 1 ? byName.get(inputs[0] as string) : undefined;
    if (
      relu !== null &&
      source !== undefined &&
      (source.kind === 'conv' || source.kind === 'depthwise') &&
      source.activation === 'linear' &&
      consumers.get(source.name) === 1 &&
      source.name !== outputLayer.name
    ) {
      source.activation = relu;
      alias.set(layer.name, source.name);
      foldedRelus++;
      continue;
    }
    const step =
      (inputs.length === 1 ? convStep(layer, inputs[0] as string) : null) ??
      ({ kind: 'layer', name: layer.name, inputs, layer } as const);
    steps.push(step);
    byName.set(step.name, step);
  }
  return { steps, output: alias.get(outputLayer.name) ?? outputLayer.name, foldedRelus };
}

const plans = new WeakMap<tf.LayersModel, Plan | null>();

function planFor(model: tf.LayersModel): Plan | null {
  if (!plans.has(model)) plans.set(model, compile(model));
  return plans.get(model) ?? null;
}

/**
 * How many ReLU layers of `model` run inside their convolution; null when the model runs through
 * plain predict().
 */
export function foldedRelus(model: tf.LayersModel): number | null {
  return planFor(model)?.foldedRelus ?? null;
}

/** Runs the plan; `tap` names a step whose value is returned beside the output. */
function runPlan(plan: Plan, x: tf.Tensor): tf.Tensor;
function runPlan(plan: Plan, x: tf.Tensor, tap: string): [tf.Tensor, tf.Tensor];
function runPlan(plan: Plan, x: tf.Tensor, tap?: string): tf.Tensor | [tf.Tensor, tf.Tensor] {
  const values = new Map<string, tf.Tensor>();
  const get = (name: string): tf.Tensor => {
    const value = values.get(name);
    if (value === undefined) throw new Error(`fused runner: '${name}' used before it was computed`);
    return value;
  };
  for (const step of plan.steps) {
    if (step.kind === 'input') {
      values.set(step.name, x);
    } else if (step.kind === 'layer') {
      const inputs = step.inputs.map(get);
      const input = inputs.length === 1 ? (inputs[0] as tf.Tensor) : inputs;
      values.set(step.name, step.layer.apply(input) as tf.Tensor);
    } else {
      const [filter, bias] = step.layer.getWeights();
      const args = {
        x: get(step.input) as tf.Tensor4D,
        filter: filter as tf.Tensor4D,
        strides: step.strides,
        pad: step.padding,
        dilations: step.dilations,
        bias,
        activation: step.activation,
      };
      values.set(
        step.name,
        step.kind === 'conv' ? tf.fused.conv2d(args) : tf.fused.depthwiseConv2d(args),
      );
    }
  }
  return tap === undefined ? get(plan.output) : [get(plan.output), get(tap)];
}

/** The plan's name for the value that enters `layerName`, or null when the plan has no such layer. */
function inputStepOf(plan: Plan, layerName: string): string | null {
  const step = plan.steps.find((s) => s.name === layerName);
  if (step === undefined || step.kind === 'input') return null;
  if (step.kind === 'layer') return step.inputs.length === 1 ? (step.inputs[0] as string) : null;
  return step.input;
}

/** Runs `fn` on `x` in batches of `batchSize` rows and concatenates each of its outputs. */
function inBatches(
  x: tf.Tensor,
  batchSize: number,
  fn: (rows: tf.Tensor) => tf.Tensor[],
): tf.Tensor[] {
  const n = x.shape[0] ?? 0;
  if (n <= batchSize) return fn(x);
  const parts: tf.Tensor[][] = [];
  for (let i = 0; i < n; i += batchSize) {
    const rows = Math.min(batchSize, n - i);
    parts.push(fn(tf.slice(x, [i, ...x.shape.slice(1).map(() => 0)], [rows, ...x.shape.slice(1)])));
  }
  return (parts[0] as tf.Tensor[]).map((_, k) =>
    tf.concat(
      parts.map((p) => p[k] as tf.Tensor),
      0,
    ),
  );
}

/**
 * model(x) and, from the same pass, the activation entering `layerName` (the block input stage 2
 * fine-tunes from; the same values as splitAtLayer's lower part gives). Null when the model does
 * not run through the fused plan or `layerName` is not a single-input layer of it: the caller then
 * computes the block input on its own. The caller disposes both tensors.
 */
export function runInferenceWithTap(
  model: tf.LayersModel,
  x: tf.Tensor,
  layerName: string,
  batchSize = 32,
): { output: tf.Tensor; tap: tf.Tensor } | null {
  const plan = planFor(model);
  const tap = plan === null ? null : inputStepOf(plan, layerName);
  if (plan === null || tap === null) return null;
  const [output, tapped] = tf.tidy(() =>
    inBatches(x, batchSize, (rows) => runPlan(plan, rows, tap)),
  );
  return { output: output as tf.Tensor, tap: tapped as tf.Tensor };
}

/**
 * model(x) for inference, in batches of `batchSize` rows: through the fused plan when the graph
 * allows it, else predict(). Same values as predict() up to float rounding. Intermediate tensors
 * are freed; the caller disposes the result.
 */
export function runInference(model: tf.LayersModel, x: tf.Tensor, batchSize = 32): tf.Tensor {
  const plan = planFor(model);
  if (plan === null) return model.predict(x, { batchSize }) as tf.Tensor;
  return tf.tidy(() => inBatches(x, batchSize, (rows) => [runPlan(plan, rows)])[0] as tf.Tensor);
}
