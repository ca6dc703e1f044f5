// Fixtures and page objects of the ML views (Models, Train, Evaluate, Predict) for the e2e tests.
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import type { Locator, Page } from 'playwright-core';
import { BUNDLED_MOBILENET_V2 } from '../helpers/shared-fixtures';
import { skipReason } from './harness';
import { waitForAttr } from './pages';

const SHARED = resolve(__dirname, '../../../shared');
/** The app's built-in backbone, vendored in assets/. */
export const BACKBONE_FILE = BUNDLED_MOBILENET_V2;
export const SANITY = join(SHARED, 'fixtures/sanity');
/** One real photo per "city": a separable library whose cities a backbone tells apart easily. */
export const CITY_PHOTOS = { Paris: 'cat_720p.jpg', London: 'hot_dog.jpg', Sydney: 'parrot.jpg' };

/** Why the ML e2e tests cannot run here, or null when they can. */
export function mlSkipReason(): string | null {
  const base = skipReason();
  if (base !== null) return base;
  for (const need of [BACKBONE_FILE, ...Object.values(CITY_PHOTOS).map((p) => join(SANITY, p))]) {
    if (!existsSync(need))
      return `ML e2e skipped: ${need} is absent (the ../shared models/fixtures).`;
  }
  return null;
}

/**
 * Writes `perCity` variants of each sanity photo into `<root>/<City>/` (crops, mirror images,
 * colour shifts), plus one more unseen crop of the parrot (Sydney) in `<root>/unsorted/`, which the
 * import leaves untagged: the photo to geolocate.
 */
export async function makeSanityCities(
  root: string,
  perCity = 10,
): Promise<{ root: string; untagged: string }> {
  for (const [city, file] of Object.entries(CITY_PHOTOS)) {
    const src = join(SANITY, file);
    const { width = 640, height = 480 } = await sharp(src).metadata();
    mkdirSync(join(root, city), { recursive: true });
    for (let i = 0; i < perCity; i += 1) {
      const scale = 0.7 + 0.05 * (i % 4);
      const w = Math.round(width * scale);
      const h = Math.round(height * scale);
      const left = Math.round((width - w) * ((i * 37) % 100) * 0.01);
      const top = Math.round((height - h) * ((i * 61) % 100) * 0.01);
      let img = sharp(src).extract({ left, top, width: w, height: h });
      if (i % 2 === 1) img = img.flop();
      img = img.modulate({
        brightness: 0.85 + 0.06 * (i % 5),
        saturation: 0.8 + 0.1 * (i % 4),
        hue: (i * 9) % 40,
      });
      await img
        .resize(320, 240, { fit: 'cover' })
        .jpeg({ quality: 88 })
        .toFile(join(root, city, `${city.toLowerCase()}-${i + 1}.jpg`));
    }
  }
  const unsorted = join(root, 'unsorted');
  mkdirSync(unsorted, { recursive: true });
  const untagged = join(unsorted, 'street-photo.jpg');
  const parrot = join(SANITY, CITY_PHOTOS.Sydney);
  const { width = 640, height = 480 } = await sharp(parrot).metadata();
  await sharp(parrot)
    .extract({
      left: Math.round(width * 0.12),
      top: Math.round(height * 0.08),
      width: Math.round(width * 0.8),
      height: Math.round(height * 0.8),
    })
    .resize(300, 240, { fit: 'cover' })
    .jpeg({ quality: 80 })
    .toFile(untagged);
  return { root, untagged };
}

/** Reads a numeric attribute (NaN when absent). */
export async function numAttr(page: Page, selector: string, attr: string): Promise<number> {
  return Number(await page.locator(selector).first().getAttribute(attr));
}

