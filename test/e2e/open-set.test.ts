// The "unknown" answer end to end in Chromium over the HTTP bridge (issue #13): a model trained on
// the three sanity-photo "cities", then real street photos from none of them (the shared
// outside-street set) as the outside set of an evaluation and mixed into a geolocation batch.
// Every figure shown is checked against the core's.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { fixed, pct } from '../../src/renderer/ui/format';
import { keptWords } from '../../src/renderer/features/evaluate/open-set-data';
import { thresholdForKeepRate } from '../../src/shared/domain/open-set';
import { sidecarPath } from '../../src/main/core/geolocate/xmp-sidecar';
import { screenshot, type OpenedPage, type Studio } from './harness';
import { GeolocatePage, makeBatchFolder } from './geolocate-pages';
import { mlSkipReason } from './ml-pages';
import { LibraryPage, Shell, waitForAttr } from './pages';
import { closeTrainedStudio, startTrainedStudio } from './trained-studio';

const OUTSIDE_STREET = resolve(__dirname, '../../../shared/fixtures/outside-street/photos');

const skip =
  mlSkipReason() ??
  (existsSync(OUTSIDE_STREET) ? null : `open-set e2e skipped: ${OUTSIDE_STREET} is absent`);
if (skip !== null) console.warn(skip);

// Training, evaluating and predicting a few dozen photos on the plain CPU of a slow, shared machine.
const JOB_TIMEOUT = 240_000;

/** Copies the first `n` outside-street photos (real streets of towns the model never saw). */
function copyOutside(dir: string, n: number): string[] {
  mkdirSync(dir, { recursive: true });
  return readdirSync(OUTSIDE_STREET)
    .filter((f) => f.endsWith('.jpg'))
    .sort()
    .slice(0, n)
    .map((f) => {
      const to = join(dir, `street-${f}`);
      copyFileSync(join(OUTSIDE_STREET, f), to);
      return to;
    });
}

const text = async (page: OpenedPage['page'], testId: string): Promise<string> =>
  (await page.getByTestId(testId).first().innerText()).replace(/\s+/g, ' ').trim();

