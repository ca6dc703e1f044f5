// The Geolocate and Map views end to end in Chromium over the HTTP bridge: a model trained
// (through the contract) on the three-"city" library made from the real sanity photos; then in the
// UI a batch over a folder of new photos (three with GPS), three photos reviewed with the keyboard
// (accept, correct by type-ahead, skip, with an undo), the CSV export downloaded, and the Map's
// circles, a circle's photos and one photo opened. Every number shown is checked against the core.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { GeoItem, GeoMap } from '../../src/shared/contract/geo-types';
import { accuracyText } from '../../src/renderer/features/geolocate/batch-words';
import { screenshot, type OpenedPage, type Studio } from './harness';
import { GeoMapPage, GeolocatePage, makeBatchFolder, type Circle } from './geolocate-pages';
import { mlSkipReason } from './ml-pages';
import { waitForAttr } from './pages';
import { closeTrainedStudio, startTrainedStudio } from './trained-studio';

const skip = mlSkipReason();
if (skip !== null) console.warn(skip);

// Importing and predicting a dozen photos on the plain CPU of a slow, shared machine.
const JOB_TIMEOUT = 240_000;
const PARIS = { lat: 48.8566, lon: 2.3522 };
const SYDNEY = { lat: -33.8688, lon: 151.2093 };
const CITIES = ['Paris', 'London', 'Sydney'];

const byCity = (circles: readonly Circle[]): Circle[] =>
  [...circles].sort((a, b) => a.city.localeCompare(b.city));
const coreCircles = (map: GeoMap): Circle[] =>
  byCity(
    map.cities.map((c) => ({ city: c.city, count: c.count, correct: c.correct, wrong: c.wrong })),
  );

