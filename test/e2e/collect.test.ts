// The Collect screen end to end in Chromium over the HTTP bridge, against the fake Street View
// API on 127.0.0.1: a key set through the password field (never shown back), two Paris photos
// collected and imported, the past run listed, and the key nowhere in the page.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { startFakeApi, type FakeApi } from '../core/collect-fake-api';
import { STREETVIEW_KEY } from '../core/collect-helpers';
import {
  launchChromium,
  openPage,
  screenshot,
  skipReason,
  startStudio,
  type OpenedPage,
  type Studio,
} from './harness';

const skip = skipReason();
if (skip !== null) console.warn(skip);

void describe('Collect in Chromium', { skip: skip ?? false }, () => {
  let browser: Browser;
  let studio: Studio;
  let opened: OpenedPage;
  let api: FakeApi;
  const saved = process.env.LITTLEPLANET_STREETVIEW_URL;

  before(async () => {
    api = await startFakeApi();
    // The bridge's core reads the service URL from the environment, as `serve` does.
    process.env.LITTLEPLANET_STREETVIEW_URL = api.url;
    delete process.env.LITTLEPLANET_STREETVIEW_KEY;
    studio = await startStudio();
    await studio.client.call('library.open', { dir: studio.libraryDir, create: true });
    browser = await launchChromium();
    opened = await openPage(browser, studio);
  });

  after(async () => {
    await opened.close();
    await browser.close();
    await studio.close();
    await api.close();
    if (saved === undefined) delete process.env.LITTLEPLANET_STREETVIEW_URL;
    else process.env.LITTLEPLANET_STREETVIEW_URL = saved;
  });

  void it('sets a key, collects two photos of Paris, imports them and lists the run', async () => {
    const { page, problems } = opened;
    await page.getByTestId('nav-collect').click();
    await page.waitForSelector('main[data-view="collect"]');
    const status = page.getByTestId('collect-key-status');
    await status.waitFor();
    assert.equal(await status.getAttribute('data-set'), 'false');

    await page.getByPlaceholder('API key (AIza…)').fill(STREETVIEW_KEY);
    await page.getByRole('button', { name: 'Set key' }).click();
    await page.waitForSelector('[data-testid="collect-key-status"][data-place="session"]');
    assert.equal(await page.getByPlaceholder('API key (AIza…)').inputValue(), '');

    await page.getByTestId('collect-cities').getByLabel('Paris').check();
    await page.getByLabel('Photos per city').fill('2');
    await page.getByLabel('Seed (optional)').fill('5');
    await page.getByTestId('collect-start').click();
    const result = page.getByTestId('collect-result');
    await result.waitFor({ timeout: 60_000 });
    assert.equal(await result.getAttribute('data-status'), 'done');
    assert.match((await result.textContent()) ?? '', /Paris: 2 of 2/);
    assert.match(
      (await page.getByTestId('collect-imported').textContent()) ?? '',
      /Imported 2 photos/,
    );
    await page.waitForSelector('[data-testid="collect-runs"][data-count="1"]');

    const images = await studio.client.call('images.list', { city: 'Paris' });
    assert.equal(images.total, 2);
    assert.equal(api.count('/maps/api/streetview'), 2);
    assert.equal((await page.content()).includes(STREETVIEW_KEY), false);
    await screenshot(page, 'collect.png');
    assert.deepEqual(problems, []);
  });
});
