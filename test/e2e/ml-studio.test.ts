// The ML views end to end in Chromium over the HTTP bridge: import a backbone, train with live
// curves, evaluate on the test split, geolocate an untagged photo. One library, one page, in order.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  launchChromium,
  openPage,
  screenshot,
  startStudio,
  type OpenedPage,
  type Studio,
} from './harness';
import {
  BACKBONE_FILE,
  CITY_PHOTOS,
  makeSanityCities,
  mlSkipReason,
  ModelsPage,
  probabilities,
  rowsByCity,
  SANITY,
  TrainPage,
  waitForAtLeast,
} from './ml-pages';
import { Shell, waitForAttr } from './pages';

const skip = mlSkipReason();
if (skip !== null) console.warn(skip);

const CITIES = ['London', 'Paris', 'Sydney'];
const EPOCHS = 12;

void describe('ML studio in Chromium', { skip: skip ?? false }, () => {
  let browser: Browser;
  let studio: Studio;
  let opened: OpenedPage;
  let modelId = '';

  before(async () => {
    studio = await startStudio();
    const photos = await makeSanityCities(join(studio.tmp, 'photos'));
    await studio.client.call('library.open', { dir: studio.libraryDir, create: true });
    const report = await studio.client.runJob('import.start', { paths: [photos.root] });
    assert.equal(report.imported, 31);
    assert.equal(report.labeled, 30);
    const split = await studio.client.call('split.assign', {
      train: 0.6,
      val: 0.2,
      test: 0.2,
      seed: 7,
    });
    assert.deepEqual(split.counts, { train: 18, val: 6, test: 6 });
    browser = await launchChromium();
    opened = await openPage(browser, studio);
  });

  after(async () => {
    await opened?.close();
    await browser?.close();
    await studio?.close();
  });

  void it('imports the backbone in the Models view, errors shown with their code', async () => {
    const { page } = opened;
    await new Shell(page).go('models');
    await waitForAttr(page, '[data-testid="backend-card"]', 'data-state', 'ready');
    assert.ok(((await page.getByTestId('backend-name').textContent()) ?? '').length > 0);
    assert.match((await page.getByTestId('backend-reason').textContent()) ?? '', /\w+/);
    const models = new ModelsPage(page);
    await models.waitBackbones(0);

    await models.importBackbone(join(studio.tmp, 'missing.tflite'), 'missing');
    const error = page.getByTestId('backbone-import-status-error');
    await error.waitFor();
    assert.match((await error.textContent()) ?? '', /^[A-Z_]+ \S/);

    await models.importBackbone(BACKBONE_FILE, 'mobilenet_v2_1.0_224_quant');
    await models.waitBackbones(1);
    const row = page.locator(
      '[data-testid="backbone-row"][data-name="mobilenet_v2_1.0_224_quant"]',
    );
    assert.equal(await row.locator('[data-col="featureDim"]').textContent(), '1280');
    assert.equal(await page.getByTestId('models-card').getAttribute('data-count'), '0');

    // Offline the download fails; online the file arrives but the name is taken. Either way the
    // user sees the error's code and message, and the list is unchanged.
    await page.getByTestId('backbone-download').click();
    const downloadError = page.getByTestId('backbone-download-status-error');
    await downloadError.waitFor({ timeout: 120_000 });
    assert.match((await downloadError.textContent()) ?? '', /^[A-Z_]+ \S/);
    await models.waitBackbones(1);
    await page.getByRole('button', { name: 'Clear finished' }).click();
  });

  void it('trains with live curves and a run summary well above chance', async () => {
    const { page } = opened;
    await new Shell(page).go('train');
    const train = new TrainPage(page);
    await page.getByLabel('Backbone', { exact: true }).selectOption('mobilenet_v2_1.0_224_quant');
    await train.fill({
      'Model name': 'sanity cities',
      Epochs: String(EPOCHS),
      'Learning rate': '0.002',
      'Batch size': '32',
    });
    // Stage 2 on the wasm backend runs its conv gradients on the plain CPU: minutes, not seconds.
    await page.getByTestId('train-stage2').uncheck();
    await train.traceCurve();
    await page.getByTestId('train-start').click();
    await train.waitDone();

    const trace = await train.curveTrace();
    assert.ok(
      trace.some(([n, phase]) => n >= 1 && phase === 'running'),
      `the curve got points while training ran: ${JSON.stringify(trace)}`,
    );
    const points = await waitForAtLeast(page, '[data-testid="train-curves"]', 'data-points', 1);
    const stage1 = page.locator('[data-testid="run-summary-stage"][data-stage="1"]');
    const epochsRun = Number(await stage1.locator('[data-col="epochsRun"]').textContent());
    assert.equal(points, epochsRun, 'one point per epoch run');
    assert.ok(epochsRun >= 1 && epochsRun <= EPOCHS);
    assert.match(
      (await stage1.locator('[data-col="stopReason"]').getAttribute('data-value')) ?? '',
      /^(completed|earlyStopped)$/,
    );
    const valAccuracy = Number(
      await page.getByTestId('summary-val-accuracy').getAttribute('data-value'),
    );
    assert.ok(valAccuracy >= 0.8, `val accuracy ${valAccuracy} is far above chance (1/3)`);
    const weights = await page
      .getByTestId('class-weights')
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-city')));
    assert.deepEqual(weights, CITIES);
    assert.ok((await page.getByTestId('train-log').locator('li').count()) >= 1, 'log lines shown');
    await page
      .getByTestId('train-accuracy-chart')
      .locator('.scatterlayer .trace')
      .first()
      .waitFor();
    await page.getByTestId('train-live').evaluate((el) => {
      el.scrollIntoView({ block: 'start' });
      document.getElementById('main')?.scrollBy(0, -14);
    });
    await screenshot(page, 'train.png');
    const models = await studio.client.call('models.list', {});
    assert.equal(models.length, 1);
    modelId = models[0]?.id ?? '';
  });

  void it('evaluates on the test split: per-city table and confusion matrix', async () => {
    const { page } = opened;
    await page.getByTestId('evaluate-link').click();
    await page.waitForSelector('main[data-view="evaluate"]');
    // The link carries the model: it is picked once the model list has loaded.
    await page.waitForFunction(
      (id) => document.querySelector<HTMLSelectElement>('#eval-model')?.value === id,
      modelId,
    );
    await page.getByTestId('evaluate-start').click();
    await page.getByTestId('eval-report').waitFor({ timeout: 120_000 });

    const accuracy = Number(await page.getByTestId('eval-accuracy').getAttribute('data-value'));
    assert.ok(accuracy > 1 / 3, `test accuracy ${accuracy} beats chance`);
    assert.match((await page.getByTestId('eval-accuracy-ci').textContent()) ?? '', /\d–\d/);
    const perCity = await rowsByCity(page, 'per-city-row');
    assert.deepEqual(Object.keys(perCity), CITIES);
    for (const city of CITIES) assert.equal(perCity[city]?.support, '2', `${city}: 2 test photos`);
    const predicted = CITIES.reduce((n, c) => n + Number(perCity[c]?.predicted), 0);
    assert.equal(predicted, 6, 'every test photo was predicted as some city');

    const confusion = page.getByTestId('confusion');
    assert.equal(await confusion.getAttribute('data-classes'), CITIES.join('|'));
    await waitForAtLeast(page, '[data-testid="confusion-chart"]', 'data-drawn', 1);
    const ticks = await page
      .getByTestId('confusion-chart')
      .locator('.xtick text')
      .allTextContents();
    assert.deepEqual(ticks, CITIES, 'columns are the predicted cities');
    const rowSums = await page
      .getByTestId('confusion-row')
      .evaluateAll((rows) =>
        rows.map((r) =>
          [...r.querySelectorAll('td')].reduce((n, td) => n + Number(td.textContent), 0),
        ),
      );
    assert.deepEqual(rowSums, [2, 2, 2], 'rows are the true cities');
    await page.getByTestId('confusion-rows').click();
    await waitForAttr(page, '[data-testid="confusion"]', 'data-mode', 'rows');
    assert.ok(
      (
        await page.getByTestId('confusion-chart').locator('.annotation-text').allTextContents()
      ).every((t) => /^\d+%$/.test(t)),
      'row-normalised cells are percentages',
    );
    assert.equal(await page.getByTestId('evaluations').getAttribute('data-count'), '1');
    await page.getByTestId('reliability-chart').locator('.bars').first().waitFor();
    await page.getByTestId('confusion-counts').click();
    await page.getByTestId('eval-report').evaluate((el) => {
      el.scrollIntoView({ block: 'start' });
      document.getElementById('main')?.scrollBy(0, -14);
    });
    await screenshot(page, 'evaluate.png');
  });

  void it('geolocates an untagged photo: top-k probabilities summing to 100%', async () => {
    const { page, problems } = opened;
    await new Shell(page).go('predict');
    await waitForAttr(page, '[data-testid="image-picker"]', 'data-state', 'ready');
    const cells = page.getByTestId('pick-cell');
    assert.equal(await cells.count(), 1, 'one untagged photo');
    await cells.first().locator('input').check();
    await page.getByLabel(/^Top-k cities/).fill('3');
    const outside = join(SANITY, CITY_PHOTOS.Paris);
    await page.getByLabel(/^Or image files outside the library/).fill(outside);
    await page.getByTestId('predict-start').click();
    await waitForAttr(page, '[data-testid="predictions"]', 'data-count', '2');
    const imageId = await cells.first().getAttribute('data-image-id');
    const library = page.locator(`[data-testid="prediction"][data-image-id="${imageId}"]`);
    const probs = await probabilities(library);
    assert.deepEqual(probs.map(([c]) => c).sort(), CITIES);
    const sum = probs.reduce((n, [, p]) => n + p, 0);
    assert.ok(Math.abs(sum - 1) < 1e-3, `probabilities sum to ${sum}`);
    assert.equal(await library.getAttribute('data-top'), 'Sydney', 'the parrot crop');
    assert.equal(
      (await library.getByTestId('prob-sum').textContent())?.trim(),
      'top 3 cover 100.0%',
    );
    const file = page.locator('[data-testid="prediction"][data-image-id=""]');
    assert.equal(await file.getAttribute('data-top'), 'Paris', 'a file outside the library');
    assert.deepEqual(problems, []);
  });

  void it("evaluates on an outside image set (the paper's out-of-distribution test)", async () => {
    const { page } = opened;
    await new Shell(page).go('evaluate');
    await page.getByLabel('Another image set').check();
    await page.getByLabel(/^Folders whose sub-folders/).fill(join(studio.tmp, 'photos'));
    await page.getByTestId('evaluate-start').click();
    const report = page.locator('[data-testid="eval-report"][data-dataset="external"]');
    await report.waitFor({ timeout: 120_000 });
    const perCity = await rowsByCity(page, 'per-city-row');
    assert.deepEqual(
      CITIES.map((c) => perCity[c]?.support),
      ['10', '10', '10'],
    );
    const skipped = await page.getByTestId('eval-skipped').locator('td.mono').allTextContents();
    assert.deepEqual(skipped, [join(studio.tmp, 'photos', 'unsorted', 'street-photo.jpg')]);
    assert.equal(await page.getByTestId('evaluations').getAttribute('data-count'), '2');
  });

  void it('cancels a training run from the Train view', async () => {
    const { page, problems } = opened;
    await new Shell(page).go('train');
    const train = new TrainPage(page);
    await train.fill({ 'Model name': 'to cancel', Epochs: '1000', 'Batch size': '1' });
    await page.getByTestId('train-stage2').uncheck();
    await page.getByTestId('train-start').click();
    await page.getByTestId('train-cancel').click();
    await waitForAttr(page, '[data-testid="train-live"]', 'data-phase', 'cancelled');
    await waitForAttr(page, '[data-testid="past-runs"]', 'data-count', '2');
    const statuses = await page
      .getByTestId('run-row')
      .evaluateAll((rows) => rows.map((r) => r.querySelector('.ml-pill')?.textContent));
    assert.deepEqual([...statuses].sort(), ['cancelled', 'done']);
    // Cancel keeps the best checkpoint: a model is saved when at least one epoch finished.
    const models = await studio.client.call('models.list', {});
    const fromCancelled = models.filter((m) => m.name === 'to cancel');
    const runs = await studio.client.call('runs.list', {});
    const cancelled = runs.find((r) => r.status === 'cancelled') ?? assert.fail('no cancelled run');
    const finishedEpochs = cancelled.epochs.filter((e) => e.stage === 1).length;
    assert.equal(fromCancelled.length, finishedEpochs > 0 ? 1 : 0);
    assert.equal(models.length, 1 + fromCancelled.length);
    for (const m of fromCancelled) await studio.client.call('models.remove', { modelId: m.id });
    assert.deepEqual(problems, []);
  });

  void it('exports a model bundle, imports it back and removes it with a confirm', async () => {
    const { page, problems } = opened;
    await new Shell(page).go('models');
    await waitForAttr(page, '[data-testid="models-card"]', 'data-count', '1');
    const bundle = join(studio.tmp, 'sanity.lpmodel');
    const exporter = page.getByTestId('model-export-form');
    await exporter.getByLabel('Save as (.lpmodel)').fill(bundle);
    await exporter.getByRole('button', { name: 'Export' }).click();
    assert.match(await new Shell(page).lastInfoToast(), /Model exported.*sanity\.lpmodel/);

    const importer = page.getByTestId('model-import-form');
    await importer.getByLabel('Model file (.lpmodel)').fill(join(studio.tmp, 'nope.lpmodel'));
    await importer.getByRole('button', { name: 'Import model' }).click();
    assert.match((await page.getByTestId('import-model-error').textContent()) ?? '', /^[A-Z_]+ \S/);
    await importer.getByLabel('Model file (.lpmodel)').fill(bundle);
    await importer.getByLabel('Name (optional)').fill('sanity copy');
    await importer.getByRole('button', { name: 'Import model' }).click();
    await waitForAttr(page, '[data-testid="models-card"]', 'data-count', '2');
    const copy = page.locator('[data-testid="model-row"][data-name="sanity copy"]');
    assert.equal(await copy.locator('[data-col="accuracy"]').count(), 1);

    await page.getByRole('button', { name: 'Remove model sanity copy' }).click();
    await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Remove model' }).click();
    await waitForAttr(page, '[data-testid="models-card"]', 'data-count', '1');
    assert.deepEqual(
      (await studio.client.call('models.list', {})).map((m) => m.name),
      ['sanity cities'],
    );
    assert.deepEqual(problems, []);
  });
});
