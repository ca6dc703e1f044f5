// The part of the TFLite schema (tensorflow/lite/schema/schema.fbs, file identifier 'TFL3') that a
// CNN backbone needs, read into plain objects through the code flatc generated from
// fbs/tflite-subset.fbs (`npm run generate:tflite-schema`), on a range-checked ByteBuffer.
import {
  AddOptions,
  BuiltinOptions,
  ConcatenationOptions,
  Conv2DOptions,
  DepthwiseConv2DOptions,
  FullyConnectedOptions,
  Model,
  MulOptions,
  Pool2DOptions,
  ReducerOptions,
  ReshapeOptions,
  SoftmaxOptions,
  SubOptions,
  type Operator,
  type OperatorCode,
  type QuantizationParameters,
} from './fbs/generated/tflite-subset_generated';
import { CheckedByteBuffer, invalidTflite as invalid } from './flatbuffer';

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

/** The n elements of a vector field, read one by one (each read range-checked). */
function vector<T>(length: number, at: (i: number) => T | null, fallback: T): T[] {
  return Array.from({ length }, (_, i) => at(i) ?? fallback);
}

function readQuantization(q: QuantizationParameters | null): Quantization | null {
  if (q === null) return null;
  const scale = vector(q.scaleLength(), (i) => q.scale(i), 0);
  if (scale.length === 0) return null;
  return {
    min: vector(q.minLength(), (i) => q.min(i), 0),
    max: vector(q.maxLength(), (i) => q.max(i), 0),
    scale,
    zeroPoint: vector(q.zeroPointLength(), (i) => q.zeroPoint(i), 0n).map(Number),
    quantizedDimension: q.quantizedDimension(),
  };
}

/** The operator's options table, as the class its union type byte names (null when absent). */
function optionsAs<T>(o: Operator, table: T): T | null {
  return o.builtinOptions(table) as T | null;
}

/** Union BuiltinOptions: the type byte says which options table the value is. */
function readOptions(o: Operator): OperatorOptions {
  switch (o.builtinOptionsType()) {
    case BuiltinOptions.Conv2DOptions: {
      const t = optionsAs(o, new Conv2DOptions());
      if (t === null) break;
      return {
        kind: 'conv',
        padding: padding(t.padding()),
        strideW: t.strideW(),
        strideH: t.strideH(),
        activation: activation(t.fusedActivationFunction()),
        dilationW: t.dilationWFactor(),
        dilationH: t.dilationHFactor(),
        depthMultiplier: 1,
      };
    }
    case BuiltinOptions.DepthwiseConv2DOptions: {
      const t = optionsAs(o, new DepthwiseConv2DOptions());
      if (t === null) break;
      return {
        kind: 'conv',
        padding: padding(t.padding()),
        strideW: t.strideW(),
        strideH: t.strideH(),
        depthMultiplier: t.depthMultiplier(),
        activation: activation(t.fusedActivationFunction()),
        dilationW: t.dilationWFactor(),
        dilationH: t.dilationHFactor(),
      };
    }
    case BuiltinOptions.Pool2DOptions: {
      const t = optionsAs(o, new Pool2DOptions());
      if (t === null) break;
      return {
        kind: 'pool',
        padding: padding(t.padding()),
        strideW: t.strideW(),
        strideH: t.strideH(),
        filterW: t.filterWidth(),
        filterH: t.filterHeight(),
        activation: activation(t.fusedActivationFunction()),
      };
    }
    case BuiltinOptions.FullyConnectedOptions: {
      const t = optionsAs(o, new FullyConnectedOptions());
      if (t === null) break;
      return {
        kind: 'fullyConnected',
        activation: activation(t.fusedActivationFunction()),
        keepNumDims: t.keepNumDims(),
      };
    }
    case BuiltinOptions.SoftmaxOptions: {
      const t = optionsAs(o, new SoftmaxOptions());
      if (t === null) break;
      return { kind: 'softmax', beta: t.beta() };
    }
    case BuiltinOptions.ConcatenationOptions: {
      const t = optionsAs(o, new ConcatenationOptions());
      if (t === null) break;
      return {
        kind: 'concatenation',
        axis: t.axis(),
        activation: activation(t.fusedActivationFunction()),
      };
    }
    case BuiltinOptions.AddOptions:
    case BuiltinOptions.MulOptions:
    case BuiltinOptions.SubOptions: {
      // The three tables are alike: one fused activation.
      const t = optionsAs<AddOptions | MulOptions | SubOptions>(o, new AddOptions());
      if (t === null) break;
      return { kind: 'activation', activation: activation(t.fusedActivationFunction()) };
    }
    case BuiltinOptions.ReshapeOptions: {
      const t = optionsAs(o, new ReshapeOptions());
      if (t === null) break;
      return { kind: 'reshape', newShape: vector(t.newShapeLength(), (i) => t.newShape(i), 0) };
    }
    case BuiltinOptions.ReducerOptions: {
      const t = optionsAs(o, new ReducerOptions());
      if (t === null) break;
      return { kind: 'reducer', keepDims: t.keepDims() };
    }
    default:
      // Options this converter never reads (PadOptions is empty, QUANTIZE has none that matter).
      break;
  }
  return { kind: 'none' };
}

