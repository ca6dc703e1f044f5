// Page helpers of the Guess view for the e2e tests: one keyboard-only round, what the DOM shows.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { waitForAttr } from './pages';

export type PlayedRound = {
  round: number;
  guess: string;
  truth: string;
  correct: boolean;
  modelCity: string;
};

/** Waits for round `round`'s photo to be on screen (loaded: the response time starts there). */
export async function waitForRound(page: Page, round: number): Promise<void> {
  await page
    .locator(`[data-testid="play"][data-round="${round}"][data-step="guess"]`)
    .waitFor({ timeout: 30_000 });
  await waitForAttr(page, '[data-testid="round-photo"]', 'data-loaded', 'true');
}

/**
 * Before a commit nothing about the truth may be in the page: no reveal, no truth attribute, and
 * no file name (the sanity photos are named after their city).
 */
export async function assertNothingRevealed(page: Page): Promise<void> {
  assert.equal(await page.getByTestId('reveal').count(), 0, 'no reveal before the commit');
  const html = await page.evaluate(() => document.body.innerHTML);
  assert.doesNotMatch(html, /data-truth|data-model-city/, 'no truth or model answer in the DOM');
  assert.doesNotMatch(html, /(paris|london|sydney)-\d+\.jpg/i, 'no file name gives it away');
}

/** Plays the round on screen with the keyboard: a number key, Enter; reads the reveal. */
export async function playRoundByKeys(
  page: Page,
  round: number,
  key: string,
): Promise<PlayedRound> {
  await waitForRound(page, round);
  await assertNothingRevealed(page);
  await page.keyboard.press(key);
  const picked = page.locator('[data-testid="city-button"][aria-pressed="true"]');
  await picked.waitFor();
  const guess = (await picked.getAttribute('data-city')) ?? '';
  await page.keyboard.press('Enter');
  const reveal = page.getByTestId('reveal');
  await reveal.waitFor({ timeout: 15_000 });
  return {
    round,
    guess,
    truth: (await reveal.getAttribute('data-truth')) ?? '',
    correct: (await reveal.getAttribute('data-correct')) === 'true',
    modelCity: (await reveal.getAttribute('data-model-city')) ?? '',
  };
}
