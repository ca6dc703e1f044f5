// The part of the TFLite schema (tensorflow/lite/schema/schema.fbs, file identifier 'TFL3') that a
// CNN backbone needs, read into plain objects. Field ids follow the schema's declaration order; a
// union takes two ids (its `_type` byte, then the table).
import { AppError } from '../../../shared/contract/errors';
import { FlatBuffer, type Table } from './flatbuffer';

export const TENSOR_TYPES = [
  'float32',
  'float16',
  'int32',
  'uint8',
  'int64',
  'string',
  'bool',
  'int16',
  'complex64',
  'int8',
  'float64',
] as const;
export type TfliteTensorType = (typeof TENSOR_TYPES)[number] | 'unknown';

/** Builtin operator codes this converter knows by name (others are reported by number). */
export const BUILTIN_OPS: Record<number, string> = {
  0: 'ADD',
  1: 'AVERAGE_POOL_2D',
  2: 'CONCATENATION',
  3: 'CONV_2D',
  4: 'DEPTHWISE_CONV_2D',
  6: 'DEQUANTIZE',
  9: 'FULLY_CONNECTED',
  14: 'LOGISTIC',
  17: 'MAX_POOL_2D',
  18: 'MUL',
  19: 'RELU',
  21: 'RELU6',
  22: 'RESHAPE',
  25: 'SOFTMAX',
  28: 'TANH',
  32: 'CUSTOM',
  34: 'PAD',
  40: 'MEAN',
  41: 'SUB',
  43: 'SQUEEZE',
  114: 'QUANTIZE',
  117: 'HARD_SWISH',
};

export const ACTIVATIONS = ['NONE', 'RELU', 'RELU_N1_TO_1', 'RELU6', 'TANH', 'SIGN_BIT'] as const;
export type FusedActivation = (typeof ACTIVATIONS)[number];
export type Padding = 'same' | 'valid';

export type Quantization = {
  scale: number[];
  zeroPoint: number[];
  min: number[];
  max: number[];
  quantizedDimension: number;
};

export type TfliteTensor = {
  index: number;
  name: string;
  shape: number[];
  type: TfliteTensorType;
  buffer: number;
  quantization: Quantization | null;
};

export type ConvOptions = {
  kind: 'conv';
  padding: Padding;
  strideW: number;
  strideH: number;
  activation: FusedActivation;
  dilationW: number;
  dilationH: number;
  /** DEPTHWISE_CONV_2D only. */
  depthMultiplier: number;
};
export type PoolOptions = {
  kind: 'pool';
  padding: Padding;
  strideW: number;
  strideH: number;
  filterW: number;
  filterH: number;
  activation: FusedActivation;
};
export type OperatorOptions =
  | ConvOptions
  | PoolOptions
  | { kind: 'activation'; activation: FusedActivation } // ADD, FULLY_CONNECTED
  | { kind: 'fullyConnected'; activation: FusedActivation; keepNumDims: boolean }
  | { kind: 'softmax'; beta: number }
  | { kind: 'concatenation'; axis: number; activation: FusedActivation }
  | { kind: 'reshape'; newShape: number[] }
  | { kind: 'reducer'; keepDims: boolean }
  | { kind: 'none' };

export type TfliteOperator = {
  index: number;
  /** Builtin name ('CONV_2D'), 'CUSTOM:<code>' or 'BUILTIN_<n>' when unknown to this converter. */
  op: string;
  inputs: number[];
  outputs: number[];
  options: OperatorOptions;
};

export type TfliteModel = {
  version: number;
  description: string | null;
  tensors: TfliteTensor[];
  inputs: number[];
  outputs: number[];
  operators: TfliteOperator[];
  /** Constant data per buffer index (views into the file bytes; empty for activations). */
  buffers: Uint8Array[];
};

function invalid(message: string): AppError {
  return new AppError('MODEL_INVALID', `Not a valid TFLite file: ${message}`);
}

function activation(code: number): FusedActivation {
  const a = ACTIVATIONS[code];
  if (a === undefined) throw invalid(`unknown fused activation code ${code}`);
  return a;
}

function padding(code: number): Padding {
  if (code === 0) return 'same';
  if (code === 1) return 'valid';
  throw invalid(`unknown padding code ${code}`);
}

function readQuantization(t: Table | null): Quantization | null {
  if (t === null) return null;
  const scale = t.f32Vector(2);
  if (scale.length === 0) return null;
  return {
    min: t.f32Vector(0),
    max: t.f32Vector(1),
    scale,
    zeroPoint: t.i64Vector(3),
    quantizedDimension: t.i32(6),
  };
}

