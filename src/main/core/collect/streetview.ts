import type { Collector, CollectorContext, Found, Lookup } from './collector';
import { trimBase } from './collector';
import { looksLikeImage, parseJson, PointFailed, Retryable, StopRun } from './http';
import type { PlannedPoint } from './points';

export const STREETVIEW_BASE_URL = 'https://maps.googleapis.com';
/** How far from a point the metadata lookup may find a panorama, in metres (the API's default). */
export const STREETVIEW_SEARCH_RADIUS_M = 50;

type Metadata = {
  status?: unknown;
  pano_id?: unknown;
  location?: { lat?: unknown; lng?: unknown };
  date?: unknown;
  copyright?: unknown;
  error_message?: unknown;
};

/**
 * Google Street View Static API: the free metadata endpoint first (no quota is used for places
 * without imagery), then the image of the panorama it names, by pano id so the image is exactly
 * the one whose id de-duplicates it.
 */
export function streetViewCollector(ctx: CollectorContext): Collector {
  const base = trimBase(ctx.baseUrl);
  const { http, key, options } = ctx;

  const metadata = (point: PlannedPoint): Promise<Metadata> =>
    http.retrying('Street View metadata', async () => {
      const query = new URLSearchParams({
        location: `${point.lat.toFixed(6)},${point.lon.toFixed(6)}`,
        radius: String(STREETVIEW_SEARCH_RADIUS_M),
        source: 'outdoor',
        key,
      });
      const { body } = await http.get(`${base}/maps/api/streetview/metadata?${query.toString()}`);
      const json = parseJson(body, 'Street View metadata');
      if (typeof json !== 'object' || json === null || Array.isArray(json)) {
        throw new PointFailed('Street View metadata: the answer is not a JSON object');
      }
      const meta = json as Metadata;
      const detail = typeof meta.error_message === 'string' ? `: ${meta.error_message}` : '';
      switch (meta.status) {
        case 'OVER_QUERY_LIMIT':
          throw new Retryable('quota', `OVER_QUERY_LIMIT${detail}`);
        case 'UNKNOWN_ERROR':
          throw new Retryable('server', `UNKNOWN_ERROR${detail}`);
        case 'REQUEST_DENIED':
          throw new StopRun(
            'UNAUTHORIZED',
            `Street View refused the key (REQUEST_DENIED${http.scrub(detail)}): the key is wrong, or the Street View Static API is not enabled for it.`,
            { reason: 'key-rejected' },
          );
        default:
          return meta;
      }
    });

  return {
    async lookup(point, isTaken): Promise<Lookup> {
      const meta = await metadata(point);
      if (meta.status === 'ZERO_RESULTS' || meta.status === 'NOT_FOUND') return { kind: 'none' };
      if (meta.status === 'INVALID_REQUEST') {
        throw new PointFailed('Street View metadata: INVALID_REQUEST');
      }
      if (meta.status !== 'OK') {
        throw new PointFailed(
          `Street View metadata: unexpected status ${http.scrub(JSON.stringify(meta.status ?? null)).slice(0, 60)}`,
        );
      }
      const lat = meta.location?.lat;
      const lng = meta.location?.lng;
      if (typeof meta.pano_id !== 'string' || meta.pano_id === '') {
        throw new PointFailed('Street View metadata: status OK without a pano_id');
      }
      if (typeof lat !== 'number' || typeof lng !== 'number') {
        throw new PointFailed('Street View metadata: status OK without a location');
      }
      const panoId = meta.pano_id;
      if (isTaken(panoId)) return { kind: 'duplicate', itemId: panoId };
      const item: Found = {
        itemId: panoId,
        lat,
        lon: lng,
        capturedAt: typeof meta.date === 'string' ? meta.date : null,
        credit: typeof meta.copyright === 'string' ? meta.copyright : '© Google',
        licence: 'Google Maps Platform Terms of Service',
      };
      const download = (): Promise<Buffer> =>
        http.retrying('Street View image', async () => {
          const query = new URLSearchParams({
            size: `${options.width}x${options.height}`,
            pano: panoId,
            fov: String(options.fov),
            heading: String(point.heading),
            pitch: String(options.pitch),
            // A 404 instead of the grey "no imagery" picture, which must never be imported.
            return_error_code: 'true',
            key,
          });
          const { body } = await http.get(`${base}/maps/api/streetview?${query.toString()}`);
          if (!looksLikeImage(body)) throw new PointFailed('Street View image: not an image');
          return body;
        });
      return { kind: 'found', item, download };
    },
  };
}
