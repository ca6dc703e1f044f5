import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { Browser } from 'playwright-core';
import { insertTestModel, insertTestPredictions } from '../core/prediction-rows';
import { launchChromium, openPage, skipReason, startStudio } from './harness';
import { LibraryExtrasPage } from './library-extras-pages';
import { LibraryPage, Shell, waitForText } from './pages';
import { makeManyPhotos } from './photo-tree';

const skip = skipReason();
if (skip !== null) console.warn(skip);

/** Distinct photos (makeManyPhotos repeats colours after 256), all labelled Paris by their folder. */
const PHOTOS = 250;

void describe(
  'library extras in Chromium: predictions, map, type-ahead, virtual grid',
  { skip: skip ?? false },
  () => {
    let browser: Browser;
    before(async () => {
      browser = await launchChromium();
    });
    after(async () => {
      await browser?.close();
    });

    void it('filters by prediction, shows it with the map, labels by typing, scrolls a virtual grid', async () => {
      const studio = await startStudio();
      await makeManyPhotos(join(studio.tmp, 'photos', 'Paris'), PHOTOS);
      await studio.client.call('library.open', { dir: studio.libraryDir, create: true });
      await studio.client.runJob('import.start', { paths: [join(studio.tmp, 'photos')] });
      const { items } = await studio.client.call('images.list', { limit: 1000 });
      assert.equal(items.length, PHOTOS);
      const ids = items.map((i) => i.id);

      // A predict job's rows, written straight into the library (no trained model needed): even
      // positions predicted Paris (right), odd ones London (wrong). The first photo gets GPS.
      const db = new Database(join(studio.libraryDir, 'library.sqlite'));
      try {
        insertTestModel(db, 'model-e2e');
        insertTestPredictions(
          db,
          ids.map((imageId, i) => ({
            modelId: 'model-e2e',
            imageId,
            top: [
              { city: i % 2 === 0 ? 'Paris' : 'London', probability: i % 2 === 0 ? 0.8 : 0.45 },
              { city: 'Moscow', probability: i % 2 === 0 ? 0.2 : 0.55 },
            ],
          })),
        );
        db.prepare('UPDATE images SET lat = 48.86, lon = 2.35 WHERE id = ?').run(ids[0]);
      } finally {
        db.close();
      }

      const { page, problems, close } = await openPage(browser, studio);
      try {
        const library = new LibraryPage(page);
        const extras = new LibraryExtrasPage(page);
        await library.expectCount(PHOTOS);

        await extras.filter('predicted', 'London');
        await library.expectCount(PHOTOS / 2);
        assert.ok((await extras.cellPredictions()).every((c) => c === 'London'));
        assert.equal(await extras.mispredictedCount(), await library.cells().count());

        await extras.filter('predicted', 'Any prediction');
        await extras.filter('correctness', 'Predicted right');
        await library.expectCount(PHOTOS / 2);
        assert.equal(await extras.mispredictedCount(), 0);
        await extras.confidence('50', '100');
        await library.expectCount(PHOTOS / 2);
        await extras.confidence('', '50');
        await library.expectCount(0);
        await extras.confidence('', '');
        await library.expectCount(PHOTOS / 2);

        // The first right prediction is the photo with GPS: prediction, facts and map in the pane.
        await library.click(0);
        await page.getByTestId('detail-prediction').waitFor();
        await waitForText(page, '[data-testid="detail-predicted-city"] strong', 'Paris');
        await waitForText(page, '[data-testid="detail-predicted-probability"]', '80.0%');
        await waitForText(page, '[data-testid="detail-predicted-model"]', 'model-e2e');
        await page.getByTestId('detail-map').waitFor();
        assert.equal(await page.getByTestId('map-dot').count(), 1);
        assert.match((await page.getByTestId('map-nearest').textContent()) ?? '', /Paris/);
        assert.match((await page.getByTestId('fact-gps').textContent()) ?? '', /48\.86/);

        // Type-ahead: "lon" names London; Enter labels the photo, whose prediction is now wrong.
        await extras.typeAhead('lon');
        await waitForText(page, '[data-testid="type-ahead-match"]', 'London');
        await page.keyboard.press('Enter');
        assert.match(await new Shell(page).lastInfoToast(), /Labeled 1 image/);
        await library.expectCount(PHOTOS / 2 - 1);
        const first = await studio.client.call('images.get', { id: ids[0] ?? 0 });
        assert.deepEqual([first.city, first.labelSource], ['London', 'human']);
        // Escape drops what was typed without labelling anything.
        await library.click(0);
        await extras.typeAhead('mos');
        await page.getByTestId('type-ahead').waitFor();
        await page.keyboard.press('Escape');
        await page.getByTestId('type-ahead').waitFor({ state: 'detached' });
        await library.expectCount(PHOTOS / 2 - 1);

        // The virtual grid: every photo loaded, far fewer cells in the DOM.
        await extras.filter('correctness', 'Right or wrong');
        await library.expectCount(PHOTOS);
        await extras.scrollToEnd(PHOTOS);
        const rendered = await extras.renderedCells();
        assert.ok(rendered < PHOTOS / 2, `${rendered} cells rendered for ${PHOTOS} photos`);
        const lastId = String(ids[PHOTOS - 1]);
        assert.equal(
          await page.locator(`[data-testid="grid-cell"][data-image-id="${lastId}"]`).count(),
          1,
        );
        assert.equal(await page.locator(`[data-testid="grid-cell"][data-index="0"]`).count(), 0);
        assert.deepEqual(problems, []);
      } finally {
        await close();
        await studio.close();
      }
    });
  },
);