/** Union BuiltinOptions: the type byte says which options table the value is. */
function readOptions(type: number, t: Table | null): OperatorOptions {
  if (t === null) return { kind: 'none' };
  switch (type) {
    case 1: // Conv2DOptions
      return {
        kind: 'conv',
        padding: padding(t.i8(0)),
        strideW: t.i32(1),
        strideH: t.i32(2),
        activation: activation(t.i8(3)),
        dilationW: t.i32(4, 1),
        dilationH: t.i32(5, 1),
        depthMultiplier: 1,
      };
    case 2: // DepthwiseConv2DOptions
      return {
        kind: 'conv',
        padding: padding(t.i8(0)),
        strideW: t.i32(1),
        strideH: t.i32(2),
        depthMultiplier: t.i32(3),
        activation: activation(t.i8(4)),
        dilationW: t.i32(5, 1),
        dilationH: t.i32(6, 1),
      };
    case 5: // Pool2DOptions
      return {
        kind: 'pool',
        padding: padding(t.i8(0)),
        strideW: t.i32(1),
        strideH: t.i32(2),
        filterW: t.i32(3),
        filterH: t.i32(4),
        activation: activation(t.i8(5)),
      };
    case 8: // FullyConnectedOptions
      return { kind: 'fullyConnected', activation: activation(t.i8(0)), keepNumDims: t.bool(2) };
    case 9: // SoftmaxOptions
      return { kind: 'softmax', beta: t.f32(0) };
    case 10: // ConcatenationOptions
      return { kind: 'concatenation', axis: t.i32(0), activation: activation(t.i8(1)) };
    case 11: // AddOptions
    case 21: // MulOptions
    case 28: // SubOptions
      return { kind: 'activation', activation: activation(t.i8(0)) };
    case 17: // ReshapeOptions
      return { kind: 'reshape', newShape: t.i32Vector(0) };
    case 27: // ReducerOptions (MEAN)
      return { kind: 'reducer', keepDims: t.bool(0) };
    default:
      // Options this converter never reads (PadOptions is empty, QUANTIZE has none that matter).
      return { kind: 'none' };
  }
}

/** Operator code: max(deprecated_builtin_code, builtin_code), the rule the TFLite runtime uses. */
function readOpName(code: Table): string {
  const deprecated = code.i8(0);
  const builtin = code.i32(3);
  const n = Math.max(deprecated, builtin);
  if (n === 32) return `CUSTOM:${code.string(1) ?? '?'}`;
  return BUILTIN_OPS[n] ?? `BUILTIN_${n}`;
}

/**
 * Parses a TFLite flatbuffer. Checks the 'TFL3' identifier, every offset, and that tensors and
 * operators reference buffers/tensors/op codes that exist. Buffer data stays a view into `bytes`.
 */
export function parseTflite(bytes: Uint8Array): TfliteModel {
  if (bytes.byteLength < 8) throw invalid(`${bytes.byteLength} bytes is too short`);
  const fb = new FlatBuffer(bytes);
  const id = fb.identifier();
  if (id !== 'TFL3') {
    throw invalid(`the file identifier is '${id.replace(/[^\x20-\x7e]/g, '?')}', expected 'TFL3'`);
  }
  const model = fb.root();
  const codes = model.tableVector(1).map(readOpName);
  const subgraphs = model.tableVector(2);
  const sg = subgraphs[0];
  if (sg === undefined) throw invalid('the model has no subgraph');

  const buffers = model.tableVector(4).map((b, i) => {
    const data = b.bytesVector(0);
    if (data !== null && data.byteLength > 0) return data;
    // Models over 2 GB keep buffer data after the flatbuffer: offset/size fields (ids 1, 2).
    const offset = b.u64(1);
    const size = b.u64(2);
    if (offset > 1) {
      fb.check(offset, size, `buffer ${i} data`);
      return bytes.subarray(offset, offset + size);
    }
    return new Uint8Array(0);
  });

  const tensors: TfliteTensor[] = sg.tableVector(0).map((t, index) => {
    const buffer = t.u32(2);
    if (buffer >= buffers.length) {
      throw invalid(`tensor ${index} references buffer ${buffer} of ${buffers.length}`);
    }
    const shape = t.i32Vector(0);
    if (shape.some((d) => d < 0)) throw invalid(`tensor ${index} has a negative dimension`);
    return {
      index,
      name: t.string(3) ?? `tensor_${index}`,
      shape,
      type: TENSOR_TYPES[t.i8(1)] ?? 'unknown',
      buffer,
      quantization: readQuantization(t.table(4)),
    };
  });

  const checkTensor = (i: number, where: string): number => {
    if (!Number.isInteger(i) || i < -1 || i >= tensors.length) {
      throw invalid(`${where} references tensor ${i} of ${tensors.length}`);
    }
    return i;
  };

  const operators: TfliteOperator[] = sg.tableVector(3).map((o, index) => {
    const codeIndex = o.u32(0);
    const op = codes[codeIndex];
    if (op === undefined) {
      throw invalid(`operator ${index} uses op code ${codeIndex} of ${codes.length}`);
    }
    return {
      index,
      op,
      inputs: o.i32Vector(1).map((i) => checkTensor(i, `operator ${index} (${op})`)),
      outputs: o.i32Vector(2).map((i) => checkTensor(i, `operator ${index} (${op})`)),
      options: readOptions(o.u8(3), o.table(4)),
    };
  });

  return {
    version: model.u32(0),
    description: model.string(3),
    tensors,
    inputs: sg.i32Vector(1).map((i) => checkTensor(i, 'subgraph input')),
    outputs: sg.i32Vector(2).map((i) => checkTensor(i, 'subgraph output')),
    operators,
    buffers,
  };
}