/** Operator code: max(deprecated_builtin_code, builtin_code), the rule the TFLite runtime uses. */
function readOpName(code: OperatorCode): string {
  const n = Math.max(code.deprecatedBuiltinCode(), code.builtinCode());
  if (n === 32) return `CUSTOM:${code.customCode() ?? '?'}`;
  return BUILTIN_OPS[n] ?? `BUILTIN_${n}`;
}

/** The elements of a vector of tables; a missing one (never in a valid file) is invalid. */
function tables<T>(length: number, at: (i: number) => T | null, what: string): T[] {
  return Array.from({ length }, (_, i) => {
    const t = at(i);
    if (t === null) throw invalid(`${what} ${i} is missing`);
    return t;
  });
}

/**
 * Parses a TFLite flatbuffer. Checks the 'TFL3' identifier, every offset, and that tensors and
 * operators reference buffers/tensors/op codes that exist. Buffer data stays a view into `bytes`.
 */
export function parseTflite(bytes: Uint8Array): TfliteModel {
  if (bytes.byteLength < 8) throw invalid(`${bytes.byteLength} bytes is too short`);
  const bb = new CheckedByteBuffer(bytes);
  if (!Model.bufferHasIdentifier(bb)) {
    const id = String.fromCharCode(...bytes.subarray(4, 8));
    throw invalid(`the file identifier is '${id.replace(/[^\x20-\x7e]/g, '?')}', expected 'TFL3'`);
  }
  const model = Model.getRootAsModel(bb);
  const codes = tables(model.operatorCodesLength(), (i) => model.operatorCodes(i), 'op code').map(
    readOpName,
  );
  const sg = model.subgraphsLength() > 0 ? model.subgraphs(0) : null;
  if (sg === null) throw invalid('the model has no subgraph');

  const buffers = tables(model.buffersLength(), (i) => model.buffers(i), 'buffer').map((b, i) => {
    const data = b.dataArray(); // a view into `bytes`, its length range-checked
    if (data !== null && data.byteLength > 0) return data;
    // Models over 2 GB keep buffer data after the flatbuffer: offset/size fields.
    const offset = Number(b.offset());
    const size = Number(b.size());
    if (offset > 1) {
      bb.check(offset, size, `buffer ${i} data`);
      return bytes.subarray(offset, offset + size);
    }
    return new Uint8Array(0);
  });

  const tensors: TfliteTensor[] = tables(sg.tensorsLength(), (i) => sg.tensors(i), 'tensor').map(
    (t, index) => {
      const buffer = t.buffer();
      if (buffer >= buffers.length) {
        throw invalid(`tensor ${index} references buffer ${buffer} of ${buffers.length}`);
      }
      const shape = vector(t.shapeLength(), (i) => t.shape(i), 0);
      if (shape.some((d) => d < 0)) throw invalid(`tensor ${index} has a negative dimension`);
      return {
        index,
        name: t.name() ?? `tensor_${index}`,
        shape,
        type: TENSOR_TYPES[t.type()] ?? 'unknown',
        buffer,
        quantization: readQuantization(t.quantization()),
      };
    },
  );

  const checkTensor = (i: number, where: string): number => {
    if (!Number.isInteger(i) || i < -1 || i >= tensors.length) {
      throw invalid(`${where} references tensor ${i} of ${tensors.length}`);
    }
    return i;
  };

  const operators: TfliteOperator[] = tables(
    sg.operatorsLength(),
    (i) => sg.operators(i),
    'operator',
  ).map((o, index) => {
    const codeIndex = o.opcodeIndex();
    const op = codes[codeIndex];
    if (op === undefined) {
      throw invalid(`operator ${index} uses op code ${codeIndex} of ${codes.length}`);
    }
    const where = `operator ${index} (${op})`;
    return {
      index,
      op,
      inputs: vector(o.inputsLength(), (i) => o.inputs(i), 0).map((i) => checkTensor(i, where)),
      outputs: vector(o.outputsLength(), (i) => o.outputs(i), 0).map((i) => checkTensor(i, where)),
      options: readOptions(o),
    };
  });

  return {
    version: model.version(),
    description: model.description(),
    tensors,
    inputs: vector(sg.inputsLength(), (i) => sg.inputs(i), 0).map((i) =>
      checkTensor(i, 'subgraph input'),
    ),
    outputs: vector(sg.outputsLength(), (i) => sg.outputs(i), 0).map((i) =>
      checkTensor(i, 'subgraph output'),
    ),
    operators,
    buffers,
  };
}
