// Page object of the Label view (both queues) for the e2e tests, and the unlabelled photos it asks
// about: unseen crops of the sanity photos, named after the city they stand for.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { CITY_PHOTOS, SANITY } from './ml-pages';
import { Shell, waitForAttr } from './pages';

/** `perCity` new crops per city in `dir` (flat: the import leaves them unlabelled). */
export async function makeUnlabelled(dir: string, perCity: number): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const [city, file] of Object.entries(CITY_PHOTOS)) {
    const src = join(SANITY, file);
    const { width = 640, height = 480 } = await sharp(src).metadata();
    for (let i = 0; i < perCity; i++) {
      const scale = 0.75 + 0.08 * i;
      const w = Math.round(width * scale);
      const h = Math.round(height * scale);
      const out = join(dir, `${city.toLowerCase()}-new-${i + 1}.jpg`);
      await sharp(src)
        .extract({
          left: Math.round((width - w) / 3),
          top: Math.round((height - h) / 2),
          width: w,
          height: h,
        })
        .resize(320, 240, { fit: 'cover' })
        .jpeg({ quality: 85 })
        .toFile(out);
      files.push(out);
    }
  }
  return files;
}

/** The city an unlabelled photo stands for, from its file name (the untagged parrot: Sydney). */
export function truthOf(path: string): string {
  if (path.endsWith('street-photo.jpg')) return 'Sydney';
  const city = Object.keys(CITY_PHOTOS).find((c) => path.includes(`${c.toLowerCase()}-`));
  if (city === undefined) throw new Error(`no city in ${path}`);
  return city;
}

export class LabelPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await new Shell(this.page).go('label');
    await waitForAttr(this.page, '[data-testid="label-next"]', 'data-state', 'ready');
  }

  /** The photo on screen in a queue: its image id and path. */
  async current(queue: 'label' | 'suspects'): Promise<{ id: number; path: string }> {
    const photo = this.page.getByTestId(`${queue}-current`);
    const id = Number(await photo.getAttribute('data-image-id'));
    const path = (await photo.locator('p.break').textContent()) ?? '';
    return { id, path };
  }

  /** Presses keys and waits for the queue's "last action" line to match. */
  async press(keys: readonly string[], queue: 'label' | 'suspects', last: RegExp): Promise<void> {
    for (const key of keys) await this.page.keyboard.press(key);
    await this.page.waitForFunction(
      ([id, pattern]) =>
        new RegExp(pattern).test(
          document.querySelector(`[data-testid="${id}"]`)?.textContent ?? '',
        ),
      [`${queue}-last`, last.source] as const,
      { timeout: 15_000 },
    );
  }

  /** The numbered city keys, in order (1 first). */
  async cityKeys(): Promise<string[]> {
    const items = await this.page.locator('.label-cities li').allTextContents();
    return items.map((t) => t.replace(/^\s*\d\s*/, '').trim());
  }

  async topGuess(queue: 'label' | 'suspects'): Promise<string> {
    return (
      (await this.page
        .getByTestId(`${queue}-current`)
        .locator('.ml-prob-city')
        .first()
        .textContent()) ?? ''
    ).trim();
  }

  /** A button pressed from the keyboard: focused, then Enter. */
  async pressButton(testId: string): Promise<void> {
    await this.page.getByTestId(testId).focus();
    await this.page.keyboard.press('Enter');
  }
}
