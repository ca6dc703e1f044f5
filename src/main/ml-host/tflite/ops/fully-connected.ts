// FULLY_CONNECTED: a dense layer (after a flatten for inputs of rank > 2); TFLite's weights are
// [out, in], TF.js' kernel is [in, out].
import * as tf from '@tensorflow/tfjs';
import { dequantize } from '../dequantize';
import { denseKernel, scope } from '../layout';
import { activate } from './activation';
import { applyWith, biasOf, unsupported, type OpBuilder, type ST } from './context';

const fullyConnected: OpBuilder = (ctx, op) => {
  const o = op.options;
  let x = ctx.value(op, op.inputs[0]);
  const wT = ctx.constTensor(op.inputs[1] ?? -1);
  const [outN = 0, inN = 0] = wT.shape;
  const base = scope(wT.name);
  if (x.shape.length > 2) {
    if (o.kind === 'fullyConnected' && o.keepNumDims) throw unsupported(op, 'keep_num_dims');
    x = tf.layers.flatten({ name: ctx.namer.make(`${base}_flatten`, 'flatten') }).apply(x) as ST;
  }
  if (x.shape[1] !== inN)
    throw unsupported(op, `input has ${x.shape[1]} features, weights expect ${inN}`);
  const bias = biasOf(ctx, op, wT, outN);
  const layer = tf.layers.dense({
    units: outN,
    kernelInitializer: 'zeros',
    name: ctx.namer.make(base, 'dense'),
  });
  const y = applyWith(layer, x, [
    [denseKernel(dequantize(ctx.model, wT), outN, inN), [inN, outN]],
    [bias, [outN]],
  ]);
  const act = o.kind === 'fullyConnected' ? o.activation : 'NONE';
  return activate(ctx, y, act, y.sourceLayer.name, op);
};

export const FULLY_CONNECTED_BUILDERS = {
  FULLY_CONNECTED: fullyConnected,
} satisfies Record<string, OpBuilder>;
