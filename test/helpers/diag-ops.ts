// The test-only diag.* ops of the ML host (DiagOpMap in protocol.ts): they exercise the channel,
// progress, cancel, crashes and pools without loading TensorFlow. Only diag-host-main.ts serves
// them, so the shipped host (src/main/ml-host/host/host-main.ts) never does.
import { z } from 'zod';
import { AppError, isErrorCode } from '../../src/shared/contract/errors';
import type { DiagOpMap, OpContext, OpHandler } from '../../src/main/ml-host/host';
import { parse } from '../../src/main/ml-host/host/ops-common';

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

function cancelled(ctx: OpContext): void {
  if (ctx.signal.aborted) throw new AppError('CANCELLED', 'Cancelled.');
}

export const diagOps: { [K in keyof DiagOpMap]: OpHandler<DiagOpMap[K]['result']> } = {
  'diag.count': async (raw, ctx) => {
    const p = parse(
      z
        .object({
          n: z.number().int().min(0).max(1_000_000),
          delayMs: z.number().min(0).max(60_000),
        })
        .strict(),
      raw,
      'diag.count',
    );
    for (let i = 1; i <= p.n; i++) {
      if (p.delayMs > 0) await sleep(p.delayMs, ctx.signal);
      cancelled(ctx);
      ctx.progress(i, p.n, `count ${i}`);
    }
    return { counted: p.n };
  },

  'diag.fail': (raw) => {
    const p = parse(z.object({ code: z.string(), message: z.string() }).strict(), raw, 'diag.fail');
    return Promise.reject(new AppError(isErrorCode(p.code) ? p.code : 'INTERNAL', p.message));
  },
};
