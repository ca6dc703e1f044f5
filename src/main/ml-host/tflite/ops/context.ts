// The state one TFLite → TF.js conversion shares between its operator builders: the parsed model,
// the layer namer, the activations computed so far and the constants QUANTIZE/DEQUANTIZE rename.
import * as tf from '@tensorflow/tfjs';
import { AppError } from '../../../../shared/contract/errors';
import { dequantize } from '../dequantize';
import type { Namer } from '../layout';
import type { TfliteModel, TfliteOperator, TfliteTensor } from '../schema';

export type ST = tf.SymbolicTensor;

export type BuildContext = {
  readonly model: TfliteModel;
  readonly namer: Namer;
  /** Tensor `i` of the model (MODEL_INVALID when an operator names one that does not exist). */
  tensor(i: number | undefined): TfliteTensor;
  /** The operator's (first) output tensor. */
  output(op: TfliteOperator): TfliteTensor;
  /** Whether tensor `i` holds constant data, itself or through a QUANTIZE/DEQUANTIZE. */
  isConst(i: number): boolean;
  /** The constant tensor behind `i`, following QUANTIZE/DEQUANTIZE renames. */
  constTensor(i: number): TfliteTensor;
  /** The activation computed for tensor `i`, if any. */
  computed(i: number): ST | undefined;
  /** The activation an earlier operator (or the input) computed for tensor `i`. */
  value(op: TfliteOperator, i: number | undefined): ST;
  /** Records the activation computed for tensor `i`. */
  define(i: number, value: ST): void;
  /** Makes tensor `out` another name for the constant `src` (a quantise of a weight). */
  aliasConstant(out: number, src: number): void;
  /** Records a global average pool; the last one is the backbone's feature layer. */
  notePool(name: string, dim: number): void;
  /** The last global average pool recorded, or null. */
  lastPool(): { name: string; dim: number } | null;
};

/** Builds the layers of one operator; null when it only renames a constant (nothing to compute). */
export type OpBuilder = (ctx: BuildContext, op: TfliteOperator) => ST | null;

export function unsupported(op: TfliteOperator, why: string): AppError {
  return new AppError('UNSUPPORTED', `TFLite operator ${op.index} (${op.op}): ${why}.`, {
    op: op.op,
    index: op.index,
  });
}

export function createBuildContext(model: TfliteModel, namer: Namer): BuildContext {
  const values = new Map<number, ST>();
  const constAlias = new Map<number, number>();
  let pool: { name: string; dim: number } | null = null;
  const tensor = (i: number | undefined): TfliteTensor => {
    const t = model.tensors[i ?? -1];
    if (t === undefined)
      throw new AppError('MODEL_INVALID', `Operator references a missing tensor ${i}.`);
    return t;
  };
  return {
    model,
    namer,
    tensor,
    output: (op) => tensor(op.outputs[0]),
    isConst: (i) => constAlias.has(i) || (model.buffers[tensor(i).buffer]?.byteLength ?? 0) > 0,
    constTensor: (i) => tensor(constAlias.get(i) ?? i),
    computed: (i) => values.get(i),
    value: (op, i) => {
      const v = values.get(i ?? -1);
      if (v === undefined)
        throw unsupported(op, `input tensor ${i} is not an activation computed earlier`);
      return v;
    },
    define: (i, value) => void values.set(i, value),
    aliasConstant: (out, src) => void constAlias.set(out, constAlias.get(src) ?? src),
    notePool: (name, dim) => void (pool = { name, dim }),
    lastPool: () => pool,
  };
}

/** Applies `layer`, then loads `weights` (built on apply) and frees the temporary tensors. */
export function applyWith(layer: tf.layers.Layer, x: ST, weights: [Float32Array, number[]][]): ST {
  const y = layer.apply(x) as ST;
  tf.tidy(() =>
    layer.setWeights(weights.map(([data, shape]) => tf.tensor(data, shape, 'float32'))),
  );
  return y;
}

/**
 * The float bias of a convolution or dense operator (input 2), zeros when it has none. An int32
 * bias without its own scale takes input scale × weight scale, per output channel.
 */
export function biasOf(
  ctx: BuildContext,
  op: TfliteOperator,
  weights: TfliteTensor,
  size: number,
): Float32Array {
  const bIdx = op.inputs[2] ?? -1;
  if (bIdx < 0) return new Float32Array(size);
  const xScale = ctx.tensor(op.inputs[0]).quantization?.scale[0] ?? 1;
  return dequantize(
    ctx.model,
    ctx.constTensor(bIdx),
    (weights.quantization?.scale ?? [1]).map((s) => s * xScale),
  );
}
