// TFLite graph → float32 functional tf.LayersModel. Quantised weights are dequantised once; the
// float network then computes what the quantised one approximates (QUANTIZE/DEQUANTIZE become
// identities). Layouts: CONV_2D kernels are [out, h, w, in] in TFLite and [h, w, in, out] in
// TF.js; DEPTHWISE_CONV_2D kernels are [1, h, w, in*mult] and [h, w, in, mult] (same bytes).
import * as tf from '@tensorflow/tfjs';
import { AppError } from '../../../shared/contract/errors';
import { findBlockLayers } from '../backbone/graph';
import { dequantize, elementCount, readInts } from './dequantize';
import { commonRoot, convKernel, denseKernel, Namer, scope } from './layout';
import { parseTflite, type FusedActivation, type TfliteOperator } from './schema';

export const SUPPORTED_OPS = [
  'ADD',
  'AVERAGE_POOL_2D',
  'CONCATENATION',
  'CONV_2D',
  'DEPTHWISE_CONV_2D',
  'DEQUANTIZE',
  'FULLY_CONNECTED',
  'LOGISTIC',
  'MAX_POOL_2D',
  'MEAN',
  'PAD',
  'QUANTIZE',
  'RELU',
  'RELU6',
  'RESHAPE',
  'SOFTMAX',
  'TANH',
] as const;

/** x_float = x_uint8 * scale + offset. */
export type Normalisation = { scale: number; offset: number };

export type TfliteConversion = {
  /** Input [N, h, w, c] float32 normalised as `normalisation` says; output as in the TFLite file. */
  model: tf.LayersModel;
  inputShape: [number, number, number];
  /** From the input tensor's quantisation; null for float-input models (unknown). */
  normalisation: Normalisation | null;
  /** The last global average pool (e.g. 'Logits_AvgPool', [N, 1280] for MobileNetV2), or null. */
  featureLayer: string | null;
  featureDim: number | null;
  /** Cut points for fine-tuning, last block last (see findBlockLayers). */
  blockLayers: string[];
  /** Size of the last axis of the (first) output, e.g. 1001. */
  outputSize: number | null;
  opCounts: Record<string, number>;
};

type ST = tf.SymbolicTensor;

function unsupported(op: TfliteOperator, why: string): AppError {
  return new AppError('UNSUPPORTED', `TFLite operator ${op.index} (${op.op}): ${why}.`, {
    op: op.op,
    index: op.index,
  });
}

/**
 * Converts a TFLite flatbuffer (checked: 'TFL3', offsets, buffer sizes) into a float32 LayersModel.
 * Throws MODEL_INVALID for malformed files and UNSUPPORTED naming every operator it cannot build.
 */
