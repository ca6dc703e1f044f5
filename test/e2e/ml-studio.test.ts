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
    const backendName = (await page.getByTestId('backend-name').textContent()) ?? '';
    assert.ok(backendName.length > 0);
    const reason = (await page.getByTestId('backend-reason').textContent()) ?? '';
    assert.match(reason, /\w+/);
    // The status bar names the backend the Models view's answer reported, the reason as tooltip.
    const gpu = (await page.getByTestId('backend-gpu').textContent()) === 'yes';
    const word = gpu ? 'GPU' : backendName === 'tensorflow' ? 'native' : backendName;
    await waitForAttr(page, '[data-testid="status-backend"]', 'data-backend', word);
    assert.equal(await page.getByTestId('status-backend').textContent(), `Backend: ${word}`);
    assert.equal(await page.getByTestId('status-backend').getAttribute('title'), reason);
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
    await page.getByTestId('backbone-import-status-error').waitFor({ state: 'detached' });
    await screenshot(page, 'models.png');

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
    // The split the run will use, read from the library (6 test photos: 2 per city).
    await page.waitForFunction(() =>
      /^Split\s*Learns from \d+ train photos/.test(
        document.querySelector('[data-testid="train-split"]')?.textContent ?? '',
      ),
    );
    assert.match(
      (await page.getByTestId('train-split').textContent()) ?? '',
      /picks its best epoch on \d+ val photos; 6 test photos stay unseen/,
    );
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

    // Clicking a cell of the chart lists its photos; so does its number in the table.
    // Inside the first cell's rectangle, away from its number (annotations sit above the plot).
    const firstCell = page.getByTestId('confusion-chart').locator('.shapelayer path').first();
    await page.getByTestId('confusion-chart').scrollIntoViewIfNeeded();
    const box = await firstCell.boundingBox();
    assert.ok(box !== null, 'the first cell is drawn');
    const at = { x: box.x + box.width * 0.25, y: box.y + box.height * 0.25 };
    await page.mouse.move(at.x, at.y);
    await page.mouse.click(at.x, at.y);
    const cellPhotos = page.getByTestId('cell-photos');
    await cellPhotos.waitFor();
    const [trueCity, predictedCity] = ((await cellPhotos.getAttribute('data-cell')) ?? '').split(
      '|',
    );
    const t = CITIES.indexOf(trueCity as (typeof CITIES)[number]);
    const p = CITIES.indexOf(predictedCity as (typeof CITIES)[number]);
    assert.ok(t >= 0 && p >= 0, `a cell of the matrix: ${trueCity} → ${predictedCity}`);
    const counts = await page
      .getByTestId('confusion-row')
      .evaluateAll((rows) =>
        rows.map((r) => [...r.querySelectorAll('td')].map((td) => Number(td.textContent))),
      );
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="cell-photo"]').length === n,
      counts[t]![p],
    );
    await page.getByTestId('cell-photos-close').click();
    await page.getByTestId('confusion').locator('summary').click();
    await page.getByTestId('confusion-cell').first().click();
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="cell-photo"]').length === n,
      counts[0]![0],
    );
    assert.equal(
      await page.getByTestId('cell-photos').getAttribute('data-cell'),
      `${CITIES[0]}|${CITIES[0]}`,
    );
    await page.getByTestId('cell-photos-close').click();
    await page.getByTestId('confusion').locator('summary').click();
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

    // Per-city accuracy as bars, read against the paper's overall figures and chance (1/3).
    const perCityChart = page.getByTestId('per-city-chart');
    await waitForAtLeast(page, '[data-testid="per-city-chart"]', 'data-drawn', 1);
    assert.deepEqual(await perCityChart.locator('.xtick text').allTextContents(), CITIES);
    assert.equal(await perCityChart.locator('.barlayer .point').count(), CITIES.length);
    assert.deepEqual(await perCityChart.locator('.annotation-text').allTextContents(), [
      'paper model 75.3%',
      'paper humans 27.2%',
      'chance 1/3 = 33.3%',
    ]);
    const headline = await page
      .getByTestId('eval-compare-chart')
      .locator('.ytick text')
      .allTextContents();
    assert.deepEqual(headline, [
      'Uniform chance',
      'Majority class',
      'Humans (paper)',
      'Paper (10 cities)',
      'This model',
      'This model, top-3',
    ]);
    await page.getByTestId('confusion-counts').click();

    // Geography: the matrix can be ordered west to east or as a tour of neighbours (for London,
    // Paris and Sydney both are the alphabetical order); each error's distance and score.
    await page.getByTestId('confusion-order-tour').click();
    await waitForAttr(page, '[data-testid="confusion"]', 'data-order', 'tour');
    assert.equal(await confusion.getAttribute('data-classes'), 'London|Paris|Sydney');
    await page.getByTestId('confusion-order-longitude').click();
    await waitForAttr(page, '[data-testid="confusion"]', 'data-order', 'longitude');
    const meanScore = Number(await page.getByTestId('eval-geo-score').getAttribute('data-value'));
    const offDiagonal = counts.reduce(
      (a, row, i) => a + row.reduce((b, v, j) => b + (i === j ? 0 : v), 0),
      0,
    );
    assert.equal(await page.getByTestId('eval-geo-error').count(), offDiagonal);
    assert.ok(meanScore > 0 && meanScore <= 5000, `mean score ${meanScore}`);
    if (offDiagonal === 0) assert.equal(meanScore, 5000);
    await page.getByTestId('confusion-order-alphabetical').click();
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
    await screenshot(page, 'predict.png');
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

    // The two evaluations side by side: the test split against the outside set.
    const compare = page.getByTestId('compare');
    await compare.scrollIntoViewIfNeeded();
    const options = await page
      .getByTestId('compare-a')
      .locator('option')
      .evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value).filter((v) => v !== ''));
    assert.equal(options.length, 2);
    await page.getByTestId('compare-a').selectOption(options[1]!);
    await page.getByTestId('compare-b').selectOption(options[0]!);
    const result = page.getByTestId('compare-result');
    await result.waitFor();
    await waitForAtLeast(page, '[data-testid="compare-chart"]', 'data-drawn', 1);
    assert.deepEqual(
      await page.getByTestId('compare-chart').locator('.xtick text').allTextContents(),
      CITIES,
    );
    assert.equal(await page.getByTestId('compare-chart').locator('.barlayer .point').count(), 6);
    assert.equal(await result.getByTestId('confusion').count(), 2, 'both confusion matrices');
    assert.match(
      (await page.getByTestId('compare-verdict').textContent()) ?? '',
      /^B is (ahead|behind) by \d+(\.\d)?%; the 95% intervals (do not )?overlap/,
    );
  });

  void it('cancels a training run, shows its ETA, and resumes it', async () => {
    const { page, problems } = opened;
    const shell = new Shell(page);
    await shell.go('train');
    const train = new TrainPage(page);
    await train.fill({ 'Model name': 'to cancel', Epochs: '1000', 'Batch size': '1' });
    // Without early stopping the 1000 epochs take minutes, long enough to measure and cancel.
    await page.getByText('Rate schedule and early stopping').click();
    await train.fill({ 'Stop after no gain for': '' });
    await page.getByTestId('train-stage2').uncheck();
    await page.getByTestId('train-start').click();
    await waitForAttr(page, '[data-testid="status-jobs"]', 'data-count', '1');
    // 1000 epochs of one-photo batches: the estimate is for stage 1 and far from done.
    const etaMs = await waitForAtLeast(page, '[data-testid="train-eta"]', 'data-ms', 1, 60_000);
    assert.ok(etaMs > 10_000, `1000 epochs take a while: ${etaMs} ms left`);
    assert.equal(await page.getByTestId('train-eta').getAttribute('data-phase'), 'Stage 1');
    assert.match(
      (await page.getByTestId('train-eta').textContent()) ?? '',
      /^Stage 1: (about|a few) .* left \(around .*\) · \d+% done$/,
    );
    await page.getByTestId('train-cancel').click();
    await waitForAttr(page, '[data-testid="train-live"]', 'data-phase', 'cancelled');
    await waitForAttr(page, '[data-testid="status-jobs"]', 'data-count', '0');
    assert.equal(await page.getByTestId('train-eta').count(), 0, 'no ETA once stopped');
    await waitForAttr(page, '[data-testid="past-runs"]', 'data-count', '2');
    const statuses = await page
      .getByTestId('run-row')
      .evaluateAll((rows) => rows.map((r) => r.querySelector('.ml-pill')?.textContent));
    assert.deepEqual([...statuses].sort(), ['cancelled', 'done']);
    // Cancel keeps the best checkpoint: a model is saved when at least one epoch finished.
    const runs = await studio.client.call('runs.list', {});
    const cancelled = runs.find((r) => r.status === 'cancelled') ?? assert.fail('no cancelled run');
    const finishedEpochs = cancelled.epochs.filter((e) => e.stage === 1).length;
    assert.equal(cancelled.modelId !== null, finishedEpochs > 0);

    // Only the cancelled run offers Resume; it continues that run from its checkpoint.
    const resume = page.getByTestId('run-resume');
    // The list refreshes once the job has settled: wait for it rather than read it at once.
    const oneResume = (): Promise<unknown> =>
      page.waitForFunction(
        () => document.querySelectorAll('[data-testid="run-resume"]').length === 1,
      );
    await oneResume();
    const cancelledRow = page.locator(`[data-testid="run-row"][data-job="${cancelled.jobId}"]`);
    await cancelledRow.getByTestId('run-resume').click();
    await waitForAttr(page, '[data-testid="train-live"]', 'data-phase', 'running');
    await waitForAtLeast(page, '[data-testid="train-curves"]', 'data-points', 1);
    await page.getByTestId('train-cancel').click();
    await waitForAttr(page, '[data-testid="train-live"]', 'data-phase', 'cancelled');
    await waitForAttr(page, '[data-testid="past-runs"]', 'data-count', '3');
    const after = await studio.client.call('runs.list', {});
    const resumed =
      after.find((r) => r.resumedFrom === cancelled.jobId) ?? assert.fail('no resumed run');
    assert.equal(resumed.name, 'to cancel', "a resume keeps the run's settings");
    assert.equal(resumed.status, 'cancelled');
    // It continued from the checkpoint: the epochs the cancelled run finished come first,
    // unchanged, then the new ones, numbered on.
    assert.ok(resumed.epochs.length > finishedEpochs, 'the resumed run trained on');
    assert.deepEqual(resumed.epochs.slice(0, cancelled.epochs.length), cancelled.epochs);
    assert.deepEqual(
      resumed.epochs.map((e) => e.epoch),
      resumed.epochs.map((_, i) => i + 1),
    );
    // The chain's newest link is the one to resume now.
    await oneResume();
    assert.equal(
      await resume.locator('xpath=ancestor::tr').getAttribute('data-job'),
      resumed.jobId,
    );

    const models = await studio.client.call('models.list', {});
    for (const m of models.filter((x) => x.name === 'to cancel')) {
      await studio.client.call('models.remove', { modelId: m.id });
    }
    assert.deepEqual(
      (await studio.client.call('models.list', {})).map((m) => m.name),
      ['sanity cities'],
    );
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
