// The Label view end to end in Chromium, by keyboard alone: a model trained (through the contract)
// on the three-"city" sanity library, new unlabelled photos; label-next labels by number key,
// Enter (the model's guess) and a typed name, skips, undoes and excludes, retrains in the
// background (the learning curve grows, the random control is drawn); the suspects queue finds a
// deliberately flipped label, changes it back with Enter, undoes, keeps. Checked against the core.
import assert from 'node:assert/strict';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { Client } from '../../src/shared/contract/client';
import type { ImageDetail } from '../../src/shared/contract/library-types';
import { screenshot, type OpenedPage, type Studio } from './harness';
import { LabelPage, makeUnlabelled, truthOf } from './labeling-pages';
import { mlSkipReason } from './ml-pages';
import { waitForAttr } from './pages';
import { closeTrainedStudio, startTrainedStudio } from './trained-studio';

/** The photo once `ok` holds: answers reach the core just after the screen moves on. */
async function imageWhen(
  client: Client,
  id: number,
  ok: (i: ImageDetail) => boolean,
): Promise<ImageDetail> {
  for (let i = 0; i < 150; i++) {
    const image = await client.call('images.get', { id });
    if (ok(image)) return image;
    await new Promise((r) => setTimeout(r, 100));
  }
  return client.call('images.get', { id });
}

const skip = mlSkipReason();
if (skip !== null) console.warn(skip);

