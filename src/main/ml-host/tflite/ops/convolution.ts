// CONV_2D and DEPTHWISE_CONV_2D. Kernels are [out, h, w, in] in TFLite and [h, w, in, out] in
// TF.js; depthwise kernels are [1, h, w, in*mult] and [h, w, in, mult] (the same bytes).
import * as tf from '@tensorflow/tfjs';
import { dequantize } from '../dequantize';
import { convKernel, scope } from '../layout';
import type { TfliteOperator } from '../schema';
import { activate } from './activation';
import {
  applyWith,
  biasOf,
  unsupported,
  type BuildContext,
  type OpBuilder,
  type ST,
} from './context';

function convolution(ctx: BuildContext, op: TfliteOperator, depthwise: boolean): ST {
  const o = op.options;
  if (o.kind !== 'conv') throw unsupported(op, 'missing convolution options');
  const x = ctx.value(op, op.inputs[0]);
  const wT = ctx.constTensor(op.inputs[1] ?? -1);
  const [, kh = 0, kw = 0] = wT.shape;
  const inC = x.shape[3] ?? 0;
  const base = scope(wT.name);
  const w = dequantize(ctx.model, wT);
  const outC = depthwise ? (wT.shape[3] ?? 0) : (wT.shape[0] ?? 0);
  const bias = biasOf(ctx, op, wT, outC);
  const common = {
    kernelSize: [kh, kw] as [number, number],
    strides: [o.strideH, o.strideW] as [number, number],
    padding: o.padding,
    dilationRate: [o.dilationH, o.dilationW] as [number, number],
    kernelInitializer: 'zeros' as const,
    useBias: true,
  };
  let y: ST;
  if (!depthwise) {
    if ((wT.shape[3] ?? 0) !== inC) throw unsupported(op, 'grouped convolution');
    const layer = tf.layers.conv2d({
      ...common,
      filters: outC,
      name: ctx.namer.make(base, 'conv'),
    });
    y = applyWith(layer, x, [
      [convKernel(w, wT.shape), [kh, kw, inC, outC]],
      [bias, [outC]],
    ]);
  } else {
    const mult = outC / inC;
    if (!Number.isInteger(mult) || mult < 1)
      throw unsupported(op, `${outC} outputs for ${inC} inputs`);
    const layer = tf.layers.depthwiseConv2d({
      ...common,
      depthMultiplier: mult,
      name: ctx.namer.make(base, 'depthwise'),
    });
    y = applyWith(layer, x, [
      [w, [kh, kw, inC, mult]],
      [bias, [outC]],
    ]);
  }
  return activate(ctx, y, o.activation, y.sourceLayer.name, op);
}

export const CONVOLUTION_BUILDERS = {
  CONV_2D: (ctx, op) => convolution(ctx, op, false),
  DEPTHWISE_CONV_2D: (ctx, op) => convolution(ctx, op, true),
} satisfies Record<string, OpBuilder>;
