// Constant TFLite tensors (weights, biases, shapes) as float32 arrays. Quantised data follows the
// schema's rule f = scale * (q - zero_point), per tensor or per channel along quantized_dimension.
import { AppError } from '../../../shared/contract/errors';
import type { TfliteModel, TfliteTensor } from './schema';

const ELEMENT_BYTES: Partial<Record<TfliteTensor['type'], number>> = {
  float32: 4,
  float16: 2,
  int32: 4,
  uint8: 1,
  int8: 1,
  int16: 2,
  int64: 8,
};

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac === 0 ? sign * Infinity : NaN;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

function integerReader(view: DataView, type: TfliteTensor['type']): ((i: number) => number) | null {
  switch (type) {
    case 'uint8':
      return (i) => view.getUint8(i);
    case 'int8':
      return (i) => view.getInt8(i);
    case 'int16':
      return (i) => view.getInt16(i * 2, true);
    case 'int32':
      return (i) => view.getInt32(i * 4, true);
    default:
      return null;
  }
}

/** The raw data of a constant tensor, checked against its shape and type. */
export function constantBytes(model: TfliteModel, tensor: TfliteTensor): DataView {
  const data = model.buffers[tensor.buffer];
  const size = ELEMENT_BYTES[tensor.type];
  if (size === undefined) {
    throw new AppError('UNSUPPORTED', `Tensor '${tensor.name}' has type ${tensor.type}.`);
  }
  if (data === undefined || data.byteLength === 0) {
    throw new AppError(
      'MODEL_INVALID',
      `Tensor '${tensor.name}' should be constant but has no data.`,
    );
  }
  const expected = elementCount(tensor.shape) * size;
  if (data.byteLength !== expected) {
    throw new AppError(
      'MODEL_INVALID',
      `Tensor '${tensor.name}' ${JSON.stringify(tensor.shape)} ${tensor.type} needs ${expected} bytes, its buffer has ${data.byteLength}.`,
    );
  }
  return new DataView(data.buffer, data.byteOffset, data.byteLength);
}

/** Integer constants (RESHAPE shapes, PAD paddings, MEAN axes), not dequantised. */
export function readInts(model: TfliteModel, tensor: TfliteTensor): number[] {
  const view = constantBytes(model, tensor);
  const n = elementCount(tensor.shape);
  if (tensor.type === 'int32')
    return Array.from({ length: n }, (_, i) => view.getInt32(i * 4, true));
  if (tensor.type === 'int64') {
    return Array.from({ length: n }, (_, i) => Number(view.getBigInt64(i * 8, true)));
  }
  throw new AppError(
    'UNSUPPORTED',
    `Tensor '${tensor.name}' should hold integers, not ${tensor.type}.`,
  );
}

/**
 * Dequantises a constant tensor to float32 in its TFLite layout (row-major over `tensor.shape`).
 * `fallbackScale` serves int32 biases stored without their own quantisation parameters: their
 * scale is input_scale × weight_scale (per output channel when the weights are per-channel).
 */
export function dequantize(
  model: TfliteModel,
  tensor: TfliteTensor,
  fallbackScale?: readonly number[],
): Float32Array {
  const view = constantBytes(model, tensor);
  const n = elementCount(tensor.shape);
  const out = new Float32Array(n);
  if (tensor.type === 'float32') {
    for (let i = 0; i < n; i++) out[i] = view.getFloat32(i * 4, true);
    return out;
  }
  if (tensor.type === 'float16') {
    for (let i = 0; i < n; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
    return out;
  }
  const read = integerReader(view, tensor.type);
  if (read === null) {
    throw new AppError('UNSUPPORTED', `Cannot dequantise '${tensor.name}' of type ${tensor.type}.`);
  }
  const q = tensor.quantization;
  const scale = q?.scale ?? (tensor.type === 'int32' ? fallbackScale : undefined);
  if (scale === undefined || scale.length === 0) {
    throw new AppError(
      'MODEL_INVALID',
      `Tensor '${tensor.name}' is ${tensor.type} but has no quantisation scale.`,
    );
  }
  const zero = q?.zeroPoint ?? [];
  const dim = q?.quantizedDimension ?? 0;
  if (scale.length === 1) {
    const s = scale[0] ?? 1;
    const z = zero[0] ?? 0;
    for (let i = 0; i < n; i++) out[i] = (read(i) - z) * s;
    return out;
  }
  // Per channel: the channel of flat index i is floor(i / inner) % channels.
  const channels = q === null ? (tensor.shape[0] ?? 0) : (tensor.shape[dim] ?? 0);
  const inner = q === null ? 1 : elementCount(tensor.shape.slice(dim + 1));
  if (channels !== scale.length || (zero.length > 1 && zero.length !== channels)) {
    throw new AppError(
      'MODEL_INVALID',
      `Tensor '${tensor.name}' has ${scale.length} scales for ${channels} channels on dimension ${dim}.`,
    );
  }
  for (let i = 0; i < n; i++) {
    const c = Math.floor(i / inner) % channels;
    out[i] = (read(i) - (zero.length > 1 ? (zero[c] ?? 0) : (zero[0] ?? 0))) * (scale[c] ?? 1);
  }
  return out;
}