void describe('Label view in Chromium', { skip: skip ?? false }, () => {
  let browser: Browser;
  let studio: Studio;
  let opened: OpenedPage;

  before(async () => {
    ({ studio, browser, opened } = await startTrainedStudio({
      perCity: 6,
      split: { train: 0.7, val: 0.3, test: 0 },
      modelName: 'labeler',
      epochs: 10,
    }));
  });

  after(() => closeTrainedStudio({ studio, browser, opened }));

  void it('labels next and reviews suspects by keyboard alone', async () => {
    const { page, problems } = opened;
    const { client } = studio;
    await makeUnlabelled(join(studio.tmp, 'unsorted-new'), 2);
    await client.runJob('import.start', { paths: [join(studio.tmp, 'unsorted-new')] });
    await client.call('queue.settings', { retrainEvery: 2 });
    const [model] = await client.call('models.list', {});
    assert.ok(model !== undefined);
    const modelId = model.id;

    const label = new LabelPage(page);
    await label.open();
    const keys = await label.cityKeys();
    assert.deepEqual(keys, model.classes);

    // 1–9: the numbered city (the photo's real one, read from its file name).
    const first = await label.current('label');
    const truth1 = truthOf(first.path);
    await label.press(
      [String(keys.indexOf(truth1) + 1)],
      'label',
      new RegExp(`^${basename(first.path)}: ${truth1}$`),
    );
    const second = await label.current('label');
    assert.notEqual(second.id, first.id, 'the next photo is on screen after the key');
    const labelled1 = await imageWhen(client, first.id, (i) => i.city !== null);
    assert.equal(labelled1.city, truth1);
    assert.equal(labelled1.labelSource, 'queue');

    // Enter: the model's top guess. The second label starts the background retrain.
    const guess = await label.topGuess('label');
    await label.press(['Enter'], 'label', new RegExp(`^${basename(second.path)}: ${guess}$`));
    assert.equal((await imageWhen(client, second.id, (i) => i.city !== null)).city, guess);

    // Typing a name and Enter ("ydn" for Sydney: S alone would skip).
    const third = await label.current('label');
    const target = truthOf(third.path);
    const typing = target === 'Sydney' ? 'ydn' : target.slice(0, 3).toLowerCase();
    await page.keyboard.type(typing);
    await waitForAttr(page, '[data-testid="label-typed"]', 'data-typed', typing);
    await label.press(['Enter'], 'label', new RegExp(`^${basename(third.path)}: ${target}$`));
    assert.equal((await imageWhen(client, third.id, (i) => i.city !== null)).city, target);

    // S skips, U brings the photo back unlabelled, X excludes it from training.
    const skipped = await label.current('label');
    await label.press(['s'], 'label', new RegExp(`^${basename(skipped.path)}: skipped$`));
    assert.notEqual((await label.current('label')).id, skipped.id);
    await label.press(['u'], 'label', /^Undone: /);
    assert.equal(
      (await label.current('label')).id,
      skipped.id,
      'undo brings the skipped photo back',
    );
    await label.press(['x'], 'label', /excluded from training\)$/);
    await page.waitForFunction(
      () =>
        document
          .querySelector('[data-testid="label-status"]')
          ?.textContent?.startsWith('3 labelled') === true,
    );
    const status = await client.call('queue.status', { modelId });
    assert.equal(status.excluded, 1);
    assert.equal(status.queueLabels, 3);
    assert.equal((await client.call('images.get', { id: skipped.id })).city, null);

    // The retrain lands: the curve has its first point; the random control is drawn beside it.
    await page.waitForFunction(
      () =>
        Number(
          document.querySelector('[data-testid="label-curve"]')?.getAttribute('data-points'),
        ) >= 1,
      undefined,
      { timeout: 120_000 },
    );
    await label.pressButton('label-control');
    await page.getByTestId('label-curve-control').waitFor({ state: 'attached', timeout: 120_000 });
    const curve = (await client.call('queue.status', { modelId })).curve;
    assert.equal(
      Number(await page.getByTestId('label-curve-control').getAttribute('data-points')),
      new Set(curve.map((p) => p.labels)).size,
    );

    await screenshot(page, 'label.png');

    // Suspects: one Paris photo deliberately labelled Sydney.
    const flipped = join(studio.tmp, 'photos', 'Paris', 'paris-2.jpg');
    await client.call('labels.setByPath', { paths: [flipped], city: 'Sydney' });
    const flippedId = (await client.call('images.list', { search: 'paris-2.jpg' })).items[0]?.id;
    await label.pressButton('label-tab-suspects');
    await label.pressButton('suspects-find');
    await waitForAttr(page, '[data-testid="label-suspects"]', 'data-state', 'ready');
    const verdict = page.getByTestId('suspects-verdict');
    assert.equal((await label.current('suspects')).id, flippedId);
    assert.equal(await verdict.getAttribute('data-label'), 'Sydney');
    assert.equal(await verdict.getAttribute('data-suggested'), 'Paris');
    assert.ok(
      Number(
        await page
          .locator('[data-testid="suspects-per-city"] tr[data-city="Sydney"]')
          .getAttribute('data-suspect'),
      ) >= 1,
    );

    // Enter takes the model's city; U undoes it; K keeps the label.
    const id = flippedId ?? 0;
    await label.press(['Enter'], 'suspects', /Sydney → Paris$/);
    const changed = await imageWhen(client, id, (i) => i.city === 'Paris');
    assert.equal(changed.city, 'Paris');
    assert.equal(changed.labelSource, 'queue');
    await label.press(['u'], 'suspects', /^Undone: /);
    assert.equal((await label.current('suspects')).id, flippedId);
    assert.equal((await imageWhen(client, id, (i) => i.city === 'Sydney')).labelSource, 'human');
    await label.press(['k'], 'suspects', /kept Sydney$/);
    // A kept photo is not suspected again (its label is the one a person kept).
    let again = await client.runJob('suspects.start', { modelId, folds: 5 });
    for (let i = 0; i < 5 && again.items.some((x) => x.imageId === id); i++) {
      await new Promise((r) => setTimeout(r, 200));
      again = await client.runJob('suspects.start', { modelId, folds: 5 });
    }
    assert.ok(!again.items.some((x) => x.imageId === id));
    assert.equal((await client.call('images.get', { id })).city, 'Sydney');
    assert.deepEqual(problems, []);
  });
});
