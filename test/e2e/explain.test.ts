// The Explain view end to end in Chromium over the HTTP bridge: a model trained (through the
// contract) on the three-"city" library made from the real sanity photos, then in the UI a photo's
// heatmap by occlusion, Grad-CAM and inclusion, the methods compared and exported, a t-SNE map
// whose clicked point opens that photo's heatmap, and the City images tab (one city drawn through the
// contract beforehand, shown as a data: URL the CSP allows; a drawing job started and cancelled).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { screenshot, type OpenedPage, type Studio } from './harness';
import { canvasStats, scatterPoints } from './explain-pages';
import { mlSkipReason, waitForAtLeast } from './ml-pages';
import { closeTrainedStudio, startTrainedStudio } from './trained-studio';
import { Shell, waitForAttr } from './pages';

const skip = mlSkipReason();
if (skip !== null) console.warn(skip);

const HEAT = '[data-testid="heat-canvas"]';
// Occlusion runs 169 forward passes on the plain CPU here: allow for a slow, shared machine.
const JOB_TIMEOUT = 240_000;
// One city image at the screen's settings (50 ascent steps at 160 px) on the plain CPU.
const DRAW_TIMEOUT = 300_000;

void describe('Explain in Chromium', { skip: skip ?? false }, () => {
  let browser: Browser;
  let studio: Studio;
  let opened: OpenedPage;

  before(async () => {
    ({ studio, browser, opened } = await startTrainedStudio({
      perCity: 8,
      split: { train: 0.6, val: 0.2, test: 0.2 },
      modelName: 'explain me',
      epochs: 15,
    }));
  });

  after(() => closeTrainedStudio({ studio, browser, opened }));

  void it('draws a heatmap over a photo and changes it with the method', async () => {
    const { page } = opened;
    await new Shell(page).go('explain');
    await page.getByTestId('explain-no-photo').waitFor();
    const photo = page.getByTestId('explain-photo').filter({ hasText: 'paris-' }).first();
    const imageId = (await photo.getAttribute('data-image-id')) ?? '';
    await photo.click();

    await page
      .locator(`${HEAT}[data-method="occlusion"][data-image-id="${imageId}"]`)
      .waitFor({ timeout: JOB_TIMEOUT });
    await waitForAtLeast(page, HEAT, 'data-drawn', 1);
    const occlusion = await canvasStats(page, HEAT);
    assert.ok(occlusion.opaque > 0, 'the occlusion overlay has visible pixels');
    // The grid covers only the centre 224 of the 256 image: the border stays clear.
    const corner = await page.evaluate((sel) => {
      const c = document.querySelector(sel) as HTMLCanvasElement;
      return c
        .getContext('2d')!
        .getImageData(0, 0, 10, 10)
        .data.some((v) => v > 0);
    }, HEAT);
    assert.equal(corner, false, 'nothing drawn outside the centre crop');
    assert.match((await page.getByTestId('legend-high').textContent()) ?? '', /%$/);
    assert.match(
      (await page.getByTestId('heat-legend').textContent()) ?? '',
      /Drop in P\((London|Paris|Sydney)\)/,
    );
    assert.equal(await page.getByTestId('explain-prob').count(), 3, 'all three cities listed');

    await page.getByRole('radio', { name: 'Grad-CAM' }).check();
    await page.locator(`${HEAT}[data-method="gradcam"]`).waitFor({ timeout: JOB_TIMEOUT });
    const gradcam = await canvasStats(page, HEAT);
    assert.ok(gradcam.opaque > 0, 'the Grad-CAM overlay has visible pixels');
    assert.notEqual(gradcam.signature, occlusion.signature, 'a different picture');
    assert.match(
      (await page.getByTestId('heat-legend').textContent()) ?? '',
      /Relative evidence for/,
    );

    await page.getByRole('radio', { name: 'Inclusion' }).check();
    await page.locator(`${HEAT}[data-method="inclusion"]`).waitFor({ timeout: JOB_TIMEOUT });
    const inclusion = await canvasStats(page, HEAT);
    assert.ok(inclusion.opaque > 0, 'the inclusion overlay has visible pixels');
    assert.notEqual(inclusion.signature, gradcam.signature);
    assert.notEqual(inclusion.signature, occlusion.signature);

    // Back to occlusion: the library answers from its cache.
    await page.getByRole('radio', { name: 'Occlusion' }).check();
    await page.locator(`${HEAT}[data-method="occlusion"]`).waitFor({ timeout: 30_000 });
    await page.getByText('from the library’s cache').waitFor();

    // Opacity: a fainter overlay has less alpha over the same pixels.
    await page.getByTestId('explain-opacity').fill('0.3');
    await page.waitForFunction(
      ([sel, before]) => {
        const c = document.querySelector<HTMLCanvasElement>(sel);
        if (c === null) return false;
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let sum = 0;
        for (let i = 3; i < d.length; i += 4) sum += d[i]!;
        return sum < before;
      },
      [HEAT, occlusion.alphaSum] as const,
    );

    await page.getByTestId('explain-compare-toggle').click();
    await page.getByTestId('explain-compare').waitFor();
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="compare-canvas"]').length === 3,
      undefined,
      { timeout: JOB_TIMEOUT },
    );

    await page.getByTestId('explain-export').click();
    const link = page.getByTestId('explain-export-link');
    await link.waitFor();
    assert.match((await link.getAttribute('href')) ?? '', /^blob:/);
    assert.match((await link.getAttribute('download')) ?? '', /^paris-\d+-occlusion-\w+\.png$/);
    await page.getByTestId('explain-opacity').fill('0.7');
    await screenshot(page, 'explain.png');
  });

  void it('maps photos with t-SNE; a clicked point opens its heatmap', async () => {
    const { page } = opened;
    await page.getByRole('tab', { name: 'Feature map' }).click();
    await page.locator('#embed-sample').fill('15');
    await page.getByTestId('embed-start').click();
    await waitForAtLeast(page, '[data-testid="embed-chart"]', 'data-drawn', 1, JOB_TIMEOUT);
    await waitForAttr(page, '[data-testid="embed-chart"]', 'data-points', '15');
    const points = await scatterPoints(page);
    assert.equal(points.length, 15);

    // Colourings: by true city (3 traces), then correct/wrong.
    await page.getByRole('radio', { name: 'Correct / wrong' }).check();
    await page.getByRole('radio', { name: 'True city' }).check();

    // Hover shows the photo's thumbnail; a click opens it in the Heatmap tab.
    const target = (await scatterPoints(page))[0]!;
    await page.mouse.move(target.x - 20, target.y - 20);
    await page.mouse.move(target.x, target.y, { steps: 4 });
    const hover = page.getByTestId('embed-hover');
    await hover.waitFor();
    const imageId = (await hover.getAttribute('data-image-id')) ?? '';
    assert.match(imageId, /^\d+$/);
    await page.mouse.click(target.x, target.y);
    await page.getByRole('tab', { name: 'Heatmap', selected: true }).waitFor();
    await page.locator(`${HEAT}[data-image-id="${imageId}"]`).waitFor({ timeout: JOB_TIMEOUT });
    assert.ok((await canvasStats(page, HEAT)).opaque > 0);

    await page.getByRole('tab', { name: 'Feature map' }).click();
    // Box-select everything: the photos are listed below the plot.
    await page.getByLabel('Drag to').selectOption('select');
    const plot = await page.locator('[data-testid="embed-chart"] .nsewdrag').first().boundingBox();
    assert.ok(plot !== null);
    await page.mouse.move(plot.x + 2, plot.y + 2);
    await page.mouse.down();
    await page.mouse.move(plot.x + plot.width / 2, plot.y + plot.height / 2, { steps: 5 });
    await page.mouse.move(plot.x + plot.width - 2, plot.y + plot.height - 2, { steps: 5 });
    await page.mouse.up();
    await waitForAtLeast(page, '[data-testid="embed-selected"]', 'data-count', 1);

    const picked = page.getByTestId('embed-selected-photo').first();
    const pickedId = (await picked.getAttribute('data-image-id')) ?? '';
    await picked.click();
    await page.locator(`${HEAT}[data-image-id="${pickedId}"]`).waitFor({ timeout: JOB_TIMEOUT });
    assert.deepEqual(opened.problems, []);
  });

  void it('shows a drawn city with its probability; draws the rest until cancelled', async () => {
    const { client } = studio;
    const [model] = await client.call('models.list', {});
    assert.ok(model !== undefined);
    const drawn = await client.runJob('maximise.start', { modelId: model.id, city: 'Paris' });
    const paris = drawn.images[0];
    assert.ok(paris !== undefined && paris.probability > paris.startProbability);

    const { page } = opened;
    await new Shell(page).go('explain');
    await page.locator('#explain-tab-cities').click();
    const tiles = page.getByTestId('city-image');
    await page.getByTestId('cities-grid').getByRole('img').first().waitFor();
    assert.deepEqual(await tiles.locator('h3').allTextContents(), ['London', 'Paris', 'Sydney']);
    const image = tiles.filter({ hasText: 'Paris' }).getByRole('img');
    const width = await image.evaluate((el) => (el as HTMLImageElement).naturalWidth);
    assert.equal(width, 160, 'the cached PNG decoded (a data: URL the CSP allows)');
    const caption = (await tiles.filter({ hasText: 'Paris' }).locator('p').textContent()) ?? '';
    assert.match(caption, /Paris \d+(\.\d)?%/);
    assert.equal(await tiles.filter({ hasText: 'Not drawn yet' }).count(), 2);
    await screenshot(page, 'city-images.png');

    const start = page.getByTestId('cities-start');
    assert.equal(await start.textContent(), 'Draw 2 cities');
    await start.click();
    const status = page.getByTestId('cities-status');
    await status.getByText(/Drawing (London|Sydney)/).waitFor({ timeout: DRAW_TIMEOUT });
    await status.getByRole('button', { name: 'Cancel' }).click();
    await waitForAttr(page, '[data-testid="cities-status"]', 'data-phase', 'cancelled');
    // Paris stays; nothing half drawn appears.
    assert.equal(await tiles.filter({ hasText: 'Not drawn yet' }).count(), 2);
  });
});
