import { EARTH_RADIUS_KM } from '../../../shared/domain/geo';
import type { Collector, CollectorContext, Found, Lookup } from './collector';
import { trimBase } from './collector';
import { looksLikeImage, parseJson, PointFailed } from './http';
import type { PlannedPoint } from './points';

export const MAPILLARY_BASE_URL = 'https://graph.mapillary.com';
export const MAPILLARY_FIELDS =
  'id,thumb_256_url,thumb_1024_url,computed_geometry,geometry,captured_at,creator';
/** Half the side of the box searched around each point: small boxes answer fast and spread photos. */
export const MAPILLARY_BOX_HALF_KM = 0.15;
export const MAPILLARY_PAGE_SIZE = 10;
/** Pages followed per point before it counts as "only duplicates here". */
export const MAPILLARY_MAX_PAGES = 3;

type Image = {
  id?: unknown;
  thumb_256_url?: unknown;
  thumb_1024_url?: unknown;
  computed_geometry?: { coordinates?: unknown };
  geometry?: { coordinates?: unknown };
  captured_at?: unknown;
  creator?: { username?: unknown; id?: unknown };
};

type Page = { data?: unknown; paging?: { next?: unknown } };

/** [minLon, minLat, maxLon, maxLat] of the square of half-side `halfKm` around a point. */
export function boxAround(point: { lat: number; lon: number }, halfKm: number): number[] {
  const dLat = (halfKm / EARTH_RADIUS_KM) * (180 / Math.PI);
  const dLon = dLat / Math.max(0.01, Math.cos((point.lat * Math.PI) / 180));
  return [point.lon - dLon, point.lat - dLat, point.lon + dLon, point.lat + dLat].map(
    (v) => Math.round(v * 1e6) / 1e6,
  );
}

function position(image: Image): { lat: number; lon: number } | null {
  const coordinates = image.computed_geometry?.coordinates ?? image.geometry?.coordinates;
  if (!Array.isArray(coordinates)) return null;
  const [lon, lat] = coordinates as unknown[];
  return typeof lat === 'number' && typeof lon === 'number' ? { lat, lon } : null;
}

function idOf(image: Image): string | null {
  if (typeof image.id === 'string' && image.id !== '') return image.id;
  return typeof image.id === 'number' && Number.isSafeInteger(image.id) ? String(image.id) : null;
}

function isHttpUrl(value: unknown): value is string {
  return typeof value === 'string' && /^https?:\/\//i.test(value);
}

/**
 * Mapillary API v4 (open CC BY-SA imagery): a small box around each random point, paged through
 * `paging.next` until an image not fetched before turns up. The token goes in the Authorization
 * header (never in a URL) and only to the API's own origin; thumbnails are signed CDN links.
 */
export function mapillaryCollector(ctx: CollectorContext): Collector {
  const base = trimBase(ctx.baseUrl);
  const origin = new URL(base).origin;
  const { http, key, options } = ctx;
  const auth = { Authorization: `OAuth ${key}` };
  const wantsLarge = Math.max(options.width, options.height) > 256;

  const page = (url: string, n: number): Promise<Page> =>
    http.retrying(`Mapillary images page ${n}`, async () => {
      const { body } = await http.get(url, auth);
      const json = parseJson(body, `Mapillary images page ${n}`);
      if (typeof json !== 'object' || json === null || !Array.isArray((json as Page).data)) {
        throw new PointFailed(`Mapillary images page ${n}: no "data" list in the answer`);
      }
      return json;
    });

  return {
    async lookup(point: PlannedPoint, isTaken): Promise<Lookup> {
      const query = new URLSearchParams({
        fields: MAPILLARY_FIELDS,
        bbox: boxAround(point, MAPILLARY_BOX_HALF_KM).join(','),
        limit: String(MAPILLARY_PAGE_SIZE),
      });
      let url: string | null = `${base}/images?${query.toString()}`;
      let duplicate: string | null = null;
      for (let n = 1; url !== null && n <= MAPILLARY_MAX_PAGES; n++) {
        const answer = await page(url, n);
        for (const image of answer.data as Image[]) {
          if (typeof image !== 'object' || image === null) continue;
          const id = idOf(image);
          const where = position(image);
          const small = isHttpUrl(image.thumb_256_url) ? image.thumb_256_url : null;
          const large = isHttpUrl(image.thumb_1024_url) ? image.thumb_1024_url : null;
          const thumb = wantsLarge ? (large ?? small) : (small ?? large);
          if (id === null || where === null || thumb === null) continue;
          if (isTaken(id)) {
            duplicate = id;
            continue;
          }
          const creator =
            typeof image.creator?.username === 'string' ? image.creator.username : 'unknown';
          const item: Found = {
            itemId: id,
            ...where,
            capturedAt:
              typeof image.captured_at === 'number'
                ? new Date(image.captured_at).toISOString()
                : null,
            credit: `${creator} (Mapillary image ${id})`,
            licence: 'CC BY-SA 4.0',
          };
          const download = (): Promise<Buffer> =>
            http.retrying('Mapillary thumbnail', async () => {
              // Thumbnail URLs are signed CDN links: they need no token, so none is sent.
              const { body } = await http.get(thumb);
              if (!looksLikeImage(body)) throw new PointFailed('Mapillary thumbnail: not an image');
              return body;
            });
          return { kind: 'found', item, download };
        }
        const next = answer.paging?.next;
        url = isHttpUrl(next) && new URL(next).origin === origin ? next : null;
      }
      return duplicate === null ? { kind: 'none' } : { kind: 'duplicate', itemId: duplicate };
    },
  };
}
