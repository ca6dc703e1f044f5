// downloadBackbone against a local 127.0.0.1 server serving the shared MobileNetV2 file: progress,
// checksum, HTTP errors and cancellation, and never a file left behind when it fails.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AppError } from '../../src/shared/contract/errors';
import { selectBackend } from '../../src/main/ml-host/backend';
import {
  BACKBONE_CATALOGUE,
  downloadBackbone,
  listBackbones,
  type DownloadProgress,
} from '../../src/main/ml-host/backbone';
import { MOBILENET_V2_SHA256, SHARED_MISSING, sharedFixtures } from '../helpers/shared-fixtures';

const shared = sharedFixtures();
const isCode = (code: string, pattern?: RegExp) => (e: unknown) =>
  e instanceof AppError && e.code === code && (pattern === undefined || pattern.test(e.message));

void describe('downloadBackbone', { skip: shared === null ? SHARED_MISSING : false }, () => {
  let server: Server;
  let base = '';
  let root = '';
  let file = Buffer.alloc(0);
  let labels = '';

  before(async () => {
    if (shared === null) return;
    await selectBackend({ env: {}, preference: 'wasm' });
    file = await readFile(shared.mobilenetV2Tflite);
    labels = await readFile(shared.imagenetLabels, 'utf8');
    root = await mkdtemp(join(tmpdir(), 'lp-download-'));
    server = createServer((req, res) => {
      if (req.url === '/mnv2.tflite' || req.url === '/stall.tflite') {
        res.writeHead(200, {
          'content-type': 'application/octet-stream',
          'content-length': file.length,
        });
        const stall = req.url === '/stall.tflite';
        let offset = 0;
        const pump = (): void => {
          if (offset >= file.length || res.destroyed) return void res.end();
          res.write(file.subarray(offset, offset + 256 * 1024));
          offset += 256 * 1024;
          if (!stall) setImmediate(pump); // several chunks, so several progress events
        };
        pump();
      } else if (req.url === '/labels.txt') {
        res.end(labels);
      } else {
        res.writeHead(404, 'Not Found').end('no such file');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    if (root) await rm(root, { recursive: true, force: true });
  });

  const leftovers = async () => (await readdir(root)).filter((n) => n.startsWith('.'));

  void it('knows the shared MobileNetV2 in its catalogue', () => {
    const entry = BACKBONE_CATALOGUE.find((e) => e.name === 'mobilenet_v2_1.0_224_quant');
    assert.equal(entry?.sha256, createHash('sha256').update(file).digest('hex'));
    assert.equal(entry?.sha256, MOBILENET_V2_SHA256);
    assert.equal(entry?.bytes, file.length);
    assert.match(
      entry?.url ?? '',
      /^https:\/\/raw\.githubusercontent\.com\/google-coral\/test_data\//,
    );
  });

  void it('streams with progress, verifies the sha256, and imports with labels', async () => {
    const before = tf.memory().numTensors;
    const progress: DownloadProgress[] = [];
    const meta = await downloadBackbone({
      url: `${base}/mnv2.tflite`,
      sha256: MOBILENET_V2_SHA256.toUpperCase(),
      labelsUrl: `${base}/labels.txt`,
      name: 'mnv2',
      root,
      onProgress: (p) => progress.push(p),
    });
    assert.equal(meta.sha256, MOBILENET_V2_SHA256);
    assert.equal(meta.source, `${base}/mnv2.tflite`);
    assert.equal(meta.sourceFiles[0]?.path, 'mnv2.tflite');
    assert.equal(meta.featureDim, 1280);
    assert.equal(meta.classifierLabels?.[89], 'macaw');
    assert.ok(progress.length >= 14, `${progress.length} progress events`);
    assert.deepEqual(progress[0], { receivedBytes: 0, totalBytes: file.length });
    assert.deepEqual(progress.at(-1), { receivedBytes: file.length, totalBytes: file.length });
    assert.ok(
      progress.every((p, i) => i === 0 || p.receivedBytes > (progress[i - 1]?.receivedBytes ?? 0)),
    );
    assert.deepEqual(
      (await listBackbones(root)).map((m) => m.name),
      ['mnv2'],
    );
    assert.deepEqual(await leftovers(), []);
    assert.equal(tf.memory().numTensors, before);
  });

  void it('refuses a file whose sha256 differs and leaves no backbone behind', async () => {
    const wrong = 'ab'.repeat(32);
    await assert.rejects(
      downloadBackbone({ url: `${base}/mnv2.tflite`, sha256: wrong, name: 'tampered', root }),
      isCode(
        'IO_ERROR',
        new RegExp(`sha256 is ${MOBILENET_V2_SHA256}, expected ${wrong}\\. It was deleted`),
      ),
    );
    assert.deepEqual(
      (await listBackbones(root)).map((m) => m.name),
      ['mnv2'],
    );
    assert.deepEqual(await leftovers(), []);
  });

  void it('reports HTTP errors, unreachable hosts and malformed checksums', async () => {
    await assert.rejects(
      downloadBackbone({
        url: `${base}/missing.tflite`,
        sha256: MOBILENET_V2_SHA256,
        name: 'x',
        root,
      }),
      (e: unknown) =>
        isCode('IO_ERROR', /HTTP 404 Not Found/)(e) && (e as AppError).details?.status === 404,
    );
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/x.tflite`;
    await new Promise((resolve) => closed.close(resolve));
    await assert.rejects(
      downloadBackbone({ url: deadUrl, sha256: MOBILENET_V2_SHA256, name: 'x', root }),
      isCode('IO_ERROR', /Could not reach/),
    );
    await assert.rejects(
      downloadBackbone({ url: `${base}/mnv2.tflite`, sha256: 'abc', name: 'x', root }),
      isCode('BAD_ARGUMENT'),
    );
    assert.deepEqual(await leftovers(), []);
  });

  void it('stops when cancelled mid-stream or before it starts', async () => {
    const controller = new AbortController();
    let seen = 0;
    await assert.rejects(
      downloadBackbone({
        url: `${base}/stall.tflite`,
        sha256: MOBILENET_V2_SHA256,
        name: 'stalled',
        root,
        signal: controller.signal,
        onProgress: (p) => {
          seen = p.receivedBytes;
          if (p.receivedBytes > 0) controller.abort();
        },
      }),
      isCode('CANCELLED'),
    );
    assert.ok(seen > 0 && seen < file.length);
    await assert.rejects(
      downloadBackbone({
        url: `${base}/mnv2.tflite`,
        sha256: MOBILENET_V2_SHA256,
        name: 'y',
        root,
        signal: AbortSignal.abort(),
      }),
      isCode('CANCELLED'),
    );
    assert.deepEqual(
      (await listBackbones(root)).map((m) => m.name),
      ['mnv2'],
    );
    assert.deepEqual(await leftovers(), []);
  });
});