void describe('Geolocate and Map in Chromium', { skip: skip ?? false }, () => {
  let browser: Browser;
  let studio: Studio;
  let opened: OpenedPage;

  before(async () => {
    ({ studio, browser, opened } = await startTrainedStudio({
      perCity: 6,
      split: { train: 0.7, val: 0.3, test: 0 },
      modelName: 'placer',
      epochs: 12,
    }));
  });

  after(() => closeTrainedStudio({ studio, browser, opened }));

  void it('geolocates a folder, reviews by keyboard, exports CSV and maps the batch', async () => {
    const { page, problems } = opened;
    const { client } = studio;
    const folder = join(studio.tmp, 'to-place');
    // The London-looking photo carries a Paris position: one estimate GPS can prove wrong.
    const photos = await makeBatchFolder(folder, 2, {
      Paris: PARIS,
      Sydney: SYDNEY,
      London: PARIS,
    });
    const geo = new GeolocatePage(page);
    await geo.open();
    await geo.start(folder, 'Street walk', 40);
    const batchId = await geo.waitComplete('Street walk', JOB_TIMEOUT);

    // The list says what the core says: every photo predicted, accuracy on the three GPS photos.
    const summary = await client.call('geo.get', { batchId });
    assert.equal(summary.counts.photos, photos.length);
    assert.equal(summary.counts.predicted, photos.length);
    assert.equal(summary.counts.withGps, 3);
    assert.equal(summary.unsureBelow, 0.4, 'the threshold set on the form');
    assert.equal(summary.accuracy.withTruth, 3);
    assert.equal(await geo.accuracy('Street walk'), accuracyText(summary.accuracy));
    assert.match(
      await geo.accuracy('Street walk'),
      /^model right on [0-3] of 3 photos that carry GPS \(\d+%\)$/,
    );
    await geo.expectCount(batchId, 'pending', photos.length);
    await geo.expectCount(batchId, 'unsure', summary.counts.unsure);

    // Review: accept the first photo, correct the second by typing, skip the third, undo, skip.
    await geo.openReview('Street walk');
    const first = await geo.current();
    const firstCity = await geo.currentPredicted();
    assert.ok(CITIES.includes(firstCity), firstCity);
    await geo.press('a', /^Accepted /);
    const second = await geo.current();
    assert.notEqual(second, first, 'the next photo shows after an action');
    const secondPredicted = await geo.currentPredicted();
    const target = CITIES.find((c) => c !== secondPredicted) ?? 'Paris';
    await page.keyboard.press('c');
    const input = page.getByTestId('geo-picker-input');
    await input.waitFor();
    assert.equal(await input.evaluate((el) => el === document.activeElement), true);
    // Letters typed here are the city's name, not shortcuts (S of "Sydney" does not skip).
    await page.keyboard.type(target.slice(0, 3));
    assert.equal(await page.getByTestId('geo-picker-option').first().textContent(), `1 ${target}`);
    await page.keyboard.press('Enter');
    await geo.waitLast(new RegExp(`^Corrected .+ to ${target}\\.$`));
    const third = await geo.current();
    assert.ok(third !== first && third !== second);
    await geo.press('s', /^Skipped /);
    await geo.press('u', /^Undone: /);
    assert.equal(await geo.current(), third, 'undo brings the skipped photo back');
    assert.equal(await page.getByTestId('geo-current').getAttribute('data-review'), 'pending');
    await geo.press('S', /^Skipped /);

    const reviewed = await client.call('geo.items', { batchId, filter: 'reviewed' });
    const state = new Map(reviewed.items.map((i): [number, GeoItem] => [i.imageId, i]));
    assert.equal(reviewed.total, 3);
    assert.equal(state.get(first)?.review, 'accepted');
    assert.equal(state.get(first)?.reviewedCity, firstCity);
    assert.equal(state.get(second)?.review, 'corrected');
    assert.equal(state.get(second)?.reviewedCity, target);
    assert.equal(state.get(third)?.review, 'skipped');
    // Accepted and corrected cities became the photos' labels in the library.
    assert.equal((await client.call('images.get', { id: first })).city, firstCity);
    assert.equal((await client.call('images.get', { id: second })).city, target);
    await geo.expectCount(batchId, 'accepted', 1);
    await geo.expectCount(batchId, 'corrected', 1);
    await geo.expectCount(batchId, 'skipped', 1);
    await geo.expectCount(batchId, 'pending', photos.length - 3);

    // The threshold slider saves the batch's threshold; the unsure count follows the core's.
    await page.getByTestId('geo-threshold').fill('95');
    // The list re-reads the batch once the slider's value is saved.
    await waitForAttr(
      page,
      `[data-testid="geo-batch"][data-batch-id="${batchId}"]`,
      'data-unsure-below',
      '0.95',
    );
    const raised = await client.call('geo.get', { batchId });
    assert.equal(raised.unsureBelow, 0.95);
    await geo.expectCount(batchId, 'unsure', raised.counts.unsure);
    // Least sure first: the queue starts at the pending photo the model is least sure of.
    await page.getByTestId('geo-order').click();
    await page.locator('[data-testid="geo-order"][data-order="confidence-asc"]').waitFor();
    await waitForAttr(page, '[data-testid="geo-review"]', 'data-state', 'ready');
    const leastSure = await client.call('geo.items', {
      batchId,
      filter: 'pending',
      order: 'confidence-asc',
      limit: 1,
    });
    await waitForAttr(
      page,
      '[data-testid="geo-current"]',
      'data-image-id',
      String(leastSure.items[0]?.imageId),
    );
    await screenshot(page, 'geolocate.png');

    // Export CSV: the downloaded file is the core's CSV, without GPS photos and the skipped one.
    await geo.openExport('Street walk');
    await page.getByTestId('geo-export-run').click();
    const result = page.getByTestId('geo-export-result');
    await result.waitFor();
    const written = Number(await result.getAttribute('data-written'));
    const link = page.getByTestId('geo-export-download');
    assert.match((await link.getAttribute('href')) ?? '', /^blob:/);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    assert.equal(download.suggestedFilename(), `geolocate-${batchId}-street-walk.csv`);
    const text = readFileSync(await download.path(), 'utf8');
    const core = await client.call('geo.export', { batchId, format: 'csv' });
    assert.equal(text, core.text);
    const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
    assert.equal(lines[0], 'path,city,country,probability,lat,lon,model,review,forced_choice');
    const rows = lines.slice(1);
    assert.equal(rows.length, written);
    const withGps = photos.filter((p) => p.gps !== null).map((p) => p.path);
    const skippedPath = state.get(third)?.path ?? '';
    const secondPath = state.get(second)?.path ?? '';
    // Photos the model answered "unknown" and nobody reviewed are not written by default either.
    const unknownUnreviewed = (
      await client.call('geo.items', { batchId, filter: 'unknown' })
    ).items.flatMap((i) => (i.reviewedCity === null ? [i.path] : []));
    const notWritten = new Set([...withGps, skippedPath, ...unknownUnreviewed]);
    assert.equal(
      rows.length,
      photos.length - notWritten.size,
      'no GPS photo, no skipped photo, no unknown one',
    );
    for (const p of unknownUnreviewed)
      assert.ok(!rows.some((r) => r.startsWith(`${p},`)), `${p} (unknown) not written`);
    for (const p of [...withGps, skippedPath])
      assert.ok(!rows.some((r) => r.startsWith(`${p},`)), `${p} not written`);
    if (!withGps.includes(secondPath)) {
      const row = rows.find((r) => r.startsWith(`${secondPath},`)) ?? '';
      assert.equal(row.split(',')[1], target, 'the corrected city is exported');
    }

    // Map: one circle per city with the core's counts, at the estimate and at the GPS city.
    const map = new GeoMapPage(page);
    await map.open();
    const estimated = await map.circles('estimated');
    await screenshot(page, 'map.png');
    const coreEstimated = await client.call('geo.map', { batchId, place: 'estimated' });
    assert.deepEqual(byCity(estimated), coreCircles(coreEstimated));
    assert.equal(
      estimated.reduce((n, c) => n + c.count, 0) + coreEstimated.unplaced + coreEstimated.unknown,
      photos.length - 1,
      'every photo but the skipped one is placed, unplaced or answered unknown',
    );
    assert.match(
      (await page.getByTestId('map-summary').textContent()) ?? '',
      new RegExp(
        `^${photos.length - 1 - coreEstimated.unplaced - coreEstimated.unknown} photos? in ${estimated.length} cit.*1 skipped \\(not shown\\)`,
      ),
    );
    const biggest = estimated[0];
    assert.ok(biggest !== undefined && biggest.count > 0);
    assert.match(
      (await map.circle(biggest.city).getAttribute('aria-label')) ?? '',
      new RegExp(`^${biggest.city}(, [^·]+)? · ${biggest.count} photos? · mean confidence \\d+%`),
    );
    await page.getByTestId('map-place-gps').check();
    const gpsCircles = await map.circles('gps');
    assert.deepEqual(
      byCity(gpsCircles),
      coreCircles(await client.call('geo.map', { batchId, place: 'gps' })),
    );
    assert.equal(
      gpsCircles.reduce((n, c) => n + c.count, 0),
      3,
      'the three GPS photos',
    );
    await page.getByTestId('map-place-estimated').check();
    await map.circles('estimated');

    const zoom = Number(await page.getByTestId('geo-map').getAttribute('data-zoom'));
    await page.getByRole('button', { name: 'Zoom in' }).click();
    assert.ok(Number(await page.getByTestId('geo-map').getAttribute('data-zoom')) > zoom);
    await page.getByTestId('map-reset').click();
    assert.equal(await page.getByTestId('geo-map').getAttribute('data-zoom'), '1.00');
    // Paris and London overlap on the whole world: the wheel zooms in about the pointer.
    const box = await map.circle(biggest.city).boundingBox();
    assert.ok(box !== null);
    const pointer = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    await page.mouse.move(pointer.x, pointer.y);
    for (let i = 0; i < 4; i += 1) await page.mouse.wheel(0, -300);
    await page.waitForFunction(
      () =>
        Number(document.querySelector('[data-testid="geo-map"]')?.getAttribute('data-zoom')) > 8,
    );
    // The circle pointed at is still under the pointer (the zoom's own math is unit-tested).
    const zoomed = await map.circle(biggest.city).boundingBox();
    assert.ok(zoomed !== null);
    assert.ok(
      pointer.x > zoomed.x &&
        pointer.x < zoomed.x + zoomed.width &&
        pointer.y > zoomed.y &&
        pointer.y < zoomed.y + zoomed.height,
      `${JSON.stringify(pointer)} inside ${JSON.stringify(zoomed)}`,
    );

    // A circle's photos are the batch's photos at that city; one opens large with its facts.
    await map.circle(biggest.city).click();
    const list = page.locator(
      `[data-testid="map-photos"][data-city="${biggest.city}"][data-state="ready"]`,
    );
    await list.waitFor();
    assert.equal(Number(await list.getAttribute('data-count')), biggest.count);
    const atCity = await client.call('geo.items', { batchId, city: biggest.city });
    const shownIds = await page
      .getByTestId('map-photo')
      .evaluateAll((nodes) => nodes.map((n) => Number(n.getAttribute('data-image-id'))));
    assert.deepEqual(
      [...shownIds].sort((a, b) => a - b),
      atCity.items.map((i) => i.imageId).sort((a, b) => a - b),
    );
    const photo = page.getByTestId('map-photo').first();
    const photoId = await photo.getAttribute('data-image-id');
    await photo.click();
    const detail = page.getByTestId('map-photo-detail');
    await detail.waitFor();
    assert.equal(await detail.getAttribute('data-image-id'), photoId);
    assert.ok((await detail.locator('li').count()) > 0, 'the model’s top cities are listed');

    assert.deepEqual(problems, []);
  });

  void it('resumes a batch whose job was cancelled', async () => {
    const { page, problems } = opened;
    const { client } = studio;
    const folder = join(studio.tmp, 'second-walk');
    const photos = await makeBatchFolder(folder, 3, {});
    // Started and cancelled through the core at once, as if the app had been closed mid-run.
    const created = await client.call('geo.create', {
      modelId: (await client.call('models.list', {}))[0]?.id ?? '',
      paths: [folder],
      name: 'Interrupted walk',
    });
    await client.call('jobs.cancel', { jobId: created.jobId });
    const geo = new GeolocatePage(page);
    await geo.open();
    const row = geo.batch('Interrupted walk');
    await row.and(page.locator('[data-state="stopped"]')).waitFor({ timeout: JOB_TIMEOUT });
    const stopped = await client.call('geo.get', { batchId: created.id });
    assert.equal(stopped.complete, false);
    assert.match(
      (await row.getByTestId('geo-predicted').textContent()) ?? '',
      new RegExp(`^${stopped.counts.predicted} of ${stopped.counts.photos} photos? predicted`),
    );
    await row.getByTestId('geo-resume').click();
    await geo.waitComplete('Interrupted walk', JOB_TIMEOUT);
    assert.equal(await row.getByTestId('geo-resume').count(), 0, 'nothing left to resume');
    const done = await client.call('geo.get', { batchId: created.id });
    assert.equal(done.complete, true);
    assert.equal(done.counts.predicted, photos.length);
    assert.deepEqual(problems, []);
  });
});
