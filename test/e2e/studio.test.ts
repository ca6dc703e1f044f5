import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  launchChromium,
  openPage,
  screenshot,
  skipReason,
  startStudio,
  type Studio,
} from './harness';
import {
  CitiesPage,
  ImportPage,
  LibraryPage,
  OpenLibraryPage,
  Shell,
  SplitsPage,
  waitForAttr,
  waitForText,
} from './pages';
import { makeManyPhotos, makePhotoTree, type PhotoTree } from './photo-tree';

const skip = skipReason();
if (skip !== null) console.warn(skip);

/** Opens a library in a fresh studio and imports a photo tree through the core, not the UI. */
async function seededStudio(): Promise<{ studio: Studio; tree: PhotoTree }> {
  const studio = await startStudio();
  const tree = await makePhotoTree(join(studio.tmp, 'photos'));
  await studio.client.call('library.open', { dir: studio.libraryDir, create: true });
  await studio.client.runJob('import.start', { paths: [tree.root] });
  return { studio, tree };
}

void describe('library studio in Chromium over the HTTP bridge', { skip: skip ?? false }, () => {
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  void it('creates a library and shows it in the status bar', async () => {
    const studio = await startStudio();
    const { page, problems, close } = await openPage(browser, studio);
    try {
      assert.equal(page.url(), `${studio.url}/`, 'the token is removed from the visible URL');
      assert.equal(
        await page.getByTestId('status-transport').getAttribute('data-transport'),
        'http',
      );
      const open = new OpenLibraryPage(page);
      await open.submit(studio.libraryDir, 'Open');
      assert.match(await open.error(), /LIBRARY_NOT_FOUND/);

      await open.submit(studio.libraryDir, 'Create');
      await page.waitForSelector('main[data-view="library"]');
      assert.equal(await new Shell(page).statusLibrary(), studio.libraryDir);
      await new LibraryPage(page).expectCount(0);
      await page.getByTestId('grid-empty').waitFor();

      await page.getByRole('button', { name: 'Switch library…' }).click();
      const recent = page.getByRole('button', { name: studio.libraryDir, exact: true });
      await recent.click();
      await page.waitForSelector('main[data-view="library"]');
      assert.equal(await new Shell(page).statusLibrary(), studio.libraryDir);
      assert.deepEqual(problems, []);
    } finally {
      await close();
      await studio.close();
    }
  });

  void it('names every screen in the navigation; empty Map, Guess and Explain say what they need', async () => {
    const { studio } = await seededStudio();
    const { page, problems, close } = await openPage(browser, studio);
    try {
      const shell = new Shell(page);
      const labels = await shell.navLabels();
      const required = ['Library', 'Cities', 'Train', 'Evaluate', 'Explain', 'Map', 'Guess'];
      assert.deepEqual(
        labels.filter((l) => required.includes(l)),
        required,
        `the issue's screens, in order, among ${labels.join(', ')}`,
      );
      // Explain is built: without a model it says what it will show and leads to Train.
      await shell.go('explain');
      const explainEmpty = (await page.getByTestId('explain-empty').textContent()) ?? '';
      assert.match(explainEmpty, /heatmaps[\s\S]*t-SNE/);
      assert.doesNotMatch(explainEmpty, /Not available/);
      // Guess is built: with no study yet it says what a study compares.
      await shell.go('guess');
      const guessEmpty = (await page.getByTestId('guess-empty').textContent()) ?? '';
      assert.match(guessEmpty, /No study yet[\s\S]*human-versus-model[\s\S]*27\.2%[\s\S]*75\.3%/);
      assert.doesNotMatch(guessEmpty, /Not available/);
      assert.equal(await page.locator('[aria-current="page"]').textContent(), 'Guess');
      await shell.go('map');
      const mapEmpty = (await page.getByTestId('map-empty').textContent()) ?? '';
      assert.match(mapEmpty, /No geolocation batch yet/);
      assert.doesNotMatch(mapEmpty, /Not available/);
      assert.equal(await page.locator('[aria-current="page"]').textContent(), 'Map');
      // Each empty state leads somewhere useful today.
      await shell.go('explain');
      await page
        .getByTestId('explain-empty')
        .getByRole('button', { name: 'Train a model' })
        .click();
      await page.waitForSelector('main[data-view="train"]');
      await shell.go('map');
      await page.getByTestId('map-empty').getByRole('button', { name: 'Open the Library' }).click();
      await page.waitForSelector('main[data-view="library"]');

      // Nothing here used the ML host, so the status bar has started none to name its backend.
      assert.equal(await shell.statusJobs(), 0);
      const backend = page.getByTestId('status-backend');
      assert.equal(await backend.getAttribute('data-backend'), '');
      assert.equal(await backend.textContent(), 'Backend: not started');
      assert.deepEqual(problems, []);
    } finally {
      await close();
      await studio.close();
    }
  });

  void it('imports a folder-per-city tree and reports the numbers', async () => {
    const studio = await startStudio();
    const tree = await makePhotoTree(join(studio.tmp, 'photos'));
    await studio.client.call('library.open', { dir: studio.libraryDir, create: true });
    const { page, problems, close } = await openPage(browser, studio);
    try {
      const shell = new Shell(page);
      await shell.go('import');
      const importer = new ImportPage(page);
      await importer.start([tree.root]);
      await importer.waitDone();
      assert.equal(await importer.number('imported'), tree.distinct);
      assert.equal(await importer.number('labeled'), tree.labeled);
      assert.equal(await importer.number('duplicates'), 1);
      assert.equal(await importer.number('alreadyPresent'), 0);
      assert.equal(await importer.number('errors'), 1);
      const errors = await importer.errorRows();
      assert.equal(errors[0]?.[0], tree.broken);
      assert.ok((errors[0]?.[1] ?? '').length > 0, 'the error row gives a reason');
      const duplicates = page.getByTestId('report-duplicate-table').locator('tbody td');
      assert.equal(await duplicates.first().textContent(), tree.duplicate);
      await page.locator('[data-testid="job"][data-status="done"]').waitFor();
      await waitForAttr(page, '[data-testid="status-jobs"]', 'data-count', '0');
      await screenshot(page, 'import.png');

      await shell.go('library');
      const library = new LibraryPage(page);
      await library.expectCount(tree.distinct);
      await library.filter('city', 'Paris');
      await library.expectCount(3);
      assert.deepEqual(await library.cellCities(), ['Paris', 'Paris', 'Paris']);
      await library.filter('city', 'All cities');
      await library.filter('labeled', 'Unlabeled');
      await library.expectCount(tree.unlabeled.length);

      await library.filter('labeled', 'Labeled or not');
      await library.expectCount(tree.distinct);
      await library.click(0);
      await page.getByTestId('detail').waitFor();
      await page
        .locator('[data-testid="detail"] img')
        .evaluate((img: HTMLImageElement) =>
          img.complete ? undefined : new Promise((r) => img.addEventListener('load', r)),
        );
      await screenshot(page, 'library.png');
      assert.deepEqual(problems, []);
    } finally {
      await close();
      await studio.close();
    }
  });

  void it('pages through a large library and searches paths', async () => {
    const studio = await startStudio();
    await makeManyPhotos(join(studio.tmp, 'photos', 'Moscow'), 130);
    await studio.client.call('library.open', { dir: studio.libraryDir, create: true });
    await studio.client.runJob('import.start', { paths: [join(studio.tmp, 'photos')] });
    const { page, problems, close } = await openPage(browser, studio);
    try {
      const library = new LibraryPage(page);
      await library.expectCount(130);
      assert.equal(await library.cells().count(), 120, 'the first page holds 120 images');
      await page.getByRole('button', { name: 'Load more' }).scrollIntoViewIfNeeded();
      await page.waitForFunction(
        () => document.querySelectorAll('[data-testid="grid-cell"]').length === 130,
      );
      assert.equal(await page.getByRole('button', { name: 'Load more' }).count(), 0);
      const ids = await library
        .cells()
        .evaluateAll((cells) => cells.map((c) => c.getAttribute('data-image-id')));
      assert.equal(new Set(ids).size, 130, 'no image is listed twice across pages');

      await page.getByTestId('filter-search').fill('Moscow/m12');
      await library.expectCount(11);
      const names = await library.cells().locator('.cell-name').allTextContents();
      assert.deepEqual(
        names.sort(),
        ['m12.jpg', ...Array.from({ length: 10 }, (_, i) => `m12${i}.jpg`)].sort(),
      );
      assert.deepEqual(problems, []);
    } finally {
      await close();
      await studio.close();
    }
  });

  void it('labels unlabeled images with a keyboard shortcut and the stats follow', async () => {
    const { studio, tree } = await seededStudio();
    const cities = await studio.client.call('cities.list', {});
    const londonKey = String((cities.findIndex((c) => c.name === 'London') + 1) % 10);
    const { page, problems, close } = await openPage(browser, studio);
    try {
      const library = new LibraryPage(page);
      await library.filter('labeled', 'Unlabeled');
      await library.expectCount(tree.unlabeled.length);
      await library.click(0);
      await library.click(1, ['Shift']);
      await waitForText(page, '[data-testid="detail-many"] h2', '2 images selected');
      await page.keyboard.press(londonKey);
      await library.expectCount(tree.unlabeled.length - 2);
      assert.match(await new Shell(page).lastInfoToast(), /Labeled 2 images/);

      await library.filter('labeled', 'Labeled or not');
      await library.filter('source', 'Labeled by hand');
      await library.expectCount(2);
      assert.deepEqual(await library.cellCities(), ['London', 'London']);
      await library.click(0);
      await waitForText(page, '[data-testid="detail-city"]', 'London · Labeled by hand');
      const [first, second] = await library
        .cells()
        .evaluateAll((cells) => cells.map((c) => c.getAttribute('data-image-id')));
      assert.equal(await page.getByTestId('detail').getAttribute('data-image-id'), first);
      await page.keyboard.press('ArrowRight');
      await waitForAttr(page, '[data-testid="detail"]', 'data-image-id', second ?? '');
      await page.keyboard.press('Backspace');
      await library.expectCount(1);
      assert.match(await new Shell(page).lastInfoToast(), /Cleared 1 image/);

      await new Shell(page).go('splits');
      const splits = new SplitsPage(page);
      await splits.waitStats();
      assert.equal(await splits.stat('labeled'), tree.labeled + 1);
      assert.equal(await splits.stat('unlabeled'), tree.unlabeled.length - 1);
      assert.equal(await splits.stat('images'), tree.distinct);
      const perCity = await splits.perCity();
      assert.equal(perCity.London?.total, (tree.cities.London?.length ?? 0) + 1);
      assert.deepEqual(problems, []);
    } finally {
      await close();
      await studio.close();
    }
  });

  void it('adds a city with validation and removes it after confirming', async () => {
    const { studio } = await seededStudio();
    const { page, problems, close } = await openPage(browser, studio);
    try {
      await new Shell(page).go('cities');
      const cities = new CitiesPage(page);
      await cities.rows().first().waitFor();
      const before = await cities.names();
      assert.equal(await cities.labeled('Paris'), 3);

      await cities.add({
        name: 'Tokyo',
        country: 'Japan',
        lat: '135',
        lon: '139.65',
        radiusKm: '25',
      });
      await waitForText(
        page,
        '[data-testid="city-lat-error"]',
        'Latitude is a number from -90 to 90.',
      );
      await cities.add({ name: 'paris', country: '', lat: '1', lon: '1', radiusKm: '25' });
      await waitForText(
        page,
        '[data-testid="city-name-error"]',
        '“paris” is already in the library.',
      );

      await cities.add({
        name: 'Tokyo',
        country: 'Japan',
        lat: '35.6762',
        lon: '139.6503',
        radiusKm: '30',
      });
      await page.locator('[data-testid="city-row"][data-city="Tokyo"]').waitFor();
      assert.deepEqual(
        await cities.names(),
        [...before, 'Tokyo'].sort((a, b) => a.localeCompare(b)),
      );
      assert.equal(await cities.labeled('Tokyo'), 0);
      await screenshot(page, 'cities.png');

      await cities.remove('Paris');
      await page
        .locator('[data-testid="city-row"][data-city="Paris"]')
        .waitFor({ state: 'detached' });
      assert.match(await new Shell(page).lastInfoToast(), /Removed Paris.*3 labels removed/);
      assert.equal((await studio.client.call('library.stats', {})).cities.Paris, undefined);
      assert.deepEqual(problems, []);
    } finally {
      await close();
      await studio.close();
    }
  });

  void it('assigns splits and shows the counts in the summary, table and chart', async () => {
    const { studio, tree } = await seededStudio();
    const { page, problems, close } = await openPage(browser, studio);
    try {
      await new Shell(page).go('splits');
      const splits = new SplitsPage(page);
      await splits.waitStats();
      assert.equal(await splits.stat('images'), tree.distinct);
      // Labeled photos get a split on import (the library's config); unlabeled ones never do.
      assert.equal(await splits.stat('unassigned'), tree.unlabeled.length);

      await splits.assign({ train: '50', val: '25', test: '25', seed: '7' });
      const counts = await splits.summary();
      assert.equal(counts.train + counts.val + counts.test, tree.labeled);
      assert.ok(counts.val + counts.test > 0, 'a 50/25/25 split puts photos outside train');
      await waitForText(page, '[data-testid="stat-val"]', String(counts.val));
      assert.equal(await splits.stat('train'), counts.train);
      assert.equal(await splits.stat('test'), counts.test);
      const perCity = await splits.perCity();
      for (const [city, photos] of Object.entries(tree.cities)) {
        const row = perCity[city];
        assert.ok(row !== undefined, `a stats row for ${city}`);
        assert.equal(row.total, photos.length);
        assert.equal(row.train + row.val + row.test, photos.length, `${city} is fully split`);
      }
      const server = await studio.client.call('library.stats', {});
      assert.equal(server.splits.train, counts.train);
      await page.locator('[data-testid="split-chart"]:not([data-drawn="0"]) .barlayer').waitFor();
      await screenshot(page, 'stats.png');
      assert.deepEqual(problems, []);
    } finally {
      await close();
      await studio.close();
    }
  });

  void it('shows a per-file error for a bad import path', async () => {
    const studio = await startStudio();
    const tree = await makePhotoTree(join(studio.tmp, 'photos'));
    await studio.client.call('library.open', { dir: studio.libraryDir, create: true });
    const { page, problems, close } = await openPage(browser, studio);
    try {
      await new Shell(page).go('import');
      const importer = new ImportPage(page);
      const missing = join(studio.tmp, 'no-such-folder');
      await importer.start([missing, tree.broken, ...(tree.cities.Sydney ?? [])]);
      await importer.waitDone();
      assert.equal(await importer.number('imported'), 1);
      const rows = await importer.errorRows();
      assert.deepEqual(rows.map((r) => r[0]).sort(), [missing, tree.broken].sort());
      assert.ok(
        rows.every((r) => (r[1] ?? '').length > 0),
        'every error gives a reason',
      );
      assert.deepEqual(problems, []);
    } finally {
      await close();
      await studio.close();
    }
  });
});
