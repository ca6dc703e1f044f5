// Class-maximising images on a real trained model (MobileNetV2 + a head trained on the three-"city"
// library of sanity photos): the ascent itself in this process on the cpu backend (values, seeds,
// tensors, cancel), then the job through the contract (cache in the model's folder, list, errors)
// and the CLI (PNGs and JSON).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { before, describe, it } from 'node:test';
import sharp from 'sharp';
import { runCli } from '../../src/main/cli/run';
import type { CliIo } from '../../src/main/cli/command';
import { maximiseClass } from '../../src/main/ml-host/explain/maximise';
import { applyForInputGradient } from '../../src/main/ml-host/explain/maximise-graph';
import { installFastCpuGradKernels } from '../../src/main/ml-host/pipeline/cpu-grad-kernels';
import { installFastCpuInputGradKernels } from '../../src/main/ml-host/pipeline/cpu-input-grad-kernels';
import { ModelRunner } from '../../src/main/ml-host/pipeline/model-runner';
import { openStudio, suiteCleanup, tempDir, type Studio } from '../core/helpers';
import { SHARED_MISSING, sharedFixtures } from '../helpers/shared-fixtures';
import { loadMobileNet } from './explain-fixtures';
import { isCode, threeCityLibrary } from './integration-photos';

const shared = sharedFixtures();

/** Few steps at a small size: seconds on the cpu backend, enough to move a 3-class head. */
const SHORT = { size: 64, steps: 6, seed: 7 };

