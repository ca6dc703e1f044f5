import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { join, sep } from 'node:path';
import { describe, it } from 'node:test';
import { AppError } from '../../src/shared/contract/errors';
import {
  defaultLoader,
  hasConvGradients,
  resolveWasmDir,
  selectBackend,
  unpackedPath,
  withBackend,
  type PackageLoader,
} from '../../src/main/ml-host/backend';
import { dawnModulePath } from '../../src/main/ml-host/backend/webgpu';

// Dawn (WebGPU) counts as absent here: test/ml/webgpu.test.ts covers it where it can run.
const NATIVE = [dawnModulePath(), '@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'];
const NOT_INSTALLED = `WebGPU (the webgpu package) is not installed for ${process.platform}-${process.arch}`;

/** What Node's require throws for a package that is not installed. */
function notFound(pkg: string): Error {
  return Object.assign(new Error(`Cannot find module '${pkg}'\nRequire stack:\n- x.js`), {
    code: 'MODULE_NOT_FOUND',
  });
}

/** Native packages absent (or replaced by `natives`), everything else loaded for real. */
function loader(natives: Record<string, () => unknown> = {}): PackageLoader & { calls: string[] } {
  const calls: string[] = [];
  const fn = (pkg: string): unknown => {
    calls.push(pkg);
    const fake = natives[pkg];
    if (fake) return fake();
    if (NATIVE.includes(pkg)) throw notFound(pkg);
    return defaultLoader(pkg);
  };
  return Object.assign(fn, { calls });
}

const isCode = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;

