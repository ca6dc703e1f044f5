// The ML engine end to end through the contract (createClient(inProcessTransport(core))): a
// separable three-"city" library made from the real sanity photos, the shared MobileNetV2 TFLite
// as backbone, features, stage-1 training, evaluation (split and external set) and prediction.
// The ML host is a real forked process running the wasm backend.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import sharp from 'sharp';
import type { JobEvent } from '../../src/shared/contract/job-types';
import { openStudio, suiteCleanup, tempDir } from '../core/helpers';
import { MOBILENET_V2_SHA256, SHARED_MISSING, sharedFixtures } from '../helpers/shared-fixtures';
import { CITIES, isCode, photoTree } from './integration-photos';

const shared = sharedFixtures();
const PER_CITY = 14;

void describe(
  'ML engine through the contract',
  { skip: shared === null ? SHARED_MISSING : false },
  () => {
    const cleanup = suiteCleanup();
    let s: Awaited<ReturnType<typeof setUp>>;

    /** The library, backbone, features and stage-1 model every test below reads. */
    async function setUp() {
      const studio = await openStudio(cleanup);
      const work = tempDir(cleanup, 'lp-ml-work-');
      const { client } = studio;
      let t0 = performance.now();
      const backbone = await client.runJob('backbones.import', {
        path: shared!.mobilenetV2Tflite,
        name: 'mnv2',
      });
      console.log(
        `# backbone import (host start + TFLite conversion): ${(performance.now() - t0).toFixed(0)} ms`,
      );
      await photoTree(shared!, join(work, 'photos'), PER_CITY, 1);
      const imported = await client.runJob('import.start', { paths: [join(work, 'photos')] });
      const split = await client.call('split.assign', { train: 0.6, val: 0.2, test: 0.2, seed: 3 });
      t0 = performance.now();
      const features = await client.runJob('features.start', { backbone: 'mnv2', views: 2 });
      const featureSeconds = (performance.now() - t0) / 1000;
      console.log(
        `# features: ${features.computed} crops of ${features.images} images in ${featureSeconds.toFixed(1)} s (${(features.computed / featureSeconds).toFixed(1)} crops/s, incl. pool start)`,
      );
      const trainEvents: JobEvent[] = [];
      t0 = performance.now();
      const trained = await client.runJob(
        'train.start',
        {
          name: 'three cities',
          backbone: 'mnv2',
          views: 2,
          stage1: { epochs: 25, batchSize: 16, learningRate: 0.02, earlyStopPatience: null },
        },
        (e) => trainEvents.push(e),
      );
      console.log(`# stage 1 training (25 epochs): ${(performance.now() - t0).toFixed(0)} ms`);
      return {
        studio,
        work,
        backbone,
        imported,
        split,
        features,
        trained,
        trainEvents,
        modelId: trained.modelId,
      };
    }

    before(async () => {
      s = await setUp();
    });

    void it('imported the shared MobileNetV2 TFLite as a backbone; refuses bad model files', async () => {
      const { studio, work, backbone } = s;
      const { client } = studio;
      assert.equal(backbone.format, 'tflite');
      assert.equal(backbone.featureDim, 1280);
      assert.equal(backbone.inputSize, 224);
      assert.equal(backbone.blockLayers.at(-1), 'Conv_1');
      assert.deepEqual(
        (await client.call('backbones.list', {})).map((b) => b.name),
        ['mnv2'],
      );
      const info = await client.call('ml.info', {});
      assert.equal(info.backend.name, 'wasm');
      assert.equal(info.backend.convGradients, true);
      assert.ok(info.hostPid !== null && info.hostPid !== process.pid);

      const notTflite = join(work, 'junk.tflite');
      await writeFile(notTflite, Buffer.from('this is not a model at all'));
      await assert.rejects(
        client.runJob('backbones.import', { path: notTflite, name: 'junk' }),
        isCode('MODEL_INVALID'),
      );
      const escaping = join(work, 'escaping');
      await mkdir(escaping);
      await writeFile(
        join(escaping, 'model.json'),
        JSON.stringify({
          format: 'layers-model',
          modelTopology: { class_name: 'Sequential', config: { layers: [] } },
          weightsManifest: [{ paths: ['../outside/weights.bin'], weights: [] }],
        }),
      );
      await assert.rejects(
        client.runJob('backbones.import', { path: escaping, name: 'escaping' }),
        isCode('MODEL_INVALID'),
      );
      assert.deepEqual(
        (await client.call('backbones.list', {})).map((b) => b.name),
        ['mnv2'],
        'nothing left behind by the refused imports',
      );
    });

    void it('downloads a backbone by url + sha256 with byte progress; a wrong checksum leaves nothing', async (t) => {
      const { client } = s.studio;
      const bytes = await readFile(shared!.mobilenetV2Tflite);
      const server = createServer((_req, res) => {
        res.writeHead(200, { 'content-length': bytes.length });
        res.end(bytes);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mnv2.tflite`;
      await assert.rejects(
        client.runJob('backbones.download', { name: 'wrong', url, sha256: 'b'.repeat(64) }),
        isCode('IO_ERROR'),
      );
      const events: JobEvent[] = [];
      const got = await client.runJob(
        'backbones.download',
        { name: 'downloaded', url, sha256: MOBILENET_V2_SHA256 },
        (e) => events.push(e),
      );
      assert.equal(got.sha256, MOBILENET_V2_SHA256);
      assert.equal(got.source, url);
      const last = events.filter((e) => e.type === 'progress').at(-1);
      assert.ok(
        last?.type === 'progress' && last.done === bytes.length && last.total === bytes.length,
      );
      await assert.rejects(
        client.runJob('backbones.download', { name: 'not-in-catalogue' }),
        isCode('NOT_FOUND'),
      );
      const catalogue = await client.call('backbones.catalogue', {});
      assert.ok(catalogue.some((e) => e.sha256 === MOBILENET_V2_SHA256));
      await client.call('backbones.remove', { name: 'downloaded' });
      assert.deepEqual(
        (await client.call('backbones.list', {})).map((b) => b.name),
        ['mnv2'],
      );
    });

    void it('built a three-city library and cached features once', async () => {
      const { studio, imported, split, features: first } = s;
      const { client } = studio;
      assert.equal(imported.imported, PER_CITY * CITIES.length);
      assert.equal(imported.labeled, PER_CITY * CITIES.length);
      assert.ok(split.counts.val >= 6 && split.counts.test >= 6, JSON.stringify(split.counts));
      const expected = split.counts.train * 2 + split.counts.val + split.counts.test;
      assert.equal(first.images, PER_CITY * CITIES.length);
      assert.equal(first.computed, expected);
      assert.equal(first.cached, 0);
      const again = await client.runJob('features.start', { backbone: 'mnv2', views: 2 });
      assert.equal(again.computed, 0, 're-running computes nothing');
      assert.equal(again.cached, expected);
    });

    void it('trained stage 1 well above chance and recorded the run', async () => {
      const { studio, trained: result, trainEvents: events, modelId } = s;
      const { client } = studio;
      const epochs = events.filter((e) => e.type === 'epoch');
      assert.equal(epochs.length, 25);
      const valAccuracy = result.validation?.accuracy.value ?? 0;
      console.log(`# stage 1 val accuracy ${valAccuracy.toFixed(3)} (chance 0.333)`);
      assert.ok(valAccuracy >= 0.8, `val accuracy ${valAccuracy}`);
      assert.equal(result.summaries.length, 1);
      assert.equal(result.summaries[0]!.stopReason, 'completed');

      const jobId = events[0]!.jobId;
      const run = await client.call('runs.get', { jobId });
      assert.equal(run.status, 'done');
      assert.equal(run.modelId, modelId);
      assert.equal(run.epochs.length, 25);
      assert.equal(run.backend?.name, 'wasm');
      assert.deepEqual(run.classes, ['London', 'Paris', 'Sydney']);
      assert.equal(
        run.classCounts?.train.reduce((a, b) => a + b, 0),
        result.summaries[0]!.trainCount / 2,
      );
      assert.equal(run.summaries[0]!.classWeights.length, 3);
      const model = await client.call('models.get', { modelId });
      assert.equal(model.meta.backbone.name, 'mnv2');
      assert.match(model.meta.splitHash ?? '', /^[0-9a-f]{64}$/);
      assert.equal(model.meta.backend, 'wasm');
      assert.equal(model.fineTuned, false);
      assert.ok(existsSync(join(studio.dir, 'models', modelId, 'model.json')));
    });

    void it('evaluates on the test split with consistent per-city numbers', async () => {
      const { studio, modelId } = s;
      const { client } = studio;
      const stored = await client.runJob('evaluate.start', { modelId, split: 'test' });
      const { report } = stored;
      assert.equal(stored.dataset, 'test');
      assert.deepEqual(report.classes, ['London', 'Paris', 'Sydney']);
      const stats = await client.call('library.stats', {});
      assert.equal(report.n, stats.splits.test);
      report.confusion.forEach((row, i) => {
        assert.equal(
          row.reduce((a, b) => a + b, 0),
          report.perClass[i]!.support,
          'rows sum to support',
        );
      });
      assert.equal(
        report.accuracy.successes,
        report.confusion.reduce((a, row, i) => a + row[i]!, 0),
      );
      assert.ok((report.accuracy.value ?? 0) >= 0.8, `test accuracy ${report.accuracy.value}`);
      assert.ok(report.accuracy.lo !== null && report.accuracy.lo <= report.accuracy.value!);
      assert.equal(report.chance.uniform, 1 / 3);
      assert.equal(report.chance.majority.source, 'prior');
      assert.ok(report.calibration.bins.length > 0);
      const multi = await client.runJob('evaluate.start', {
        modelId,
        split: 'test',
        tta: 'multiCrop',
      });
      assert.equal(multi.tta, 'multiCrop');
      assert.equal(multi.report.n, report.n);
      const list = await client.call('evaluations.list', { modelId });
      assert.deepEqual(
        list.map((e) => e.id),
        [multi.id, stored.id],
      );
      const summary = (await client.call('models.list', {})).find((m) => m.id === modelId);
      assert.equal(summary?.accuracySplit, 'test');
    });

    void it('predicts library images and files, top-k summing to 1, errors listed', async () => {
      const { studio, work, modelId } = s;
      const { client, core } = studio;
      const heldOut = await photoTree(shared!, join(work, 'held-out'), 2, 50_000);
      const broken = join(work, 'broken.jpg');
      await writeFile(broken, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]));
      const test = await client.call('images.list', { split: 'test', limit: 5 });
      const result = await client.runJob('predict.start', {
        modelId,
        imageIds: [...test.items.map((i) => i.id), 999_999],
        paths: [...heldOut, broken, join(work, 'missing.jpg')],
        topK: 3,
      });
      assert.equal(result.predictions.length, test.items.length + heldOut.length);
      for (const p of result.predictions) {
        const sum = p.top.reduce((a, b) => a + b.probability, 0);
        assert.ok(Math.abs(sum - 1) < 1e-4, `probabilities sum to ${sum}`);
        assert.equal(p.top.length, 3);
        assert.ok(p.top[0]!.probability >= p.top[1]!.probability);
      }
      const right = result.predictions
        .filter((p) => p.imageId === null)
        .filter((p) => p.path.includes(`/${p.top[0]!.city}/`)).length;
      assert.ok(right >= heldOut.length - 1, `${right} of ${heldOut.length} held-out photos right`);
      assert.deepEqual(
        result.errors.map((e) => e.path).sort(),
        [broken, join(work, 'missing.jpg'), 'image 999999'].sort(),
      );
      assert.match(result.errors.find((e) => e.path === broken)!.reason, /corrupt|truncated|image/);
      const stored = core
        .db()
        .prepare(
          'SELECT COUNT(*) AS n, COUNT(image_id) AS library FROM predictions WHERE model_id = ?',
        )
        .get(modelId) as { n: number; library: number };
      assert.deepEqual(stored, { n: result.predictions.length, library: test.items.length });
    });

    void it('evaluates an external folder-per-city set without adding it to the library', async () => {
      const { studio, work, modelId } = s;
      const { client } = studio;
      const external = join(work, 'external');
      await photoTree(shared!, external, 3, 90_000);
      await mkdir(join(external, 'Moscow'));
      await sharp({ create: { width: 64, height: 64, channels: 3, background: '#123' } })
        .jpeg()
        .toFile(join(external, 'Moscow', 'm.jpg'));
      await writeFile(join(external, 'Paris', 'bad.jpg'), Buffer.from('not a jpeg'));
      const before = (await client.call('library.stats', {})).images;
      const stored = await client.runJob('evaluate.start', {
        modelId,
        external: { paths: [external] },
      });
      assert.equal(stored.dataset, 'external');
      assert.deepEqual(stored.sources, [external]);
      assert.equal(stored.report.n, 9);
      assert.ok(
        (stored.report.accuracy.value ?? 0) >= 0.6,
        `external accuracy ${stored.report.accuracy.value}`,
      );
      const skipped = new Map(stored.skipped.map((s) => [s.path, s.reason]));
      assert.match(
        skipped.get(join(external, 'Moscow', 'm.jpg')) ?? '',
        /not one of the model's cities/,
      );
      assert.match(skipped.get(join(external, 'Paris', 'bad.jpg')) ?? '', /not an image|decod/);
      assert.equal((await client.call('library.stats', {})).images, before, 'nothing imported');
    });
  },
);
