// TFLite graph → float32 functional tf.LayersModel. Quantised weights are dequantised once; the
// float network then computes what the quantised one approximates (QUANTIZE/DEQUANTIZE become
// identities). Each operator family has its own builder under ops/.
import * as tf from '@tensorflow/tfjs';
import { AppError } from '../../../shared/contract/errors';
import { findBlockLayers } from '../backbone/graph';
import { commonRoot, Namer } from './layout';
import { createBuildContext } from './ops/context';
import { OP_BUILDERS, SUPPORTED_OPS } from './ops/registry';
import { parseTflite, type TfliteModel, type TfliteTensor } from './schema';

export { SUPPORTED_OPS };

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

/** Operator counts by name; UNSUPPORTED naming every operator (with its count) there is no builder for. */
function countOperators(m: TfliteModel): Record<string, number> {
  const opCounts: Record<string, number> = {};
  for (const o of m.operators) opCounts[o.op] = (opCounts[o.op] ?? 0) + 1;
  const missing = Object.keys(opCounts).filter((op) => !SUPPORTED_OPS.includes(op));
  if (missing.length > 0) {
    throw new AppError(
      'UNSUPPORTED',
      `The TFLite model uses operators this converter does not support: ${missing.map((op) => `${op} (×${opCounts[op]})`).join(', ')}. Supported: ${SUPPORTED_OPS.join(', ')}.`,
      { ops: missing },
    );
  }
  return opCounts;
}

/** The model's one input, which must be an image [1, h, w, c]. */
function imageInput(m: TfliteModel): { tensor: TfliteTensor; shape: [number, number, number] } {
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
  return { tensor: inT, shape: [ih, iw, ic] };
}

/** The pixel normalisation a quantised input implies; null for float inputs (unknown). */
function inputNormalisation(inT: TfliteTensor): Normalisation | null {
  const q = inT.quantization;
  if (q === null || (inT.type !== 'uint8' && inT.type !== 'int8')) return null;
  const s = q.scale[0] ?? 1;
  // int8 inputs take uint8 pixels shifted by -128 before their own zero point.
  const z = (q.zeroPoint[0] ?? 0) + (inT.type === 'int8' ? 128 : 0);
  return { scale: s, offset: -z * s };
}

/**
 * Converts a TFLite flatbuffer (checked: 'TFL3', offsets, buffer sizes) into a float32 LayersModel.
 * Throws MODEL_INVALID for malformed files and UNSUPPORTED naming every operator it cannot build.
 */
export function tfliteToLayersModel(bytes: Uint8Array, name = 'tflite'): TfliteConversion {
  const m = parseTflite(bytes);
  const opCounts = countOperators(m);
  const { tensor: inT, shape: inputShape } = imageInput(m);
  const ctx = createBuildContext(m, new Namer(commonRoot(m)));
  const input = tf.input({ shape: inputShape, name: 'input', dtype: 'float32' });
  ctx.define(inT.index, input);
  for (const op of m.operators) {
    const outT = ctx.output(op);
    const build = OP_BUILDERS[op.op];
    if (build === undefined) throw new AppError('UNSUPPORTED', `No builder for ${op.op}.`);
    const y = build(ctx, op);
    if (y !== null) ctx.define(outT.index, y);
  }
  const outputs = m.outputs.map((i) => {
    const v = ctx.computed(i);
    if (v === undefined)
      throw new AppError('MODEL_INVALID', `Model output tensor ${i} is never computed.`);
    return v;
  });
  const model = tf.model({ inputs: input, outputs, name });
  const pool = ctx.lastPool();
  const outShape = outputs[0]?.shape ?? [];
  return {
    model,
    inputShape,
    normalisation: inputNormalisation(inT),
    featureLayer: pool?.name ?? null,
    featureDim: pool?.dim ?? null,
    blockLayers: pool === null ? [] : findBlockLayers(model, pool.name),
    outputSize: outShape[outShape.length - 1] ?? null,
    opCounts,
  };
}