export function tfliteToLayersModel(bytes: Uint8Array, name = 'tflite'): TfliteConversion {
  const m = parseTflite(bytes);
  const opCounts: Record<string, number> = {};
  for (const o of m.operators) opCounts[o.op] = (opCounts[o.op] ?? 0) + 1;
  const missing = Object.keys(opCounts).filter(
    (op) => !(SUPPORTED_OPS as readonly string[]).includes(op),
  );
  if (missing.length > 0) {
    throw new AppError(
      'UNSUPPORTED',
      `The TFLite model uses operators this converter does not support: ${missing.map((op) => `${op} (×${opCounts[op]})`).join(', ')}. Supported: ${SUPPORTED_OPS.join(', ')}.`,
      { ops: missing },
    );
  }
  if (m.inputs.length !== 1) {
    throw new AppError(
      'UNSUPPORTED',
      `The TFLite model has ${m.inputs.length} inputs; a backbone takes one image.`,
    );
  }
  const inT = m.tensors[m.inputs[0] ?? -1];
  const [, ih, iw, ic] = inT?.shape ?? [];
  if (inT === undefined || inT.shape.length !== 4 || !ih || !iw || !ic) {
    throw new AppError(
      'UNSUPPORTED',
      `The TFLite input should be an image [1, h, w, c], not ${JSON.stringify(inT?.shape)}.`,
    );
  }

  const namer = new Namer(commonRoot(m));
  const values = new Map<number, ST>();
  const constAlias = new Map<number, number>();
  const tensor = (i: number | undefined) => {
    const t = m.tensors[i ?? -1];
    if (t === undefined)
      throw new AppError('MODEL_INVALID', `Operator references a missing tensor ${i}.`);
    return t;
  };
  const isConst = (i: number): boolean =>
    constAlias.has(i) || (m.buffers[tensor(i).buffer]?.byteLength ?? 0) > 0;
  const constTensor = (i: number) => tensor(constAlias.get(i) ?? i);
  const value = (op: TfliteOperator, i: number | undefined): ST => {
    const v = values.get(i ?? -1);
    if (v === undefined)
      throw unsupported(op, `input tensor ${i} is not an activation computed earlier`);
    return v;
  };
  const input = tf.input({ shape: [ih, iw, ic], name: 'input', dtype: 'float32' });
  values.set(inT.index, input);
  let lastPool: { name: string; dim: number } | null = null;

  const activate = (x: ST, act: FusedActivation, base: string, op: TfliteOperator): ST => {
    switch (act) {
      case 'NONE':
        return x;
      case 'RELU':
        return tf.layers.reLU({ name: namer.make(`${base}_relu`, 'relu') }).apply(x) as ST;
      case 'RELU6':
        return tf.layers
          .reLU({ maxValue: 6, name: namer.make(`${base}_relu6`, 'relu6') })
          .apply(x) as ST;
      case 'TANH':
        return tf.layers
          .activation({ activation: 'tanh', name: namer.make(`${base}_tanh`, 'tanh') })
          .apply(x) as ST;
      default:
        throw unsupported(op, `fused activation ${act}`);
    }
  };
  /** Applies `layer`, then loads `weights` (built on apply) and frees the temporary tensors. */
  const applyWith = (layer: tf.layers.Layer, x: ST, weights: [Float32Array, number[]][]): ST => {
    const y = layer.apply(x) as ST;
    tf.tidy(() =>
      layer.setWeights(weights.map(([data, shape]) => tf.tensor(data, shape, 'float32'))),
    );
    return y;
  };
  const globalPool = (x: ST, base: string, keepDims: boolean): ST => {
    const c = x.shape[3] ?? 0;
    const layerName = namer.make(base, 'global_pool');
    let y = tf.layers.globalAveragePooling2d({ name: layerName }).apply(x) as ST;
    lastPool = { name: layerName, dim: c };
    if (keepDims)
      y = tf.layers
        .reshape({ targetShape: [1, 1, c], name: namer.make(`${base}_4d`, 'reshape') })
        .apply(y) as ST;
    return y;
  };

  for (const op of m.operators) {
    const outT = tensor(op.outputs[0]);
    const o = op.options;
    let y: ST;
    switch (op.op) {
      case 'QUANTIZE':
      case 'DEQUANTIZE': {
        const src = op.inputs[0] ?? -1;
        if (isConst(src)) {
          constAlias.set(outT.index, constAlias.get(src) ?? src);
          continue;
        }
        y = value(op, src);
        break;
      }
      case 'CONV_2D':
      case 'DEPTHWISE_CONV_2D': {
        if (o.kind !== 'conv') throw unsupported(op, 'missing convolution options');
        const x = value(op, op.inputs[0]);
        const wT = constTensor(op.inputs[1] ?? -1);
        const [, kh = 0, kw = 0] = wT.shape;
        const inC = x.shape[3] ?? 0;
        const base = scope(wT.name);
        const w = dequantize(m, wT);
        const bIdx = op.inputs[2] ?? -1;
        const xScale = tensor(op.inputs[0]).quantization?.scale[0] ?? 1;
        const outC = op.op === 'CONV_2D' ? (wT.shape[0] ?? 0) : (wT.shape[3] ?? 0);
        const bias =
          bIdx >= 0
            ? dequantize(
                m,
                constTensor(bIdx),
                (wT.quantization?.scale ?? [1]).map((s) => s * xScale),
              )
            : new Float32Array(outC);
        const common = {
          kernelSize: [kh, kw] as [number, number],
          strides: [o.strideH, o.strideW] as [number, number],
          padding: o.padding,
          dilationRate: [o.dilationH, o.dilationW] as [number, number],
          kernelInitializer: 'zeros' as const,
          useBias: true,
        };
        if (op.op === 'CONV_2D') {
          if ((wT.shape[3] ?? 0) !== inC) throw unsupported(op, 'grouped convolution');
          const layer = tf.layers.conv2d({
            ...common,
            filters: outC,
            name: namer.make(base, 'conv'),
          });
          y = applyWith(layer, x, [
            [convKernel(w, wT.shape), [kh, kw, inC, outC]],
            [bias, [outC]],
          ]);
        } else {
          const mult = outC / inC;
          if (!Number.isInteger(mult) || mult < 1)
            throw unsupported(op, `${outC} outputs for ${inC} inputs`);
          const layer = tf.layers.depthwiseConv2d({
            ...common,
            depthMultiplier: mult,
            name: namer.make(base, 'depthwise'),
          });
          y = applyWith(layer, x, [
            [w, [kh, kw, inC, mult]],
            [bias, [outC]],
          ]);
        }
        y = activate(y, o.activation, y.sourceLayer.name, op);
        break;
      }
      case 'FULLY_CONNECTED': {
        let x = value(op, op.inputs[0]);
        const wT = constTensor(op.inputs[1] ?? -1);
        const [outN = 0, inN = 0] = wT.shape;
        const base = scope(wT.name);
        if (x.shape.length > 2) {
          if (o.kind === 'fullyConnected' && o.keepNumDims) throw unsupported(op, 'keep_num_dims');
          x = tf.layers.flatten({ name: namer.make(`${base}_flatten`, 'flatten') }).apply(x) as ST;
        }
        if (x.shape[1] !== inN)
          throw unsupported(op, `input has ${x.shape[1]} features, weights expect ${inN}`);
        const xScale = tensor(op.inputs[0]).quantization?.scale[0] ?? 1;
        const bIdx = op.inputs[2] ?? -1;
        const bias =
          bIdx >= 0
            ? dequantize(
                m,
                constTensor(bIdx),
                (wT.quantization?.scale ?? [1]).map((s) => s * xScale),
              )
            : new Float32Array(outN);
        const layer = tf.layers.dense({
          units: outN,
          kernelInitializer: 'zeros',
          name: namer.make(base, 'dense'),
        });
        y = applyWith(layer, x, [
          [denseKernel(dequantize(m, wT), outN, inN), [inN, outN]],
          [bias, [outN]],
        ]);
        y = activate(
          y,
          o.kind === 'fullyConnected' ? o.activation : 'NONE',
          y.sourceLayer.name,
          op,
        );
        break;
      }
      case 'ADD':
      case 'CONCATENATION': {
        if (op.inputs.some((i) => isConst(i))) throw unsupported(op, 'a constant operand');
        const xs = op.inputs.map((i) => value(op, i));
        const name = namer.make(outT.name, op.op.toLowerCase());
        if (op.op === 'ADD') {
          y = tf.layers.add({ name }).apply(xs) as ST;
        } else {
          const rank = outT.shape.length;
          const axis =
            o.kind === 'concatenation' ? (o.axis < 0 ? o.axis + rank : o.axis) : rank - 1;
          if (axis <= 0) throw unsupported(op, 'concatenation along the batch axis');
          y = tf.layers.concatenate({ axis, name }).apply(xs) as ST;
        }
        const act = o.kind === 'activation' || o.kind === 'concatenation' ? o.activation : 'NONE';
        y = activate(y, act, name, op);
        break;
      }
      case 'AVERAGE_POOL_2D':
      case 'MAX_POOL_2D': {
        if (o.kind !== 'pool') throw unsupported(op, 'missing pooling options');
        const x = value(op, op.inputs[0]);
        const [, h, w] = x.shape;
        if (
          op.op === 'AVERAGE_POOL_2D' &&
          o.padding === 'valid' &&
          o.filterH === h &&
          o.filterW === w
        ) {
          y = globalPool(x, outT.name, true);
        } else {
          const args = {
            poolSize: [o.filterH, o.filterW] as [number, number],
            strides: [o.strideH, o.strideW] as [number, number],
            padding: o.padding,
            name: namer.make(outT.name, 'pool'),
          };
          y = (
            op.op === 'MAX_POOL_2D'
              ? tf.layers.maxPooling2d(args)
              : tf.layers.averagePooling2d(args)
          ).apply(x) as ST;
        }
        y = activate(y, o.activation, y.sourceLayer.name, op);
        break;
      }
      case 'MEAN': {
        const x = value(op, op.inputs[0]);
        const axes = readInts(m, constTensor(op.inputs[1] ?? -1)).map((a) =>
          a < 0 ? a + x.shape.length : a,
        );
        if (x.shape.length !== 4 || [...axes].sort().join() !== '1,2')
          throw unsupported(op, `mean over axes ${axes.join(',')}`);
        y = globalPool(x, outT.name, o.kind === 'reducer' && o.keepDims);
        break;
      }
      case 'PAD': {
        const x = value(op, op.inputs[0]);
        const p = readInts(m, constTensor(op.inputs[1] ?? -1));
        if (p.length !== 8 || p[0] || p[1] || p[6] || p[7])
          throw unsupported(op, `paddings ${p.join(',')}`);
        const padding: [[number, number], [number, number]] = [
          [p[2] ?? 0, p[3] ?? 0],
          [p[4] ?? 0, p[5] ?? 0],
        ];
        y = tf.layers.zeroPadding2d({ padding, name: namer.make(outT.name, 'pad') }).apply(x) as ST;
        break;
      }
      case 'RESHAPE': {
        const x = value(op, op.inputs[0]);
        const shape = outT.shape.length > 0 ? outT.shape : o.kind === 'reshape' ? o.newShape : [];
        if (shape.length < 1 || (shape[0] !== 1 && shape[0] !== -1))
          throw unsupported(op, `target shape ${JSON.stringify(shape)}`);
        const target = shape.slice(1);
        if (elementCount(target) !== elementCount(x.shape.slice(1) as number[]))
          throw unsupported(op, 'reshape changes the size');
        y = tf.layers
          .reshape({ targetShape: target, name: namer.make(outT.name, 'reshape') })
          .apply(x) as ST;
        break;
      }
      case 'SOFTMAX': {
        const beta = o.kind === 'softmax' ? o.beta : 1;
        if (beta !== 1 && beta !== 0) throw unsupported(op, `softmax beta ${beta}`);
        y = tf.layers
          .softmax({ name: namer.make(outT.name, 'softmax') })
          .apply(value(op, op.inputs[0])) as ST;
        break;
      }
      default: {
        const act = ({ RELU: 'RELU', RELU6: 'RELU6', TANH: 'TANH' } as const)[op.op as 'RELU'];
        const x = value(op, op.inputs[0]);
        if (op.op === 'LOGISTIC') {
          y = tf.layers
            .activation({ activation: 'sigmoid', name: namer.make(outT.name, 'sigmoid') })
            .apply(x) as ST;
        } else if (act !== undefined) {
          y = activate(x, act, namer.make(scope(outT.name), 'act'), op);
        } else {
          throw unsupported(op, 'not supported');
        }
      }
    }
    values.set(outT.index, y);
  }

  const outputs = m.outputs.map((i) => {
    const v = values.get(i);
    if (v === undefined)
      throw new AppError('MODEL_INVALID', `Model output tensor ${i} is never computed.`);
    return v;
  });
  const model = tf.model({ inputs: input, outputs, name });
  const q = inT.quantization;
  let normalisation: Normalisation | null = null;
  if (q !== null && (inT.type === 'uint8' || inT.type === 'int8')) {
    const s = q.scale[0] ?? 1;
    // int8 inputs take uint8 pixels shifted by -128 before their own zero point.
    const z = (q.zeroPoint[0] ?? 0) + (inT.type === 'int8' ? 128 : 0);
    normalisation = { scale: s, offset: -z * s };
  }
  const pool = lastPool as { name: string; dim: number } | null;
  const outShape = outputs[0]?.shape ?? [];
  return {
    model,
    inputShape: [ih, iw, ic],
    normalisation,
    featureLayer: pool?.name ?? null,
    featureDim: pool?.dim ?? null,
    blockLayers: pool === null ? [] : findBlockLayers(model, pool.name),
    outputSize: outShape[outShape.length - 1] ?? null,
    opCounts,
  };
}
