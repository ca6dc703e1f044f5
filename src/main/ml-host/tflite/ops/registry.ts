// Every operator the converter builds, by TFLite builtin name, one module per operator family
// (like tfjs-converter's executors).
import { ACTIVATION_BUILDERS } from './activation';
import type { OpBuilder } from './context';
import { CONVOLUTION_BUILDERS } from './convolution';
import { FULLY_CONNECTED_BUILDERS } from './fully-connected';
import { MERGE_BUILDERS } from './merge';
import { POOLING_BUILDERS } from './pooling';
import { QUANTIZE_BUILDERS } from './quantize';
import { SHAPE_BUILDERS } from './shape';

export const OP_BUILDERS: Readonly<Record<string, OpBuilder>> = {
  ...ACTIVATION_BUILDERS,
  ...CONVOLUTION_BUILDERS,
  ...FULLY_CONNECTED_BUILDERS,
  ...MERGE_BUILDERS,
  ...POOLING_BUILDERS,
  ...QUANTIZE_BUILDERS,
  ...SHAPE_BUILDERS,
};

/** The builtin operators the converter supports, sorted by name. */
export const SUPPORTED_OPS: readonly string[] = Object.keys(OP_BUILDERS).sort();
