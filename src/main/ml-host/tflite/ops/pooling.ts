// AVERAGE_POOL_2D, MAX_POOL_2D and MEAN. A pool over the whole feature map and a MEAN over the
// spatial axes become a global average pool, the layer a backbone's features are read from.
import * as tf from '@tensorflow/tfjs';
import { readInts } from '../dequantize';
import type { TfliteOperator } from '../schema';
import { activate } from './activation';
import { unsupported, type BuildContext, type OpBuilder, type ST } from './context';

/** [N, h, w, c] → [N, c] (or [N, 1, 1, c] with keepDims), recorded as the latest feature layer. */
function globalPool(ctx: BuildContext, x: ST, base: string, keepDims: boolean): ST {
  const c = x.shape[3] ?? 0;
  const layerName = ctx.namer.make(base, 'global_pool');
  let y = tf.layers.globalAveragePooling2d({ name: layerName }).apply(x) as ST;
  ctx.notePool(layerName, c);
  if (keepDims)
    y = tf.layers
      .reshape({ targetShape: [1, 1, c], name: ctx.namer.make(`${base}_4d`, 'reshape') })
      .apply(y) as ST;
  return y;
}

function pool(ctx: BuildContext, op: TfliteOperator, kind: 'average' | 'max'): ST {
  const o = op.options;
  if (o.kind !== 'pool') throw unsupported(op, 'missing pooling options');
  const outT = ctx.output(op);
  const x = ctx.value(op, op.inputs[0]);
  const [, h, w] = x.shape;
  let y: ST;
  if (kind === 'average' && o.padding === 'valid' && o.filterH === h && o.filterW === w) {
    y = globalPool(ctx, x, outT.name, true);
  } else {
    const args = {
      poolSize: [o.filterH, o.filterW] as [number, number],
      strides: [o.strideH, o.strideW] as [number, number],
      padding: o.padding,
      name: ctx.namer.make(outT.name, 'pool'),
    };
    const layer = kind === 'max' ? tf.layers.maxPooling2d(args) : tf.layers.averagePooling2d(args);
    y = layer.apply(x) as ST;
  }
  return activate(ctx, y, o.activation, y.sourceLayer.name, op);
}

const mean: OpBuilder = (ctx, op) => {
  const o = op.options;
  const x = ctx.value(op, op.inputs[0]);
  const axes = readInts(ctx.model, ctx.constTensor(op.inputs[1] ?? -1)).map((a) =>
    a < 0 ? a + x.shape.length : a,
  );
  if (x.shape.length !== 4 || [...axes].sort().join() !== '1,2')
    throw unsupported(op, `mean over axes ${axes.join(',')}`);
  return globalPool(ctx, x, ctx.output(op).name, o.kind === 'reducer' && o.keepDims);
};

export const POOLING_BUILDERS = {
  AVERAGE_POOL_2D: (ctx, op) => pool(ctx, op, 'average'),
  MAX_POOL_2D: (ctx, op) => pool(ctx, op, 'max'),
  MEAN: mean,
} satisfies Record<string, OpBuilder>;
