// PAD and RESHAPE: operators that move values without computing new ones.
import * as tf from '@tensorflow/tfjs';
import { elementCount, readInts } from '../dequantize';
import { unsupported, type OpBuilder, type ST } from './context';

/** Zero padding of the two spatial axes only (paddings [[0,0],[t,b],[l,r],[0,0]]). */
const pad: OpBuilder = (ctx, op) => {
  const x = ctx.value(op, op.inputs[0]);
  const p = readInts(ctx.model, ctx.constTensor(op.inputs[1] ?? -1));
  if (p.length !== 8 || p[0] || p[1] || p[6] || p[7])
    throw unsupported(op, `paddings ${p.join(',')}`);
  const padding: [[number, number], [number, number]] = [
    [p[2] ?? 0, p[3] ?? 0],
    [p[4] ?? 0, p[5] ?? 0],
  ];
  const name = ctx.namer.make(ctx.output(op).name, 'pad');
  return tf.layers.zeroPadding2d({ padding, name }).apply(x) as ST;
};

/** A reshape that keeps the batch axis and the element count. */
const reshape: OpBuilder = (ctx, op) => {
  const o = op.options;
  const outT = ctx.output(op);
  const x = ctx.value(op, op.inputs[0]);
  const shape = outT.shape.length > 0 ? outT.shape : o.kind === 'reshape' ? o.newShape : [];
  if (shape.length < 1 || (shape[0] !== 1 && shape[0] !== -1))
    throw unsupported(op, `target shape ${JSON.stringify(shape)}`);
  const target = shape.slice(1);
  if (elementCount(target) !== elementCount(x.shape.slice(1) as number[]))
    throw unsupported(op, 'reshape changes the size');
  const name = ctx.namer.make(outT.name, 'reshape');
  return tf.layers.reshape({ targetShape: target, name }).apply(x) as ST;
};

export const SHAPE_BUILDERS = { PAD: pad, RESHAPE: reshape } satisfies Record<string, OpBuilder>;
