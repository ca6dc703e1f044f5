// The Guess view end to end in Chromium over the HTTP bridge: a model trained (through the contract)
// on the three-"city" library made from the real sanity photos, then in the UI a study created (its
// model's answers awaited), five rounds played with the keyboard only (with a quit and resume), the
// reveal checked after each commit and absent before, the results page and the CSV export.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { screenshot, type OpenedPage, type Studio } from './harness';
import { playRoundByKeys, waitForRound, type PlayedRound } from './guess-pages';
import { mlSkipReason, waitForAtLeast } from './ml-pages';
import { closeTrainedStudio, startTrainedStudio } from './trained-studio';
import { Shell, waitForAttr } from './pages';

const skip = mlSkipReason();
if (skip !== null) console.warn(skip);

const CITIES = ['London', 'Paris', 'Sydney'];
// Predicting the study's photos runs on the plain CPU here: allow for a slow, shared machine.
const JOB_TIMEOUT = 180_000;

void describe('Guess in Chromium', { skip: skip ?? false }, () => {
  let browser: Browser;
  let studio: Studio;
  let opened: OpenedPage;

  before(async () => {
    ({ studio, browser, opened } = await startTrainedStudio({
      perCity: 10,
      split: { train: 0.5, val: 0.2, test: 0.3 },
      modelName: 'guess me',
      epochs: 10,
    }));
  });

  after(() => closeTrainedStudio({ studio, browser, opened }));

  void it('creates a study, plays five rounds by keyboard, shows results and exports CSV', async () => {
    const { page } = opened;
    const shell = new Shell(page);
    await shell.go('guess');
    await page.getByTestId('guess-empty').waitFor();

    // A new study: reveal mode (the default), 5 rounds, the model's cities.
    await page.getByTestId('study-new').click();
    const form = page.getByTestId('study-form');
    await form.getByLabel('Name').fill('pilot');
    await form.getByLabel('Rounds per participant').fill('5');
    assert.equal(await form.getByLabel('After each guess').inputValue(), 'reveal');
    assert.equal(await form.getByLabel('Photos').inputValue(), 'test');
    for (const city of CITIES) assert.ok(await form.getByLabel(city).isChecked());
    await page.getByTestId('study-create').click();

    // Play waits for the model's answers (the predict job the study started).
    const row = page.getByTestId('study-row').filter({ hasText: 'pilot' });
    await row.waitFor();
    // The job usually still runs here (its progress is shown); a fast machine may be done already.
    await page
      .locator('[data-testid="study-row"][data-ready="true"]')
      .filter({ hasText: 'pilot' })
      .waitFor({ timeout: JOB_TIMEOUT });
    assert.equal(await row.getByTestId('answers-pending').count(), 0);
    const [study] = await studio.client.call('study.list', {});
    assert.ok(study !== undefined && study.rounds === 5 && study.modelAnswersMissing === 0);
    assert.ok(study.images >= 5, `the test split holds ${study.images} photos`);

    // Join with the keyboard (Enter submits), then play: number key + Enter, Enter for next.
    await row.getByTestId('study-play').click();
    await page.getByLabel('Participant id').fill('P1');
    await page.keyboard.press('Enter');
    const played: PlayedRound[] = [];
    const keys = ['1', '2', '3', '1', '2'];
    for (let round = 1; round <= 5; round += 1) {
      const r = await playRoundByKeys(page, round, keys[round - 1] ?? '1');
      assert.equal(r.guess, CITIES[Number(keys[round - 1]) - 1], 'the number key picked the city');
      assert.ok(CITIES.includes(r.truth), `a true city: ${r.truth}`);
      assert.equal(r.correct, r.truth === r.guess);
      assert.ok(CITIES.includes(r.modelCity), `the model's guess: ${r.modelCity}`);
      const verdict = (await page.getByTestId('reveal-truth').textContent()) ?? '';
      assert.equal(verdict, r.truth);
      assert.equal(await page.getByTestId('reveal-top').count(), 3, "the model's top 3");
      assert.match(
        (await page.getByTestId('reveal-model').textContent()) ?? '',
        new RegExp(`The model said ${r.modelCity}`),
      );
      played.push(r);
      const correct = played.filter((p) => p.correct).length;
      await waitForAttr(page, '[data-testid="play-score"]', 'data-correct', String(correct));
      if (round === 2) {
        await screenshot(page, 'guess.png');
        // Quit and come back: the same id resumes at round 3.
        await page.getByTestId('play-exit').click();
        await page.getByTestId('studies').waitFor();
        await page
          .getByTestId('study-row')
          .filter({ hasText: 'pilot' })
          .getByTestId('study-play')
          .click();
        await page.getByLabel('Participant id').fill('P1');
        await page.keyboard.press('Enter');
        continue;
      }
      await page.keyboard.press('Enter');
    }
    const summary = page.getByTestId('play-summary');
    await summary.waitFor();
    assert.match((await summary.textContent()) ?? '', /P1 answered 5 photos/);

    // Results: n = 5 and the accuracy the test recorded.
    await page.getByTestId('summary-results').click();
    await waitForAttr(page, '[data-testid="results"]', 'data-state', 'ready');
    assert.equal(await page.getByTestId('results-n').textContent(), '5');
    const correct = played.filter((p) => p.correct).length;
    const human = page.getByTestId('results-human');
    assert.equal(Number(await human.getAttribute('data-value')), correct / 5);
    assert.match(
      (await human.textContent()) ?? '',
      new RegExp(`^${((correct / 5) * 100).toFixed(1)}% \\(95% CI`),
    );
    const modelRight = played.filter((p) => p.modelCity === p.truth).length;
    assert.equal(
      Number(await page.getByTestId('results-model').getAttribute('data-value')),
      modelRight / 5,
    );
    assert.match((await page.getByTestId('results-kappa').textContent()) ?? '', /κ|No agreement/);
    assert.match(
      (await page.getByTestId('results-mcnemar').textContent()) ?? '',
      /McNemar|same share/,
    );
    for (const chart of [
      'chart-participants',
      'chart-cities',
      'chart-rounds',
      'chart-times',
      'confusion-human',
      'confusion-model',
    ])
      await waitForAtLeast(page, `[data-testid="${chart}"]`, 'data-drawn', 1, 30_000);

    // Export CSV: a header and one row per trial.
    const link = page.getByTestId('export-csv');
    assert.match((await link.getAttribute('href')) ?? '', /^blob:/);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    assert.match(download.suggestedFilename(), /^study-\d+-pilot\.csv$/);
    const path = await download.path();
    const lines = readFileSync(path, 'utf8')
      .split(/\r?\n/)
      .filter((l) => l.trim() !== '');
    assert.equal(lines.length, 6, 'a header and 5 rows');
    assert.match(lines[0] ?? '', /^participant,image,guess,response_ms/);
    assert.ok(lines.slice(1).every((l) => l.startsWith('P1,')));

    // The same trials, as if played by P2 on another machine, merged from the studies list.
    await page.getByTestId('results-back').click();
    const studyRow = page.getByTestId('study-row').filter({ hasText: 'pilot' });
    await studyRow.getByTestId('study-import-file').setInputFiles({
      name: 'other-machine.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        [lines[0], ...lines.slice(1).map((l) => l.replace(/^P1,/, 'P2,'))].join('\n'),
      ),
    });
    await page.waitForFunction(() =>
      [...document.querySelectorAll('.notice, [role="status"], [role="alert"]')].some((n) =>
        /other-machine\.csv: 5 trials merged, 0 already there/.test(n.textContent ?? ''),
      ),
    );
    const results = await studio.client.call('study.results', {
      studyId: Number(await studyRow.getAttribute('data-study-id')),
    });
    assert.equal(results.n, 10);

    // Removing asks first; the study then leaves the list.
    await studyRow.getByTestId('study-remove').click();
    await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Remove study' }).click();
    await page.waitForFunction(
      () =>
        ![...document.querySelectorAll('[data-testid="study-row"]')].some((r) =>
          /pilot/.test(r.textContent ?? ''),
        ),
    );
    assert.deepEqual(opened.problems, []);
  });

  void it('asks for consent, counts down, reveals nothing in pure mode', async () => {
    const { page } = opened;
    const [model] = await studio.client.call('models.list', {});
    assert.ok(model !== undefined);
    await studio.client.call('study.create', {
      name: 'blind',
      modelId: model.id,
      rounds: 2,
      reveal: 'pure',
      timeLimitMs: 2000,
      consentText: 'Your guesses are stored under a pseudonym.',
    });
    // The first test ended on the studies list: leave and come back to list the new study.
    const shell = new Shell(page);
    await shell.go('library');
    await shell.go('guess');
    const row = page
      .locator('[data-testid="study-row"][data-ready="true"]')
      .filter({ hasText: 'blind' });
    await row.getByTestId('study-play').click();
    await page.getByLabel('Participant id').fill('P2');
    await page.keyboard.press('Enter');
    await page.getByText('Please read and accept the consent text').waitFor();
    await page.getByTestId('join-consent').getByRole('checkbox').check();
    await page.getByTestId('join-start').click();

    // Round 1: time runs out with nothing selected; the participant must still pick (late).
    await waitForRound(page, 1);
    await page.getByTestId('countdown').waitFor();
    await page.getByTestId('play-late').waitFor({ timeout: 10_000 });
    assert.equal(await page.getByTestId('play-score').count(), 0, 'no score in pure mode');
    await page.keyboard.press('2');
    await page.keyboard.press('Enter');
    // Pure mode: straight to the next photo, nothing revealed.
    await waitForRound(page, 2);
    assert.equal(await page.getByTestId('reveal').count(), 0);
    // Round 2: a city selected when time runs out is committed by itself.
    await page.keyboard.press('1');
    const summary = page.getByTestId('play-summary');
    await summary.waitFor({ timeout: 10_000 });
    assert.match((await summary.textContent()) ?? '', /P2 answered 2 photos[\s\S]*revealed with/);

    const studies = await studio.client.call('study.list', {});
    const blind = studies.find((s) => s.name === 'blind');
    assert.ok(blind !== undefined);
    const { trials } = await studio.client.call('study.export', { studyId: blind.id });
    const byRound = trials.filter((t) => t.participant === 'P2').sort((a, b) => a.round - b.round);
    assert.deepEqual(
      byRound.map((t) => t.guess),
      ['Paris', 'London'],
    );
    assert.ok((byRound[0]?.responseMs ?? 0) >= 2000, 'the late guess took longer than the limit');
    assert.ok((byRound[1]?.responseMs ?? 0) >= 1900, 'committed when the time ran out');
    assert.deepEqual(opened.problems, []);
  });
});
