// Explanations end to end through the contract: a model trained on the three-"city" library made
// from the real sanity photos, then occlusion, inclusion and Grad-CAM heatmaps for a photo in and
// out of the library, cached in the library, refused with clear errors for bad requests.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import sharp from 'sharp';
import { openStudio, suiteCleanup, tempDir, type Studio } from '../core/helpers';
import { SHARED_MISSING, sharedFixtures } from '../helpers/shared-fixtures';
import { isCode, threeCityLibrary } from './integration-photos';

const shared = sharedFixtures();

void describe(
  'explanations through the contract',
  { skip: shared === null ? SHARED_MISSING : false },
  () => {
    const cleanup = suiteCleanup();
    let studio: Studio;
    let modelId = '';
    let work = '';

    before(async () => {
      studio = await openStudio(cleanup);
      work = tempDir(cleanup, 'lp-explain-work-');
      await threeCityLibrary(studio.client, shared!, work, 8);
      const result = await studio.client.runJob('train.start', {
        name: 'explain me',
        backbone: 'mnv2',
        views: 1,
        stage1: { epochs: 15, batchSize: 16, learningRate: 0.02, earlyStopPatience: null },
      });
      modelId = result.modelId;
    });

    void it('occlusion of a library photo: a grid over the crop, then the same answer from the cache', async () => {
      const { client } = studio;
      const page = await client.call('images.list', { city: 'London', limit: 1 });
      const image = page.items[0]!;
      const first = await client.runJob('explain.start', {
        modelId,
        imageId: image.id,
        method: 'occlusion',
        city: 'london',
        box: 56,
        stride: 56,
      });
      assert.equal(first.city, 'London');
      assert.equal(first.cached, false);
      assert.deepEqual(
        [first.rows, first.cols, first.inputSize, first.box, first.stride],
        [4, 4, 224, 56, 56],
      );
      assert.equal(first.values.length, 4);
      assert.ok(first.values.every((row) => row.length === 4 && row.every(Number.isFinite)));
      assert.deepEqual(first.classes, ['London', 'Paris', 'Sydney']);
      const sum = first.probabilities.reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(sum - 1) < 1e-4);
      // Hiding part of the photo can only take away probability it had (up to noise elsewhere).
      const london = first.probabilities[0] as number;
      assert.ok(first.values.flat().every((v) => v <= london + 1e-6));
      const again = await client.runJob('explain.start', {
        modelId,
        imageId: image.id,
        method: 'occlusion',
        city: 'London',
        box: 56,
        stride: 56,
      });
      assert.equal(again.cached, true);
      assert.deepEqual(again.values, first.values);
      // Without a city: the model's top city, known from the stored answer, so cached as well
      // when the top city is the one explained above.
      const top = first.classes[first.probabilities.indexOf(Math.max(...first.probabilities))];
      const own = await client.runJob('explain.start', {
        modelId,
        imageId: image.id,
        method: 'occlusion',
        box: 56,
        stride: 56,
      });
      assert.equal(own.city, top);
      assert.equal(own.cached, top === 'London');
    });

    void it("inclusion and Grad-CAM of a file outside the library, the model's own top city by default", async () => {
      const { client } = studio;
      const file = join(work, 'outside.jpg');
      await sharp(join(shared!.sanityDir, 'parrot.jpg')).resize(300, 300).jpeg().toFile(file);
      const inclusion = await client.runJob('explain.start', {
        modelId,
        path: file,
        method: 'inclusion',
        box: 112,
        stride: 112,
      });
      assert.equal(inclusion.imageId, null);
      assert.equal(inclusion.city, 'London', 'the parrot stands for London');
      assert.deepEqual([inclusion.rows, inclusion.cols], [2, 2]);
      assert.ok(inclusion.values.flat().every((v) => v >= 0 && v <= 1));
      const cam = await client.runJob('explain.start', { modelId, path: file, method: 'gradcam' });
      assert.deepEqual([cam.rows, cam.cols, cam.box, cam.stride], [7, 7, null, null]);
      assert.ok(cam.values.flat().every((v) => v >= 0));
      assert.ok(
        cam.values.flat().some((v) => v > 0),
        'some evidence somewhere',
      );
    });

    void it('maps a seeded sample of photos (t-SNE, UMAP), the same map again from the cache', async () => {
      const { client } = studio;
      const map = await client.runJob('embed.start', {
        modelId,
        method: 'tsne',
        sample: 15,
        seed: 4,
      });
      assert.equal(map.points.length, 15);
      assert.equal(map.cached, false);
      assert.deepEqual(map.errors, []);
      const ids = map.points.map((p) => p.imageId);
      assert.equal(new Set(ids).size, 15, 'no photo twice');
      assert.ok(map.points.every((p) => Number.isFinite(p.x) && Number.isFinite(p.y)));
      assert.ok(
        map.points.every((p) => map.classes.includes(p.city) && map.classes.includes(p.predicted)),
      );
      // The three "cities" are different photos: most of each point's nearest map neighbours share its city.
      let same = 0;
      for (const p of map.points) {
        const nearest = map.points
          .filter((q) => q !== p)
          .reduce((a, b) =>
            (a.x - p.x) ** 2 + (a.y - p.y) ** 2 <= (b.x - p.x) ** 2 + (b.y - p.y) ** 2 ? a : b,
          );
        if (nearest.city === p.city) same++;
      }
      assert.ok(same >= 12, `${same}/15 nearest neighbours share the city`);
      const again = await client.runJob('embed.start', {
        modelId,
        method: 'tsne',
        sample: 15,
        seed: 4,
      });
      assert.equal(again.cached, true);
      assert.deepEqual(again.points, map.points);
      const umap = await client.runJob('embed.start', {
        modelId,
        method: 'umap',
        sample: 15,
        seed: 4,
      });
      assert.equal(umap.points.length, 15);
      assert.deepEqual(
        umap.points.map((p) => p.imageId),
        ids,
        'same seed, same sample',
      );
      const test = await client.runJob('embed.start', { modelId, sample: 100, split: 'test' });
      const splits = await client.call('library.stats', {});
      assert.equal(test.points.length, splits.splits.test);
      await assert.rejects(
        client
          .runJob('embed.start', { modelId, sample: 100, split: 'val', seed: 1, method: 'tsne' })
          .then(async () => client.runJob('embed.start', { modelId: 'no-such-model' })),
        isCode('NOT_FOUND'),
      );
    });

    void it('lists the photos of every confusion-matrix cell of an evaluation', async () => {
      const { client } = studio;
      const evaluation = await client.runJob('evaluate.start', { modelId, split: 'test' });
      const { classes, confusion } = evaluation.report;
      let listed = 0;
      for (const [t, trueCity] of classes.entries()) {
        for (const [p, predictedCity] of classes.entries()) {
          const photos = await client.call('evaluations.cell', {
            evaluationId: evaluation.id,
            trueCity,
            predictedCity,
          });
          assert.equal(photos.length, confusion[t]![p], `${trueCity} → ${predictedCity}`);
          listed += photos.length;
          for (let i = 1; i < photos.length; i++) {
            assert.ok(photos[i - 1]!.probability >= photos[i]!.probability, 'most confident first');
          }
          if (photos.length > 0) {
            const image = await client.call('images.get', { id: photos[0]!.imageId! });
            assert.equal(image.city, trueCity);
          }
        }
      }
      assert.equal(listed, evaluation.report.n);
      await assert.rejects(
        client.call('evaluations.cell', {
          evaluationId: evaluation.id,
          trueCity: 'Atlantis',
          predictedCity: 'Paris',
        }),
        isCode('BAD_ARGUMENT'),
      );
      await assert.rejects(
        client.call('evaluations.cell', {
          evaluationId: 999_999,
          trueCity: 'Paris',
          predictedCity: 'Paris',
        }),
        isCode('NOT_FOUND'),
      );
    });

    void it('a study with the real model: its answers are computed by a predict job, revealed only after a guess', async () => {
      const { client } = studio;
      const created = await client.call('study.create', {
        name: 'humans vs model',
        modelId,
        split: 'test',
        rounds: 3,
        seed: 9,
      });
      assert.ok(created.predictJobId !== null, 'the model had no stored answers yet');
      // Wait for the predict job the study started.
      for (let i = 0; i < 600; i++) {
        const job = await client.call('jobs.get', { jobId: created.predictJobId });
        if (job.status === 'done') break;
        assert.ok(job.status === 'running' || job.status === 'queued', `predict job ${job.status}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await client.call('participant.join', { studyId: created.id, participantId: 'p1' });
      const next = await client.call('round.next', { studyId: created.id, participantId: 'p1' });
      assert.equal(next.done, false);
      if (next.done) return;
      const serialised = JSON.stringify(next);
      assert.ok(
        !/truth|model|probab|top3/i.test(serialised),
        `no answer before the guess: ${serialised}`,
      );
      const answer = await client.call('round.answer', {
        studyId: created.id,
        participantId: 'p1',
        imageId: next.imageId,
        guess: next.cities[0]!,
        responseMs: 1234,
      });
      assert.ok(answer.revealed !== null && answer.revealed.model !== null);
      const image = await client.call('images.get', { id: next.imageId });
      assert.equal(answer.revealed.truth, image.city);
      assert.equal(answer.revealed.model.top3.length, 3);
      assert.ok(next.cities.includes(answer.revealed.model.city));
      const results = await client.call('study.results', { studyId: created.id });
      assert.equal(results.n, 1);
    });

    void it('refuses unknown cities, images and files with clear errors', async () => {
      const { client } = studio;
      await assert.rejects(
        client.runJob('explain.start', { modelId, imageId: 1, city: 'Atlantis' }),
        (e: unknown) => isCode('BAD_ARGUMENT')(e) && /knows London, Paris, Sydney/.test(String(e)),
      );
      await assert.rejects(
        client.runJob('explain.start', { modelId, imageId: 999_999 }),
        isCode('NOT_FOUND'),
      );
      await assert.rejects(
        client.runJob('explain.start', { modelId, path: join(work, 'missing.jpg') }),
        isCode('NOT_FOUND'),
      );
      await assert.rejects(
        client.runJob('explain.start', { modelId, imageId: 1, path: join(work, 'x.jpg') }),
        isCode('BAD_ARGUMENT'),
      );
    });
  },
);
