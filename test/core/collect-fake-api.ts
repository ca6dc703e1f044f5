import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';

/** One answer of the fake API. `json` is sent as JSON; `text` as-is (malformed JSON, HTML...). */
export type Reply = {
  status?: number;
  json?: unknown;
  text?: string;
  jpegOf?: string;
  headers?: Record<string, string>;
  /** Answer this much later (to let a test cancel while a request is in flight). */
  delayMs?: number;
};

export type Seen = { path: string; query: URLSearchParams; headers: IncomingHttpHeaders };

/** Per endpoint: the n-th call (0-based, per endpoint) and its request → the reply. */
export type Script = {
  metadata?: (n: number, req: Seen) => Reply;
  image?: (n: number, req: Seen) => Reply;
  images?: (n: number, req: Seen) => Reply;
  thumb?: (n: number, req: Seen) => Reply;
};

export type FakeApi = {
  url: string;
  script: Script;
  /** Every request, in order. */
  seen: Seen[];
  count(path: string): number;
  close(): Promise<void>;
};

const jpegCache = new Map<string, Buffer>();

/** A real small JPEG whose colour (and so content hash) is fixed by `id`. */
export async function jpegFor(id: string): Promise<Buffer> {
  const cached = jpegCache.get(id);
  if (cached !== undefined) return cached;
  // A hash, so ids one character apart still get clearly different colours.
  const h = createHash('sha256').update(id).digest().readUInt32BE(0);
  const jpeg = await sharp({
    create: {
      width: 64,
      height: 64,
      channels: 3,
      background: { r: h & 255, g: (h >>> 8) & 255, b: (h >>> 16) & 255 },
    },
  })
    .jpeg()
    .toBuffer();
  jpegCache.set(id, jpeg);
  return jpeg;
}

export const metadataOk = (panoId: string, lat = 48.85, lng = 2.35): Reply => ({
  json: {
    copyright: '© Google',
    date: '2021-06',
    location: { lat, lng },
    pano_id: panoId,
    status: 'OK',
  },
});

/** Street View default: every point has a panorama of its own, at the point asked about. */
const defaultMetadata = (n: number, req: Seen): Reply => {
  const [lat, lng] = (req.query.get('location') ?? '0,0').split(',').map(Number);
  return metadataOk(`pano-${n}`, lat, lng);
};

/**
 * Street View and Mapillary on 127.0.0.1 (random port) with a script per endpoint. Unknown paths
 * answer 404. Thumbnails are served from this same server under /thumbs/ID.jpg.
 */
export async function startFakeApi(script: Script = {}): Promise<FakeApi> {
  const seen: Seen[] = [];
  const counters = new Map<string, number>();
  const api: FakeApi = {
    url: '',
    script,
    seen,
    count: (path) => seen.filter((s) => s.path === path).length,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname.startsWith('/thumbs/') ? '/thumbs' : url.pathname;
    const request: Seen = { path, query: url.searchParams, headers: req.headers };
    seen.push(request);
    const n = counters.get(path) ?? 0;
    counters.set(path, n + 1);
    const handler: ((n: number, req: Seen) => Reply) | undefined =
      path === '/maps/api/streetview/metadata'
        ? (api.script.metadata ?? defaultMetadata)
        : path === '/maps/api/streetview'
          ? (api.script.image ?? ((_n, r) => ({ jpegOf: r.query.get('pano') ?? 'x' })))
          : path === '/images'
            ? api.script.images
            : path === '/thumbs'
              ? (api.script.thumb ?? (() => ({ jpegOf: url.pathname })))
              : undefined;
    const reply = handler?.(n, request) ?? { status: 404, text: 'not found' };
    const send = (body: Buffer | string, type: string): void => {
      const write = (): void => {
        if (res.destroyed) return;
        res.writeHead(reply.status ?? 200, { 'content-type': type, ...reply.headers });
        res.end(body);
      };
      if (reply.delayMs === undefined) write();
      else setTimeout(write, reply.delayMs);
    };
    if (reply.jpegOf !== undefined) {
      jpegFor(reply.jpegOf).then(
        (jpeg) => send(jpeg, 'image/jpeg'),
        () => send('', 'text/plain'),
      );
    } else if (reply.json !== undefined) send(JSON.stringify(reply.json), 'application/json');
    else send(reply.text ?? '', 'text/plain');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return api;
}

/** A Mapillary image record as the v4 API returns it, with its thumbnail on the fake server. */
export function mapillaryImage(base: string, id: string, lat: number, lon: number) {
  return {
    id,
    thumb_256_url: `${base}/thumbs/${id}.jpg?sig=abc`,
    thumb_1024_url: `${base}/thumbs/${id}-1024.jpg?sig=abc`,
    computed_geometry: { type: 'Point', coordinates: [lon, lat] },
    geometry: { type: 'Point', coordinates: [lon + 0.0001, lat] },
    captured_at: 1_600_000_000_000,
    creator: { id: '42', username: `mapper_${id}` },
  };
}
