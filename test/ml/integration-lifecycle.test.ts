// The ML engine's harder paths through the contract: stage 2 on the cpu backend (wasm has no
// conv gradients), cancel keeping the best epoch and resumeJobId finishing the run, an ML host
// killed mid-job, and feature-cache invalidation. Own small library, so these run on their own.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { JobEvent } from '../../src/shared/contract/job-types';
import { openStudio, suiteCleanup, tempDir, type Studio } from '../core/helpers';
import { SHARED_MISSING, sharedFixtures } from '../helpers/shared-fixtures';
import { isCode, threeCityLibrary } from './integration-photos';

const shared = sharedFixtures();

void describe(
  'ML engine: stage 2, cancel and resume, host crash, cache invalidation',
  { skip: shared === null ? SHARED_MISSING : false },
  () => {
    const cleanup = suiteCleanup();
    let studio: Studio;
    let modelId = '';

    /** A small library with cached features and a stage-1 model (its checks are preconditions). */
    before(async () => {
      studio = await openStudio(cleanup);
      const { client } = studio;
      const split = await threeCityLibrary(client, shared!, tempDir(cleanup, 'lp-ml-life-'), 9);
      assert.ok(split.counts.val >= 3, JSON.stringify(split.counts));
      const features = await client.runJob('features.start', { backbone: 'mnv2', views: 2 });
      assert.equal(
        features.computed,
        split.counts.train * 2 + split.counts.val + split.counts.test,
      );
      ({ modelId } = await client.runJob('train.start', {
        name: 'base',
        backbone: 'mnv2',
        views: 2,
        stage1: { epochs: 10, batchSize: 8, learningRate: 0.02, earlyStopPatience: null },
      }));
    });

    void it("runs stage 2 on wasm (with the app's convolution-gradient kernels) and saves a fine-tuned model", async () => {
      const { client } = studio;
      const events: JobEvent[] = [];
      const t0 = performance.now();
      const result = await client.runJob(
        'train.start',
        {
          name: 'fine-tuned',
          backbone: 'mnv2',
          views: 1,
          stage1: { epochs: 10, batchSize: 16, learningRate: 0.02, earlyStopPatience: null },
          // 16 rows: two threads of 8 on a machine with two cores or more.
          stage2: { epochs: 2, batchSize: 16 },
        },
        (e) => events.push(e),
      );
      console.log(
        `# stage 1 + stage 2 (2 epochs, views 1): ${(performance.now() - t0).toFixed(0)} ms`,
      );
      const logs = events.flatMap((e) => (e.type === 'log' ? [e.message] : []));
      assert.ok(
        !logs.some((m) => /no convolution gradients/.test(m)),
        `no cpu fallback: ${logs.join(' | ')}`,
      );
      // The features were cached by an earlier run: the feature pass computed only the block
      // inputs, and the training run found every one of them on disk.
      assert.ok(
        logs.some((m) => /^Cached \d+ stage-2 block inputs at 'expanded_conv_16_expand'/.test(m)),
        `block inputs cached in the feature pass: ${logs.join(' | ')}`,
      );
      assert.ok(
        logs.some((m) => /\(block inputs 7x7x160; 0 computed now/.test(m)),
        `none left for the training run: ${logs.join(' | ')}`,
      );
      // The steps are shared with a helper thread (from the TypeScript sources here, as in dev).
      const threads = Math.min(availableParallelism(), 2);
      assert.ok(
        logs.some((m) => m.startsWith(`Stage 2 training steps run on ${threads} thread`)),
        `${threads} threads: ${logs.join(' | ')}`,
      );
      assert.ok(
        !logs.some((m) => /helper thread/.test(m)),
        `no helper failed: ${logs.join(' | ')}`,
      );
      assert.deepEqual(
        result.summaries.map((s) => [s.stage, s.backend]),
        [
          [1, 'wasm'],
          [2, 'wasm'],
        ],
      );
      assert.equal(result.summaries[1]!.epochsRun, 2);
      const stage2Epochs = events.filter((e) => e.type === 'epoch' && e.metrics.stage === 2);
      assert.equal(stage2Epochs.length, 2);
      const model = await client.call('models.get', { modelId: result.modelId });
      assert.equal(model.fineTuned, true);
      assert.equal(
        model.meta.backbone.splitLayer,
        'expanded_conv_16_expand',
        'the last block on a CPU backend',
      );
      assert.ok(existsSync(join(studio.dir, 'cache', 'blocks')));
      assert.ok(
        (result.validation?.accuracy.value ?? 0) >= 0.8,
        `val ${result.validation?.accuracy.value}`,
      );
      // The fine-tuned model runs the whole network (no cached features) and still answers well.
      const test = await client.call('images.list', { split: 'test', limit: 4 });
      const predicted = await client.runJob('predict.start', {
        modelId: result.modelId,
        imageIds: test.items.map((i) => i.id),
      });
      const right = predicted.predictions.filter((p, i) => p.top[0]!.city === test.items[i]!.city);
      assert.ok(right.length >= test.items.length - 1, `${right.length} of ${test.items.length}`);
    });

    void it('cancel keeps the best epoch as a model, and resumeJobId finishes the same run', async () => {
      const { client } = studio;
      const params = {
        name: 'resumable',
        backbone: 'mnv2',
        views: 2,
        stage1: { epochs: 40, batchSize: 4, learningRate: 0.005, earlyStopPatience: null, seed: 7 },
      } as const;
      const reference = await client.runJob('train.start', params);

      let jobId = '';
      let cancelSent = false;
      await assert.rejects(
        client.runJob('train.start', params, (e) => {
          jobId = e.jobId;
          if (e.type === 'epoch' && e.metrics.epoch >= 3 && !cancelSent) {
            cancelSent = true;
            void client.call('jobs.cancel', { jobId });
          }
        }),
        isCode('CANCELLED'),
      );
      const cancelled = await client.call('runs.get', { jobId });
      assert.equal(cancelled.status, 'cancelled');
      assert.ok(cancelled.modelId !== null, 'a model was saved from the best epoch');
      const s = cancelled.summaries[0]!;
      assert.equal(s.stopReason, 'cancelled');
      assert.ok(s.epochsRun >= 3 && s.epochsRun < 40, `stopped after ${s.epochsRun}`);
      assert.ok(s.bestEpoch !== null && s.bestEpoch <= s.epochsRun);
      assert.ok(existsSync(join(studio.dir, 'runs', jobId, 'stage1', 'checkpoint.lptp')));

      await assert.rejects(
        client.call('train.start', { ...params, resumeJobId: 'no-such-job' }),
        isCode('NOT_FOUND'),
      );
      const events: JobEvent[] = [];
      const resumed = await client.runJob('train.start', { ...params, resumeJobId: jobId }, (e) =>
        events.push(e),
      );
      const resumedRun = await client.call('runs.get', { jobId: events[0]!.jobId });
      assert.equal(resumedRun.resumedFrom, jobId);
      const refRun = (await client.call('runs.list', {})).find(
        (r) => r.modelId === reference.modelId,
      )!;
      assert.equal(resumed.summaries[0]!.epochsRun, 40);
      assert.equal(
        events.filter((e) => e.type === 'epoch').length,
        40 - s.epochsRun,
        'only the remaining epochs ran',
      );
      assert.deepEqual(
        resumedRun.epochs,
        refRun.epochs,
        'resumed history equals the uninterrupted run',
      );
      assert.deepEqual(resumed.validation?.confusion, reference.validation?.confusion);
    });

    void it('a killed ML host fails the job with ML_HOST_CRASHED and the next job starts a new one', async () => {
      const { client } = studio;
      const before = await client.call('ml.info', {});
      let killed = false;
      await assert.rejects(
        client.runJob(
          'train.start',
          {
            name: 'doomed',
            backbone: 'mnv2',
            views: 2,
            stage1: { epochs: 1000, batchSize: 1, earlyStopPatience: null },
          },
          (e) => {
            if (e.type === 'epoch' && !killed) {
              killed = true;
              process.kill(before.hostPid!, 'SIGKILL');
            }
          },
        ),
        isCode('ML_HOST_CRASHED'),
      );
      assert.ok(killed);
      const jobs = await client.call('jobs.list', {});
      assert.equal(jobs[0]!.status, 'failed');
      assert.equal(jobs[0]!.error?.code, 'ML_HOST_CRASHED');
      const after = await client.call('ml.info', {});
      assert.ok(after.hostPid !== null && after.hostPid !== before.hostPid);
      const again = await client.runJob('evaluate.start', { modelId, split: 'val' });
      assert.ok(again.report.n > 0);
    });

    void it('recomputes features when the backbone checksum changes', async () => {
      const { client, core } = studio;
      const file = join(studio.dir, 'backbones', 'mnv2', 'backbone.json');
      const meta = JSON.parse(await readFile(file, 'utf8')) as { sha256: string };
      const stale = (core.db().prepare('SELECT COUNT(*) AS n FROM features').get() as { n: number })
        .n;
      meta.sha256 = 'f'.repeat(64);
      await writeFile(file, JSON.stringify(meta));
      const redo = await client.runJob('features.start', { backbone: 'mnv2', views: 2 });
      assert.equal(redo.cached, 0);
      assert.equal(redo.computed, stale, 'every row recomputed for the new checksum');
      // The models were trained on the old checksum: using them now is refused, not silently wrong.
      await assert.rejects(
        client.runJob('evaluate.start', { modelId, split: 'test' }),
        isCode('CONFLICT'),
      );
      await client.call('backbones.remove', { name: 'mnv2' });
      assert.deepEqual(await client.call('backbones.list', {}), []);
      assert.equal(
        (core.db().prepare('SELECT COUNT(*) AS n FROM features').get() as { n: number }).n,
        0,
      );
    });
  },
);
