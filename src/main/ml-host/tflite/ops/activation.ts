// Activations: the fused activation of convolutions, pools, adds and dense layers, and the
// stand-alone RELU, RELU6, TANH, LOGISTIC and SOFTMAX operators.
import * as tf from '@tensorflow/tfjs';
import { scope } from '../layout';
import type { FusedActivation, TfliteOperator } from '../schema';
import { unsupported, type BuildContext, type OpBuilder, type ST } from './context';

/** Applies a fused activation as its own layer named after `base` ('…_relu6'). */
export function activate(
  ctx: BuildContext,
  x: ST,
  act: FusedActivation,
  base: string,
  op: TfliteOperator,
): ST {
  switch (act) {
    case 'NONE':
      return x;
    case 'RELU':
      return tf.layers.reLU({ name: ctx.namer.make(`${base}_relu`, 'relu') }).apply(x) as ST;
    case 'RELU6':
      return tf.layers
        .reLU({ maxValue: 6, name: ctx.namer.make(`${base}_relu6`, 'relu6') })
        .apply(x) as ST;
    case 'TANH':
      return tf.layers
        .activation({ activation: 'tanh', name: ctx.namer.make(`${base}_tanh`, 'tanh') })
        .apply(x) as ST;
    default:
      throw unsupported(op, `fused activation ${act}`);
  }
}

/** RELU, RELU6 and TANH operators: the fused activation's layer, named after the output's scope. */
const standalone =
  (act: 'RELU' | 'RELU6' | 'TANH'): OpBuilder =>
  (ctx, op) => {
    const x = ctx.value(op, op.inputs[0]);
    return activate(ctx, x, act, ctx.namer.make(scope(ctx.output(op).name), 'act'), op);
  };

export const ACTIVATION_BUILDERS = {
  RELU: standalone('RELU'),
  RELU6: standalone('RELU6'),
  TANH: standalone('TANH'),
  LOGISTIC: (ctx, op) => {
    const x = ctx.value(op, op.inputs[0]);
    const name = ctx.namer.make(ctx.output(op).name, 'sigmoid');
    return tf.layers.activation({ activation: 'sigmoid', name }).apply(x) as ST;
  },
  SOFTMAX: (ctx, op) => {
    const o = op.options;
    const beta = o.kind === 'softmax' ? o.beta : 1;
    if (beta !== 1 && beta !== 0) throw unsupported(op, `softmax beta ${beta}`);
    return tf.layers
      .softmax({ name: ctx.namer.make(ctx.output(op).name, 'softmax') })
      .apply(ctx.value(op, op.inputs[0])) as ST;
  },
} satisfies Record<string, OpBuilder>;
