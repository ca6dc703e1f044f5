// Page helpers of the Explain view for the e2e tests: the heatmap canvas's pixels, the feature map's
// points on screen.
import type { Page } from 'playwright-core';

export type CanvasStats = { opaque: number; alphaSum: number; signature: number };

/** Counts the non-transparent pixels of a canvas and fingerprints its picture. */
export function canvasStats(page: Page, selector: string): Promise<CanvasStats> {
  return page.evaluate((sel) => {
    const canvas = document.querySelector(sel);
    if (!(canvas instanceof HTMLCanvasElement)) throw new Error(`no canvas at ${sel}`);
    const ctx = canvas.getContext('2d');
    if (ctx === null) throw new Error('no 2d context');
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let opaque = 0;
    let alphaSum = 0;
    let signature = 0;
    for (let i = 0; i < data.length; i += 4) {
      const a = data[i + 3] ?? 0;
      if (a > 0) opaque += 1;
      alphaSum += a;
      signature = (signature * 31 + (data[i] ?? 0) + a) % 1_000_000_007;
    }
    return { opaque, alphaSum, signature };
  }, selector);
}

/** The on-screen centres of the feature map's points. */
export function scatterPoints(page: Page): Promise<{ x: number; y: number }[]> {
  return page.locator('[data-testid="embed-chart"] .scatterlayer .point').evaluateAll((nodes) =>
    nodes.map((n) => {
      const r = n.getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    }),
  );
}