void describe('selectBackend', () => {
  void it('falls back to wasm when the native packages are not installed, and says so', async () => {
    const load = loader();
    const info = await selectBackend({ loader: load, env: {} });
    assert.equal(info.name, 'wasm');
    assert.equal(info.package, '@tensorflow/tfjs-backend-wasm');
    assert.equal(info.gpu, false);
    assert.equal(info.convGradients, true, 'the app installs wasm convolution gradients');
    assert.match(
      info.reason,
      /^WebGPU \(the webgpu package\) is not installed for [\w-]+; @tensorflow\/tfjs-node-gpu is not installed; @tensorflow\/tfjs-node is not installed; using WebAssembly \((SIMD, )?single thread\)$/,
    );
    assert.deepEqual(
      info.attempts.map((a) => [a.candidate, a.ok]),
      [
        ['webgpu', false],
        ['tensorflow-gpu', false],
        ['tensorflow', false],
        ['wasm', true],
      ],
    );
    assert.deepEqual(load.calls, [...NATIVE, '@tensorflow/tfjs-backend-wasm']);
    assert.equal(tf.getBackend(), 'wasm');
  });

  void it('reports a native package that throws on load (e.g. missing CUDA libraries)', async () => {
    const load = loader({
      '@tensorflow/tfjs-node-gpu': () => {
        throw new Error(
          'libcudart.so.11.0: cannot open shared object file: No such file or directory',
        );
      },
    });
    const info = await selectBackend({ loader: load, env: {} });
    assert.equal(info.name, 'wasm');
    assert.equal(info.attempts[0]?.reason, NOT_INSTALLED);
    assert.equal(
      info.attempts[1]?.reason,
      '@tensorflow/tfjs-node-gpu failed to load (libcudart.so.11.0: cannot open shared object file: No such file or directory)',
    );
    assert.match(info.reason, /; @tensorflow\/tfjs-node-gpu failed to load \(libcudart/);
  });

  void it('reports a native package that loads but registers no backend', async () => {
    const info = await selectBackend({
      loader: loader({ '@tensorflow/tfjs-node': () => ({}) }),
      env: {},
    });
    assert.equal(info.name, 'wasm');
    assert.equal(
      info.attempts[2]?.reason,
      "@tensorflow/tfjs-node loaded but registered no 'tensorflow' backend",
    );
  });

  void it('honours a preference, and the environment variable overrides the setting', async () => {
    const cpu = await selectBackend({ preference: 'cpu', loader: loader(), env: {} });
    assert.equal(cpu.name, 'cpu');
    assert.equal(cpu.convGradients, true);
    assert.equal(cpu.attempts.length, 1);
    assert.equal(tf.getBackend(), 'cpu');

    const forced = await selectBackend({
      preference: 'cpu',
      loader: loader(),
      env: { LITTLEPLANET_BACKEND: 'wasm' },
    });
    assert.equal(forced.name, 'wasm');
    assert.equal(tf.getBackend(), 'wasm');
  });

  void it('falls back from an unavailable preference, or refuses when strict', async () => {
    const info = await selectBackend({ preference: 'tensorflow', loader: loader(), env: {} });
    assert.equal(info.name, 'wasm');
    assert.match(
      info.reason,
      /^The backend setting asked for 'tensorflow', but @tensorflow\/tfjs-node is not installed; using WebAssembly/,
    );
    assert.deepEqual(
      info.attempts.map((a) => a.candidate),
      ['tensorflow', 'wasm'],
    );
    await assert.rejects(
      selectBackend({
        loader: loader(),
        env: { LITTLEPLANET_BACKEND: 'tensorflow-gpu' },
        strict: true,
      }),
      (e: unknown) =>
        isCode('BACKEND_UNAVAILABLE')(e) &&
        /LITTLEPLANET_BACKEND asked for 'tensorflow-gpu', but @tensorflow\/tfjs-node-gpu is not installed/.test(
          (e as AppError).message,
        ),
    );
    await assert.rejects(
      selectBackend({ loader: loader(), env: { LITTLEPLANET_BACKEND: 'cuda' } }),
      isCode('BAD_ARGUMENT'),
    );
  });
});

void describe('withBackend', () => {
  void it('runs one conv-gradient step on cpu and restores wasm, also after a throw', async () => {
    await selectBackend({ loader: loader(), env: {} });
    assert.equal(hasConvGradients('wasm'), true, "the app's wasm kernels");
    assert.equal(hasConvGradients('cpu'), true);
    const x = tf.ones([1, 4, 4, 2]);
    const w = tf.fill([3, 3, 2, 1], 0.5);
    const gradOfFilter = () =>
      tf.tidy(() =>
        tf.grad((f: tf.Tensor) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 1, 'same').sum())(
          w,
        ),
      );
    const before = tf.memory().numTensors;
    const g = await withBackend('cpu', () => {
      assert.equal(tf.getBackend(), 'cpu');
      return gradOfFilter();
    });
    assert.equal(tf.getBackend(), 'wasm');
    // d(sum)/d(filter): the centre tap [1,1,0,0] sees all 16 pixels, a corner tap [0,0,0,0] sees 9.
    const values = await g.data();
    assert.equal(values[8], 16);
    assert.equal(values[0], 9);

    await assert.rejects(
      withBackend('cpu', () => {
        throw new Error('step failed');
      }),
      /step failed/,
    );
    assert.equal(tf.getBackend(), 'wasm');
    await assert.rejects(
      withBackend('tensorflow', () => 1),
      isCode('BACKEND_UNAVAILABLE'),
    );
    assert.equal(tf.getBackend(), 'wasm');
    g.dispose();
    assert.equal(tf.memory().numTensors, before);
    tf.dispose([x, w]);
  });
});

void describe('wasm binaries', () => {
  void it('are found beside the installed package, and asar paths map to app.asar.unpacked', () => {
    const found = resolveWasmDir(join('no', 'such', 'dir'));
    assert.equal(found.found, true);
    assert.match(found.dir ?? '', /tfjs-backend-wasm[\\/]dist$/);
    const packaged = ['', 'opt', 'App', 'resources', 'app.asar', 'node_modules', 'x'].join(sep);
    assert.equal(
      unpackedPath(packaged),
      ['', 'opt', 'App', 'resources', 'app.asar.unpacked', 'node_modules', 'x'].join(sep),
    );
  });
});