void describe('class-maximising images', { skip: shared === null ? SHARED_MISSING : false }, () => {
  const cleanup = suiteCleanup();
  let studio: Studio;
  let modelId = '';
  let modelDir = '';

  before(async () => {
    studio = await openStudio(cleanup);
    const work = tempDir(cleanup, 'lp-maximise-work-');
    await threeCityLibrary(studio.client, shared!, work, 8);
    const result = await studio.client.runJob('train.start', {
      name: 'draw me',
      backbone: 'mnv2',
      views: 1,
      stage1: { epochs: 15, batchSize: 16, learningRate: 0.02, earlyStopPatience: null },
    });
    modelId = result.modelId;
    modelDir = join(studio.dir, 'models', modelId);
  });

  void it('the job draws a city, caches it in the model folder and lists it', async () => {
    const { client } = studio;
    const first = await client.runJob('maximise.start', { modelId, city: 'london', ...SHORT });
    assert.equal(first.cached, 0);
    assert.deepEqual(first.classes, ['London', 'Paris', 'Sydney']);
    assert.equal(first.images.length, 1);
    const image = first.images[0]!;
    assert.deepEqual(
      [image.city, image.classIndex, image.steps, image.seed, image.size],
      ['London', 0, SHORT.steps, SHORT.seed, SHORT.size],
    );
    assert.ok(
      image.probability > image.startProbability,
      `London rose: ${image.startProbability} → ${image.probability}`,
    );
    assert.equal(dirname(dirname(image.file)), modelDir, 'cached in the model folder');
    assert.ok(existsSync(image.file));
    const meta = await sharp(image.file).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 64, 64]);
    assert.ok(image.dataUrl.startsWith('data:image/png;base64,'));
    const png = await readFile(image.file);
    assert.equal(image.dataUrl, `data:image/png;base64,${png.toString('base64')}`);

    const again = await client.runJob('maximise.start', { modelId, city: 'London', ...SHORT });
    assert.equal(again.cached, 1);
    assert.deepEqual(again.images, first.images);

    const listed = await client.call('maximise.list', { modelId });
    assert.deepEqual(listed, first.images);
    await assert.rejects(
      client.runJob('maximise.start', { modelId, city: 'Atlantis', ...SHORT }),
      isCode('BAD_ARGUMENT'),
    );
    await assert.rejects(
      client.runJob('maximise.start', { modelId: 'no-such-model', ...SHORT }),
      isCode('NOT_FOUND'),
    );
  });

  void it('the ascent raises its city above the others, repeats with its seed, frees its tensors', async () => {
    await tf.setBackend('cpu');
    installFastCpuGradKernels();
    installFastCpuInputGradKernels();
    const runner = await ModelRunner.load(modelDir, join(studio.dir, 'backbones'));
    try {
      const parts = runner.maximiseParts();
      const options = {
        ...SHORT,
        steps: 10,
        normalisation: runner.spec.normalisation,
      };
      const before = tf.memory().numTensors;
      for (const [classIndex, city] of runner.classes.entries()) {
        const out = await maximiseClass(parts, { ...options, classIndex });
        const gain = (out.probabilities[classIndex] ?? 0) - (out.start[classIndex] ?? 0);
        assert.ok(
          gain > 0.2,
          `${city}: ${out.start[classIndex]} → ${out.probabilities[classIndex]}`,
        );
        for (const other of runner.classes.keys()) {
          if (other === classIndex) continue;
          const change = (out.probabilities[other] ?? 0) - (out.start[other] ?? 0);
          assert.ok(change < gain, `${city} rose more than class ${other} (${change} vs ${gain})`);
        }
        assert.equal(out.rgb.length, 64 * 64 * 3);
        // Not the grey it started from: the ascent drew something.
        const spread = Math.max(...out.rgb) - Math.min(...out.rgb);
        assert.ok(spread > 40, `pixel range ${spread}`);
      }
      const a = await maximiseClass(parts, { ...options, steps: 3, classIndex: 1 });
      const b = await maximiseClass(parts, { ...options, steps: 3, classIndex: 1 });
      const c = await maximiseClass(parts, { ...options, steps: 3, classIndex: 1, seed: 8 });
      assert.deepEqual(a.rgb, b.rgb, 'same seed, same image');
      assert.notDeepEqual(a.rgb, c.rgb, 'another seed, another image');
      let seen = 0;
      await assert.rejects(
        maximiseClass(parts, { ...options, classIndex: 2, onStep: () => ++seen === 2 }),
        isCode('CANCELLED'),
      );
      assert.equal(seen, 2, 'stopped at the step that asked');
      await assert.rejects(
        maximiseClass(parts, { ...options, classIndex: 3 }),
        isCode('BAD_ARGUMENT'),
      );
      assert.equal(tf.memory().numTensors, before, 'no tensor outlives a run');
    } finally {
      runner.dispose();
    }
  });

  void it("plain convolutions give the layers model's values and input gradient", async () => {
    await tf.setBackend('cpu');
    installFastCpuGradKernels();
    installFastCpuInputGradKernels();
    const fixture = await loadMobileNet(shared!);
    try {
      const model = fixture.backbone.featureModel;
      const x = tf.randomUniform([1, 64, 64, 3], -1, 1, 'float32', 5);
      const before = tf.memory().numTensors;
      const score = (run: (t: tf.Tensor) => tf.Tensor) => (t: tf.Tensor) =>
        tf.sum(tf.slice(run(t), [0, 0], [1, 50]));
      const [plain, layers, gPlain, gLayers] = tf.tidy(() => [
        applyForInputGradient(model, x).dataSync(),
        (model.apply(x) as tf.Tensor).dataSync(),
        tf
          .grad(score((t) => applyForInputGradient(model, t)))(x)
          .dataSync(),
        tf
          .grad(score((t) => model.apply(t) as tf.Tensor))(x)
          .dataSync(),
      ]);
      assert.equal(tf.memory().numTensors, before);
      assert.equal(plain.length, 1280);
      const close = (a: ArrayLike<number>, b: ArrayLike<number>, what: string) => {
        let scale = 0;
        for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i] as number));
        assert.ok(scale > 0, `${what}: all zeros`);
        for (let i = 0; i < b.length; i++) {
          const diff = Math.abs((a[i] as number) - (b[i] as number));
          assert.ok(diff <= 1e-4 * scale, `${what} ${i}: ${a[i]} vs ${b[i]}`);
        }
      };
      close(plain, layers, 'features');
      close(gPlain, gLayers, 'input gradient');
      x.dispose();
    } finally {
      await fixture.dispose();
    }
  });

  void it('the CLI writes the PNGs and prints [{city, p, file}]', async () => {
    const out = join(tempDir(cleanup, 'lp-maximise-out-'), 'images');
    let stdout = '';
    let stderr = '';
    const io: CliIo = {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      env: {},
      cwd: studio.dir,
      onInterrupt: () => () => undefined,
      onTerminate: () => () => undefined,
      exit: (code) => {
        throw new Error(`exit ${code}`);
      },
    };
    // The studio holds the library open: close it first, as a second app would find it.
    await studio.core.close();
    const args = ['--library', studio.dir, 'maximise', '--model', modelId, '--json'];
    const more = ['--steps', '2', '--size', '64', '--seed', '7', '--out', out];
    const code = await runCli([...args, ...more], io, { version: '0.0.0-test' });
    assert.equal(code, 0, stderr);
    const rows = JSON.parse(stdout) as { city: string; p: number; file: string }[];
    assert.deepEqual(
      rows.map((r) => r.city),
      ['London', 'Paris', 'Sydney'],
    );
    for (const row of rows) {
      assert.equal(row.file, join(out, `${row.city}.png`));
      assert.ok(row.p > 0 && row.p < 1);
      const meta = await sharp(row.file).metadata();
      assert.deepEqual([meta.format, meta.width], ['png', 64]);
    }
  });
});