/** Waits until a numeric attribute is at least `min` (polls in the page); returns its value. */
export async function waitForAtLeast(
  page: Page,
  selector: string,
  attr: string,
  min: number,
  timeout = 120_000,
): Promise<number> {
  const handle = await page.waitForFunction(
    ([sel, name, least]) => {
      const v = Number(document.querySelector(sel)?.getAttribute(name));
      return Number.isFinite(v) && v >= least ? v : false;
    },
    [selector, attr, min] as const,
    { timeout },
  );
  return (await handle.jsonValue()) as number;
}

export class ModelsPage {
  constructor(readonly page: Page) {}

  async importBackbone(path: string, name?: string): Promise<void> {
    const form = this.page.getByTestId('backbone-import-form');
    await form.getByLabel('Model file or folder').fill(path);
    if (name !== undefined) await form.getByLabel('Backbone name').fill(name);
    await this.page.getByTestId('backbone-import').click();
  }

  async waitBackbones(n: number): Promise<void> {
    await waitForAttr(this.page, '[data-testid="backbones-card"]', 'data-count', String(n));
  }
}

export class TrainPage {
  constructor(readonly page: Page) {}

  async fill(fields: Record<string, string>): Promise<void> {
    const form = this.page.getByTestId('train-form');
    for (const [label, value] of Object.entries(fields)) {
      await form.getByLabel(label, { exact: true }).first().fill(value);
    }
  }

  /** Records every change of the live curve's point count with the job phase at that moment. */
  async traceCurve(): Promise<void> {
    await this.page.evaluate(() => {
      const seen: [number, string][] = [];
      (window as unknown as { lpCurveTrace: [number, string][] }).lpCurveTrace = seen;
      new MutationObserver(() => {
        const curves = document.querySelector('[data-testid="train-curves"]');
        const live = document.querySelector('[data-testid="train-live"]');
        if (curves === null || live === null) return;
        const n = Number(curves.getAttribute('data-points'));
        const last = seen[seen.length - 1];
        if (last === undefined || last[0] !== n)
          seen.push([n, live.getAttribute('data-phase') ?? '']);
      }).observe(document.body, { subtree: true, attributes: true, childList: true });
    });
  }

  curveTrace(): Promise<[number, string][]> {
    return this.page.evaluate(
      () => (window as unknown as { lpCurveTrace: [number, string][] }).lpCurveTrace,
    );
  }

  async waitDone(timeout = 300_000): Promise<void> {
    const phase = await this.page.waitForFunction(
      () => {
        const p = document.querySelector('[data-testid="train-live"]')?.getAttribute('data-phase');
        return p === 'done' || p === 'failed' || p === 'cancelled' ? p : false;
      },
      undefined,
      { timeout },
    );
    const value = await phase.jsonValue();
    if (value !== 'done') {
      const error = await this.page.getByTestId('train-status-error').textContent();
      throw new Error(`training ended ${String(value)}: ${error ?? ''}`);
    }
    await this.page.getByTestId('run-summary').waitFor();
  }
}

/** The rows of a table as { [data-city]: { [data-col]: text } }. */
export function rowsByCity(
  page: Page,
  rowTestId: string,
): Promise<Record<string, Record<string, string>>> {
  return page.getByTestId(rowTestId).evaluateAll((rows) => {
    const out: Record<string, Record<string, string>> = {};
    for (const row of rows) {
      const cells: Record<string, string> = {};
      for (const td of row.querySelectorAll('[data-col]')) {
        cells[td.getAttribute('data-col') ?? '?'] =
          td.getAttribute('data-value') ?? td.textContent?.trim() ?? '';
      }
      out[row.getAttribute('data-city') ?? '?'] = cells;
    }
    return out;
  });
}

/** The [city, probability] bars of one prediction card, most likely first. */
export function probabilities(prediction: Locator): Promise<(readonly [string, number])[]> {
  return prediction
    .getByTestId('prob')
    .evaluateAll((li) =>
      li.map((l) => [l.getAttribute('data-city') ?? '', Number(l.getAttribute('data-p'))] as const),
    );
}
