// Fixtures and page objects of the Geolocate and Map views for the e2e tests.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Locator, Page } from 'playwright-core';
import { CITY_PHOTOS, SANITY } from './ml-pages';
import { waitForAttr } from './pages';

/** One photo of a batch folder: which sanity photo ("city") it was cut from, and its GPS if any. */
export type BatchPhoto = { path: string; from: string; gps: { lat: number; lon: number } | null };

const dms = (value: number): string => {
  const v = Math.abs(value);
  const d = Math.floor(v);
  const m = Math.floor((v - d) * 60);
  const s = Math.round(((v - d) * 60 - m) * 60 * 100);
  return `${d}/1 ${m}/1 ${s}/100`;
};

/**
 * Writes a folder of new photos to geolocate (a folder named after no city, so nothing is labelled
 * by its name): `perCity` unseen crops of each sanity photo, the first of each with EXIF GPS at
 * the position given in `gps` (cities without an entry get none).
 */
export async function makeBatchFolder(
  dir: string,
  perCity: number,
  gps: Partial<Record<keyof typeof CITY_PHOTOS, { lat: number; lon: number }>>,
): Promise<BatchPhoto[]> {
  mkdirSync(dir, { recursive: true });
  const photos: BatchPhoto[] = [];
  for (const [city, file] of Object.entries(CITY_PHOTOS) as [keyof typeof CITY_PHOTOS, string][]) {
    const src = join(SANITY, file);
    const { width = 640, height = 480 } = await sharp(src).metadata();
    for (let i = 0; i < perCity; i += 1) {
      // Crops the library's training variants never used: a different scale and corner.
      const scale = 0.62 + 0.07 * i;
      const w = Math.round(width * scale);
      const h = Math.round(height * scale);
      const left = Math.round((width - w) * (0.15 + 0.3 * i));
      const top = Math.round((height - h) * (0.8 - 0.25 * i));
      const position = i === 0 ? (gps[city] ?? null) : null;
      let jpeg = sharp(src)
        .extract({ left, top, width: w, height: h })
        .resize(300, 225, { fit: 'cover' })
        .jpeg({ quality: 86 });
      if (position !== null) {
        jpeg = jpeg.withExif({
          IFD3: {
            GPSLatitudeRef: position.lat >= 0 ? 'N' : 'S',
            GPSLatitude: dms(position.lat),
            GPSLongitudeRef: position.lon >= 0 ? 'E' : 'W',
            GPSLongitude: dms(position.lon),
          },
        });
      }
      const path = join(dir, `shot-${city.toLowerCase()}-${i + 1}.jpg`);
      await jpeg.toFile(path);
      photos.push({ path, from: city, gps: position });
    }
  }
  return photos;
}

export class GeolocatePage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByTestId('nav-geolocate').click();
    await this.page.waitForSelector('main[data-view="geolocate"]');
    await this.page.getByTestId('geo-start-form').waitFor();
  }

  /** Types the folder (as in a browser, where there is no file dialog) and starts the batch. */
  async start(folder: string, name: string, unsurePercent: number): Promise<void> {
    await this.page.getByLabel('Folders or photos (one per line)').fill(folder);
    await this.page.getByLabel('Name (optional)').fill(name);
    await this.page.locator('#geo-unsure').fill(String(unsurePercent));
    await this.page.getByTestId('geo-start').click();
  }

  batch(name: string): Locator {
    return this.page.getByTestId('geo-batch').filter({ hasText: name });
  }

  async waitComplete(name: string, timeout: number): Promise<number> {
    const row = this.batch(name);
    await row.and(this.page.locator('[data-state="complete"]')).waitFor({ timeout });
    return Number(await row.getAttribute('data-batch-id'));
  }

  async count(batchId: number, key: string): Promise<number> {
    const chip = this.page.locator(
      `[data-testid="geo-batch"][data-batch-id="${batchId}"] [data-testid="geo-count-${key}"]`,
    );
    return Number(await chip.getAttribute('data-count'));
  }

  /** Waits until a count chip shows `n` (the list re-reads after each review). */
  async expectCount(batchId: number, key: string, n: number): Promise<void> {
    await waitForAttr(
      this.page,
      `[data-testid="geo-batch"][data-batch-id="${batchId}"] [data-testid="geo-count-${key}"]`,
      'data-count',
      String(n),
    );
  }

  async accuracy(name: string): Promise<string> {
    return (await this.batch(name).getByTestId('geo-accuracy').textContent()) ?? '';
  }

  async openReview(name: string): Promise<void> {
    await this.batch(name).getByTestId('geo-review-open').click();
    await waitForAttr(this.page, '[data-testid="geo-review"]', 'data-state', 'ready');
  }

  /** The image id of the photo on screen. */
  async current(): Promise<number> {
    const photo = this.page.getByTestId('geo-current');
    await photo.waitFor();
    return Number(await photo.getAttribute('data-image-id'));
  }

  async currentPredicted(): Promise<string> {
    return (await this.page.getByTestId('geo-current').getAttribute('data-predicted')) ?? '';
  }

  /** Presses a key on the page (nothing focused) and waits for the review to be answered. */
  async press(key: string, expectLast: RegExp): Promise<void> {
    await this.page.keyboard.press(key);
    await this.waitLast(expectLast);
  }

  async waitLast(expected: RegExp): Promise<void> {
    const last = this.page.getByTestId('geo-last-action');
    await this.page
      .waitForFunction(
        ([sel, source]) => new RegExp(source).test(document.querySelector(sel)?.textContent ?? ''),
        ['[data-testid="geo-last-action"]', expected.source] as const,
        { timeout: 15_000 },
      )
      .catch(async () => {
        throw new Error(`last action: expected ${expected}, still "${await last.textContent()}"`);
      });
  }

  async openExport(name: string): Promise<void> {
    await this.batch(name).getByTestId('geo-export-open').click();
    await this.page.getByTestId('geo-export').waitFor();
  }
}

export type Circle = { city: string; count: number; correct: number; wrong: number };

export class GeoMapPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByTestId('nav-map').click();
    await this.page.waitForSelector('main[data-view="map"]');
  }

  /** Waits for the map of `place` to be drawn and reads its circles, largest first. */
  async circles(place: 'estimated' | 'gps'): Promise<Circle[]> {
    await this.page
      .locator(`[data-testid="map-card"][data-place="${place}"][data-state="ready"]`)
      .waitFor();
    return this.page.getByTestId('map-circle').evaluateAll((nodes) =>
      nodes.map((n) => ({
        city: n.getAttribute('data-city') ?? '',
        count: Number(n.getAttribute('data-count')),
        correct: Number(n.getAttribute('data-correct')),
        wrong: Number(n.getAttribute('data-wrong')),
      })),
    );
  }

  circle(city: string): Locator {
    return this.page.locator(`[data-testid="map-circle"][data-city="${city}"]`);
  }
}
