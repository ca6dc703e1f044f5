// Shared setup of the e2e tests that need a trained model: a fresh studio over the HTTP bridge
// with the three-"city" library made from the real sanity photos, the shared MobileNetV2, seeded
// splits and a small stage-1 model trained through the contract; then Chromium on its page.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium, openPage, startStudio, type OpenedPage, type Studio } from './harness';
import { BACKBONE_FILE, makeSanityCities } from './ml-pages';

export type TrainedStudio = { studio: Studio; browser: Browser; opened: OpenedPage };

export async function startTrainedStudio(options: {
  perCity: number;
  split: { train: number; val: number; test: number };
  modelName: string;
  epochs: number;
}): Promise<TrainedStudio> {
  const studio = await startStudio();
  const { client } = studio;
  const photos = await makeSanityCities(join(studio.tmp, 'photos'), options.perCity);
  await client.call('library.open', { dir: studio.libraryDir, create: true });
  await client.runJob('backbones.import', { path: BACKBONE_FILE, name: 'mnv2' });
  const report = await client.runJob('import.start', { paths: [photos.root] });
  assert.equal(report.labeled, 3 * options.perCity);
  await client.call('split.assign', { ...options.split, seed: 3 });
  await client.runJob('train.start', {
    name: options.modelName,
    backbone: 'mnv2',
    views: 1,
    stage1: {
      epochs: options.epochs,
      batchSize: 16,
      learningRate: 0.02,
      earlyStopPatience: null,
    },
  });
  const browser = await launchChromium();
  const opened = await openPage(browser, studio);
  return { studio, browser, opened };
}

export async function closeTrainedStudio(t: Partial<TrainedStudio>): Promise<void> {
  await t.opened?.close();
  await t.browser?.close();
  await t.studio?.close();
}
