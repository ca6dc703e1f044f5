// ADD and CONCATENATION: operators joining two or more activations (constant operands are not
// supported: a backbone adds and concatenates feature maps).
import * as tf from '@tensorflow/tfjs';
import type { TfliteOperator } from '../schema';
import { activate } from './activation';
import { unsupported, type BuildContext, type OpBuilder, type ST } from './context';

function merge(ctx: BuildContext, op: TfliteOperator, kind: 'add' | 'concatenation'): ST {
  const o = op.options;
  const outT = ctx.output(op);
  if (op.inputs.some((i) => ctx.isConst(i))) throw unsupported(op, 'a constant operand');
  const xs = op.inputs.map((i) => ctx.value(op, i));
  const name = ctx.namer.make(outT.name, kind);
  let y: ST;
  if (kind === 'add') {
    y = tf.layers.add({ name }).apply(xs) as ST;
  } else {
    const rank = outT.shape.length;
    const axis = o.kind === 'concatenation' ? (o.axis < 0 ? o.axis + rank : o.axis) : rank - 1;
    if (axis <= 0) throw unsupported(op, 'concatenation along the batch axis');
    y = tf.layers.concatenate({ axis, name }).apply(xs) as ST;
  }
  const act = o.kind === 'activation' || o.kind === 'concatenation' ? o.activation : 'NONE';
  return activate(ctx, y, act, name, op);
}

export const MERGE_BUILDERS = {
  ADD: (ctx, op) => merge(ctx, op, 'add'),
  CONCATENATION: (ctx, op) => merge(ctx, op, 'concatenation'),
} satisfies Record<string, OpBuilder>;
