// The Explain view's City images in Chromium over the HTTP bridge: a model trained on the
// three-"city" library, one city drawn beforehand through the contract with the screen's settings,
// then in the UI its image (a data: URL the CSP allows) with its probability, the other cities
// still to draw, and a drawing job started and cancelled from the screen.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { OpenedPage, Studio } from './harness';
import { mlSkipReason } from './ml-pages';
import { closeTrainedStudio, startTrainedStudio } from './trained-studio';
import { Shell, waitForAttr } from './pages';

const skip = mlSkipReason();
if (skip !== null) console.warn(skip);

// One city at the screen's settings (50 steps at 160 px) on the plain CPU of a shared machine.
const JOB_TIMEOUT = 300_000;

void describe('City images in Chromium', { skip: skip ?? false }, () => {
  let browser: Browser;
  let studio: Studio;
  let opened: OpenedPage;

  before(async () => {
    ({ studio, browser, opened } = await startTrainedStudio({
      perCity: 8,
      split: { train: 0.6, val: 0.2, test: 0.2 },
      modelName: 'draw me',
      epochs: 15,
    }));
  });

  after(() => closeTrainedStudio({ studio, browser, opened }));

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

    const start = page.getByTestId('cities-start');
    assert.equal(await start.textContent(), 'Draw 2 cities');
    await start.click();
    const status = page.getByTestId('cities-status');
    await status.getByText(/Drawing (London|Sydney)/).waitFor({ timeout: JOB_TIMEOUT });
    await status.getByRole('button', { name: 'Cancel' }).click();
    await waitForAttr(page, '[data-testid="cities-status"]', 'data-phase', 'cancelled');
    // Paris stays; nothing half drawn appears.
    assert.equal(await tiles.filter({ hasText: 'Not drawn yet' }).count(), 2);
  });
});
