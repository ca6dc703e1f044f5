// QUANTIZE and DEQUANTIZE. The converted network is float, so both are identities: on a constant
// (a float16 or int8 weight dequantised for a float operator) the output is another name for the
// constant; on an activation it is the same activation.
import type { OpBuilder } from './context';

const identity: OpBuilder = (ctx, op) => {
  const src = op.inputs[0] ?? -1;
  if (ctx.isConst(src)) {
    ctx.aliasConstant(ctx.output(op).index, src);
    return null;
  }
  return ctx.value(op, src);
};

export const QUANTIZE_BUILDERS = {
  QUANTIZE: identity,
  DEQUANTIZE: identity,
} satisfies Record<string, OpBuilder>;
