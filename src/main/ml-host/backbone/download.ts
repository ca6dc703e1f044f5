// Downloading a backbone: stream to a temporary file beside the backbones (same disk, so nothing
// large sits in memory), hash while streaming, refuse a checksum mismatch, then import. Every exit
// path removes the temporary file; only a verified, fully imported backbone is left behind.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../../shared/contract/errors';
import { importBackbone, type ImportBackboneOptions } from './store';
import type { BackboneFormat, BackboneMeta } from '../../platform/backbone-meta';

export type CatalogueEntry = {
  name: string;
  title: string;
  url: string;
  sha256: string;
  bytes: number;
  format: BackboneFormat;
  /** Plain text, one label per line, in output order. */
  labelsUrl: string | null;
  license: string;
};

/** Known backbones a user can download with one click (single files, checksum pinned). */
export const BACKBONE_CATALOGUE: readonly CatalogueEntry[] = [
  {
    name: 'mobilenet_v2_1.0_224_quant',
    title: 'MobileNetV2 1.0, 224×224, ImageNet (uint8 TFLite, 3.6 MB)',
    url: 'https://raw.githubusercontent.com/google-coral/test_data/master/mobilenet_v2_1.0_224_quant.tflite',
    sha256: '7aad0c74c5e3c06e5eb3c827e13304fdd68a83da6087d92ee169c24ff9fd4776',
    bytes: 3610798,
    format: 'tflite',
    labelsUrl:
      'https://raw.githubusercontent.com/google-coral/test_data/master/imagenet_labels.txt',
    license: 'Apache-2.0 (google-coral/test_data)',
  },
];

export type DownloadProgress = { receivedBytes: number; totalBytes: number | null };

export type DownloadBackboneOptions = {
  url: string;
  /** Expected sha256 (hex) of the downloaded file; the download is refused when it differs. */
  sha256: string;
  name: string;
  root: string;
  onProgress?: (p: DownloadProgress) => void;
  signal?: AbortSignal;
  /** Optional labels file (one per line); only fetched after the model verified. */
  labelsUrl?: string | null;
  /** Passed to importBackbone (normalisation, featureLayer, overwrite...). */
  importOptions?: Omit<
    ImportBackboneOptions,
    'source' | 'name' | 'root' | 'labels' | 'sourceLabel'
  >;
  fetchImpl?: typeof fetch;
};

function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true || (error instanceof Error && error.name === 'AbortError');
}

function cancelled(url: string): AppError {
  return new AppError('CANCELLED', `Download of ${url} was cancelled.`, { url });
}

async function get(url: string, o: DownloadBackboneOptions): Promise<Response> {
  let res: Response;
  try {
    res = await (o.fetchImpl ?? fetch)(url, { signal: o.signal, redirect: 'follow' });
  } catch (error) {
    if (isAbort(error, o.signal)) throw cancelled(url);
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    throw new AppError(
      'IO_ERROR',
      `Could not reach ${url}: ${cause ?? (error as Error).message}.`,
      { url },
    );
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    throw new AppError(
      'IO_ERROR',
      `Download of ${url} failed: HTTP ${res.status} ${res.statusText}.`,
      {
        url,
        status: res.status,
      },
    );
  }
  return res;
}

/** Streams `url` into `path`, returning its sha256. */
async function streamToFile(
  url: string,
  path: string,
  o: DownloadBackboneOptions,
): Promise<string> {
  const res = await get(url, o);
  const length = Number(res.headers.get('content-length'));
  const totalBytes = Number.isFinite(length) && length > 0 ? length : null;
  const hash = createHash('sha256');
  const file = await open(path, 'wx');
  let receivedBytes = 0;
  try {
    o.onProgress?.({ receivedBytes, totalBytes });
    if (res.body === null) throw new AppError('IO_ERROR', `${url} sent no body.`);
    const reader = res.body.getReader();
    for (;;) {
      if (o.signal?.aborted) {
        await reader.cancel().catch(() => undefined);
        throw cancelled(url);
      }
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        if (isAbort(error, o.signal)) throw cancelled(url);
        throw new AppError(
          'IO_ERROR',
          `Download of ${url} broke off: ${(error as Error).message}.`,
          { url },
        );
      }
      if (chunk.done) break;
      hash.update(chunk.value);
      await file.write(chunk.value);
      receivedBytes += chunk.value.byteLength;
      o.onProgress?.({ receivedBytes, totalBytes });
    }
    if (totalBytes !== null && receivedBytes !== totalBytes) {
      throw new AppError(
        'IO_ERROR',
        `Download of ${url} stopped at ${receivedBytes} of ${totalBytes} bytes.`,
        { url },
      );
    }
  } finally {
    await file.close();
  }
  return hash.digest('hex');
}

async function fetchLabels(url: string, o: DownloadBackboneOptions): Promise<string[]> {
  const res = await get(url, o);
  const text = await res.text();
  return text.split(/\r?\n/).filter((line, i, all) => line !== '' || i < all.length - 1);
}

/**
 * Downloads a single-file backbone (TFLite), verifies its sha256, and imports it as `name`.
 * Progress: {receivedBytes, totalBytes (null without Content-Length)} per chunk. Errors:
 * IO_ERROR (unreachable, HTTP status, truncated, checksum mismatch), CANCELLED (signal), and
 * whatever importBackbone reports; no files are left behind on any error.
 */
export async function downloadBackbone(o: DownloadBackboneOptions): Promise<BackboneMeta> {
  const expected = o.sha256.toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(expected)) {
    throw new AppError('BAD_ARGUMENT', `'${o.sha256}' is not a sha256 (64 hex digits).`);
  }
  if (o.signal?.aborted) throw cancelled(o.url);
  await mkdir(o.root, { recursive: true });
  const temp = join(o.root, `.download-${randomBytes(6).toString('hex')}.part`);
  try {
    const actual = await streamToFile(o.url, temp, o);
    if (actual !== expected) {
      throw new AppError(
        'IO_ERROR',
        `The file from ${o.url} is not the expected one: its sha256 is ${actual}, expected ${expected}. It was deleted.`,
        { url: o.url, expected, actual },
      );
    }
    const labels = o.labelsUrl ? await fetchLabels(o.labelsUrl, o) : null;
    if (o.signal?.aborted) throw cancelled(o.url);
    return await importBackbone({
      ...o.importOptions,
      source: temp,
      name: o.name,
      root: o.root,
      labels,
      sourceLabel: o.url,
    });
  } finally {
    await rm(temp, { force: true });
  }
}