void describe('Open-set answers in Chromium', { skip: skip ?? false }, () => {
  let browser: Browser;
  let studio: Studio;
  let opened: OpenedPage;
  let modelId = '';

  before(async () => {
    ({ studio, browser, opened } = await startTrainedStudio({
      perCity: 10,
      split: { train: 0.6, val: 0.2, test: 0.2 },
      modelName: 'open-set',
      epochs: 12,
    }));
    const models = await studio.client.call('models.list', {});
    modelId = models[0]?.id ?? '';
    assert.notEqual(models[0]?.openSet ?? null, null, 'a new model has open-set statistics');
  });

  after(() => closeTrainedStudio({ studio, browser, opened }));

  void it('evaluates with an outside set: calibration before/after, coverage, outside panel', async () => {
    const { page, problems } = opened;
    const outsideDir = join(studio.tmp, 'outside');
    copyOutside(outsideDir, 8);
    await new Shell(page).go('evaluate');
    await page.getByLabel(/^Outside set/).fill(outsideDir);
    await page.getByTestId('evaluate-start').click();
    await page
      .locator('[data-testid="eval-report"][data-dataset="test"]')
      .waitFor({ timeout: JOB_TIMEOUT });
    await page.getByTestId('eval-outside').waitFor();

    const [stored] = await studio.client.call('evaluations.list', { modelId });
    const openSet = stored?.openSet ?? null;
    assert.ok(stored !== undefined && openSet !== null, 'the evaluation has open-set figures');
    const outside = openSet.outside;
    assert.ok(outside !== null);
    assert.deepEqual(outside.sources, [outsideDir]);
    assert.equal(outside.n, 8);
    // Real streets against crops of a cat, a hot dog and a parrot: told apart (measured: 1.0).
    assert.ok((outside.auroc ?? 0) >= 0.9, `AUROC ${outside.auroc}`);

    // The outside panel shows the core's figures.
    assert.equal(await page.getByTestId('outside-n').getAttribute('data-value'), '8');
    assert.match(await text(page, 'outside-n'), /^Photos 8/);
    assert.equal(await text(page, 'outside-flagged'), `Answered unknown ${pct(outside.flagged)}`);
    assert.match(await text(page, 'outside-auroc'), new RegExp(`^AUROC ${fixed(outside.auroc)} `));
    assert.match(
      await text(page, 'outside-fpr'),
      new RegExp(`^FPR at 95% TPR ${pct(outside.fprAt95)}`),
    );

    // Calibration: ECE before → after temperature scaling, and both series drawn.
    const ece = page.getByTestId('eval-ece');
    assert.equal(Number(await ece.getAttribute('data-before')), openSet.calibrationBefore.ece);
    assert.equal(Number(await ece.getAttribute('data-value')), stored.report.calibration.ece);
    assert.match(
      await text(page, 'eval-ece'),
      new RegExp(
        `^ECE ${fixed(openSet.calibrationBefore.ece)} → ${fixed(stored.report.calibration.ece)} after temperature scaling \\(T = ${fixed(openSet.temperature, 2)}\\)`,
      ),
    );
    const legend = page.getByTestId('reliability-chart').locator('.legendtext');
    await legend.first().waitFor();
    const names = await legend.allTextContents();
    assert.ok(names.includes('before scaling (T = 1)'), names.join(' | '));
    assert.ok(names.includes('accuracy in bin (after scaling)'), names.join(' | '));

    // Coverage / accuracy: what the model's threshold keeps on the test split.
    assert.match(await text(page, 'eval-kept'), new RegExp(`${keptWords(openSet.kept)}$`));
    await page.getByTestId('coverage-chart').locator('.scatterlayer .trace').first().waitFor();

    // Domain shift: the test split beside the outside set.
    assert.equal(await page.getByTestId('shift-test').getAttribute('data-eval'), String(stored.id));
    assert.equal(await text(page, 'shift-test-n'), String(stored.report.n));
    assert.equal(await text(page, 'shift-test-accuracy'), pct(stored.report.accuracy.value));
    assert.equal(await text(page, 'shift-outside-n'), '8');
    assert.equal(await text(page, 'shift-outside-unknown'), pct(outside.flagged));
    assert.equal(await text(page, 'shift-outside-auroc'), fixed(outside.auroc));
    assert.equal(await text(page, 'shift-external-n'), '—', 'no external set evaluated yet');

    await page.getByTestId('reliability').evaluate((el) => {
      el.scrollIntoView({ block: 'start' });
      document.getElementById('main')?.scrollBy(0, -14);
    });
    await screenshot(page, 'evaluate-open-set.png');
    assert.deepEqual(problems, []);
  });

  void it('geolocates a mixed folder: Unknown filter, XMP only beside known photos unless asked', async () => {
    const { page, problems } = opened;
    const { client } = studio;
    const folder = join(studio.tmp, 'mixed');
    const known = (await makeBatchFolder(folder, 2, {})).map((p) => p.path);
    const streets = copyOutside(folder, 4);
    const geo = new GeolocatePage(page);
    await geo.open();
    await geo.start(folder, 'Mixed walk', 50);
    const batchId = await geo.waitComplete('Mixed walk', JOB_TIMEOUT);

    const summary = await client.call('geo.get', { batchId });
    assert.equal(summary.counts.photos, known.length + streets.length);
    const unknownItems = (await client.call('geo.items', { batchId, filter: 'unknown' })).items;
    const unknownPaths = new Set(unknownItems.map((i) => i.path));
    assert.equal(summary.counts.unknown, unknownItems.length);
    for (const s of streets) assert.ok(unknownPaths.has(s), `${s} answered unknown`);
    await geo.expectCount(batchId, 'unknown', summary.counts.unknown);

    // The review queue's Unknown filter lists exactly those photos, each saying so.
    await geo.openReview('Mixed walk');
    await page.getByTestId('geo-filter').selectOption('unknown');
    await waitForAttr(
      page,
      '[data-testid="geo-review"]',
      'data-count',
      String(unknownItems.length),
    );
    const listed: string[] = [];
    for (let i = 0; i < unknownItems.length; i += 1) {
      const current = page.getByTestId('geo-current');
      await waitForAttr(page, '[data-testid="geo-review"]', 'data-index', String(i));
      assert.equal(await current.getAttribute('data-unknown'), 'true');
      assert.match(
        await text(page, 'geo-photo-unknown'),
        /^Looks like none of the model’s cities\./,
      );
      const id = Number(await current.getAttribute('data-image-id'));
      listed.push(unknownItems.find((u) => u.imageId === id)?.path ?? '');
      await page.getByRole('button', { name: 'Next photo' }).click();
    }
    assert.deepEqual([...listed].sort(), [...unknownPaths].sort());

    // XMP sidecars: beside the photos answered with a city only.
    const all = [...known, ...streets];
    const sidecars = (): string[] => all.filter((p) => existsSync(sidecarPath(p))).sort();
    await geo.openExport('Mixed walk');
    await page.getByTestId('geo-format-xmp').check();
    await page.getByTestId('geo-export-run').click();
    await waitForAttr(
      page,
      '[data-testid="geo-export-result"]',
      'data-written',
      String(all.length - unknownPaths.size),
    );
    assert.deepEqual(
      sidecars(),
      all.filter((p) => !unknownPaths.has(p)).sort(),
      'no sidecar beside an unknown photo',
    );

    // Ticked: the unknown photos get their forced choice too, marked as such.
    await page.getByTestId('geo-export-unknown').check();
    await page.getByTestId('geo-export-run').click();
    await waitForAttr(
      page,
      '[data-testid="geo-export-result"]',
      'data-written',
      String(all.length),
    );
    assert.deepEqual(sidecars(), [...all].sort());
    const street = streets[0] ?? '';
    assert.match(readFileSync(sidecarPath(street), 'utf8'), /lp:ForcedChoice="True"/);

    // The Map leaves them out of the estimated cities and says how many.
    await page.getByRole('button', { name: 'Show on map' }).first().click();
    await page.waitForSelector('main[data-view="map"]');
    await waitForAttr(page, '[data-testid="map-unknown"]', 'data-count', String(unknownPaths.size));
    assert.match(
      await text(page, 'map-unknown'),
      new RegExp(`· ${unknownPaths.size} photos? answered unknown \\(not on the map\\)$`),
    );

    // The Library's filter finds the same photos by their latest prediction, marked unknown.
    await new Shell(page).go('library');
    await page.getByTestId('filter-unknown').selectOption('unknown');
    const library = new LibraryPage(page);
    await library.expectCount(unknownPaths.size);
    const cells = library.cells();
    assert.deepEqual(
      await cells.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-unknown'))),
      [...unknownPaths].map(() => 'true'),
    );
    await library.click(0);
    assert.equal(await text(page, 'detail-unknown'), 'Unknown (none of the model’s cities)');
    assert.deepEqual(problems, []);
  });

  void it('predicts a street photo from elsewhere: Unknown badge, forced-choice ranking kept', async () => {
    const { page, problems } = opened;
    const [street] = copyOutside(join(studio.tmp, 'predict-outside'), 1);
    await new Shell(page).go('predict');
    await page.getByLabel(/^Or image files outside the library/).fill(street ?? '');
    await page.getByTestId('predict-start').click();
    await waitForAttr(page, '[data-testid="predictions"]', 'data-count', '1');
    const row = page.getByTestId('prediction').first();
    assert.equal(await row.getAttribute('data-unknown'), 'true');
    assert.equal(await text(page, 'prediction-unknown'), 'Unknown');
    // The ranking of the model's cities stays: all three (top-3 by default), summing to 1.
    const probs = await row
      .getByTestId('prob')
      .evaluateAll((nodes) => nodes.map((n) => Number(n.getAttribute('data-p'))));
    assert.equal(probs.length, 3);
    assert.ok(Math.abs(probs.reduce((a, b) => a + b, 0) - 1) < 1e-3, `${probs.join(' + ')}`);
    assert.deepEqual(problems, []);
  });

  void it("sets the model's unknown answer in the Models view and resets it", async () => {
    const { page, problems } = opened;
    const { client } = studio;
    await new Shell(page).go('models');
    const control = page.getByTestId('unknown-control').first();
    await control.waitFor();
    const before = await client.call('models.get', { modelId });
    assert.equal(await control.getAttribute('data-custom'), 'false');
    assert.equal(Number(await control.getAttribute('data-threshold')), before.openSet?.threshold);
    await control.getByTestId('unknown-keep').fill('80');
    await waitForAttr(page, '[data-testid="unknown-control"]', 'data-custom', 'true');
    const custom = await client.call('models.get', { modelId });
    // The threshold that keeps 80% of the validation photos (a few photos make a step function,
    // so the share it really keeps may be a little more).
    const quantiles = custom.meta.openSet?.quantiles ?? [];
    assert.equal(custom.openSet?.threshold, thresholdForKeepRate(quantiles, 0.8));
    assert.ok((custom.openSet?.keepRate ?? 0) >= 0.8, `${custom.openSet?.keepRate}`);
    assert.equal(Number(await control.getAttribute('data-threshold')), custom.openSet?.threshold);
    await control.getByTestId('unknown-reset').click();
    await waitForAttr(page, '[data-testid="unknown-control"]', 'data-custom', 'false');
    assert.equal((await client.call('models.get', { modelId })).openSet?.custom, false);
    assert.deepEqual(problems, []);
  });
});
