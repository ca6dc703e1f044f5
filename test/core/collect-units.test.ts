import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { haversineKm } from '../../src/shared/domain/geo';
import { mulberry32 } from '../../src/shared/domain/random';
import { boxAround } from '../../src/main/core/collect/mapillary';
import { plannedPoint, pointInDisc, type Area } from '../../src/main/core/collect/points';
import { RateLimiter } from '../../src/main/core/collect/rate-limiter';
import { redact } from '../../src/main/core/collect/redact';
import { retryAfterMs } from '../../src/main/core/collect/http';
import { envSecretStore } from '../../src/main/core/collect/secret-store';
import { fakeClock } from './collect-helpers';

const PARIS = { name: 'Paris', lat: 48.8566, lon: 2.3522 };
const DISC: Area = { kind: 'disc', centre: PARIS, radiusKm: 25 };

describe('collect: random points in a disc', () => {
  it('keeps every point within R km by haversine, at every latitude and across the date line', () => {
    const random = mulberry32(1);
    for (const centre of [
      PARIS,
      { lat: 0, lon: 179.99 },
      { lat: -33.87, lon: 151.21 },
      { lat: 69.6, lon: 18.9 },
    ]) {
      for (let i = 0; i < 2000; i++) {
        const p = pointInDisc(centre, 25, random(), random());
        assert.ok(haversineKm(centre, p) <= 25 + 1e-9, `${JSON.stringify(p)}`);
        assert.ok(p.lon >= -180 && p.lon < 180);
      }
    }
    assert.ok(haversineKm(PARIS, pointInDisc(PARIS, 25, 0.999999, 0.3)) > 24.99);
    assert.ok(haversineKm(PARIS, pointInDisc(PARIS, 25, 0, 0.3)) < 1e-9);
  });

  it('is uniform by area: a quarter of the points within R/2, and the four bearings even', () => {
    const n = 20_000;
    let inner = 0;
    const quadrants = [0, 0, 0, 0];
    for (let seq = 0; seq < n; seq++) {
      const p = plannedPoint(5, PARIS, DISC, seq, 'random');
      if (haversineKm(PARIS, p) <= 12.5) inner++;
      const q = (p.lat >= PARIS.lat ? 0 : 2) + (p.lon >= PARIS.lon ? 0 : 1);
      quadrants[q] = (quadrants[q] ?? 0) + 1;
    }
    // Binomial sd at p = 0.25, n = 20000 is 0.003: 0.02 is over six of them.
    assert.ok(Math.abs(inner / n - 0.25) < 0.02, `inner share ${inner / n}`);
    for (const q of quadrants) assert.ok(Math.abs(q / n - 0.25) < 0.02, `quadrant ${q / n}`);
  });

  it('is a pure function of (seed, city, seq): the same seed draws the same points', () => {
    const a = [0, 1, 2, 50].map((s) => plannedPoint(9, PARIS, DISC, s, 'random'));
    const b = [0, 1, 2, 50].map((s) => plannedPoint(9, PARIS, DISC, s, 'random'));
    assert.deepEqual(a, b);
    assert.notDeepEqual(plannedPoint(10, PARIS, DISC, 0, 'random'), a[0]);
    assert.notDeepEqual(plannedPoint(9, { ...PARIS, name: 'Lyon' }, DISC, 0, 'random'), a[0]);
    for (const p of a) assert.ok(p.heading >= 0 && p.heading < 360);
    assert.deepEqual(
      [0, 1, 2, 3].map((s) => plannedPoint(9, PARIS, DISC, s, [0, 90, 180]).heading),
      [0, 90, 180, 0],
    );
  });

  it('draws box points inside the box, uniform by area (more near the equator than the pole)', () => {
    const box: Area = { kind: 'box', bbox: [10, 0, 20, 60] };
    let south = 0;
    const n = 20_000;
    for (let seq = 0; seq < n; seq++) {
      const p = plannedPoint(3, PARIS, box, seq, 'random');
      assert.ok(p.lon >= 10 && p.lon <= 20 && p.lat >= 0 && p.lat <= 60);
      if (p.lat < 30) south++;
    }
    // The band 0-30° holds sin 30° / sin 60° = 0.577 of the box's area.
    assert.ok(Math.abs(south / n - 0.5774) < 0.02, `south share ${south / n}`);
  });

  it('builds a Mapillary box around a point', () => {
    const [minLon, minLat, maxLon, maxLat] = boxAround(PARIS, 0.15);
    assert.ok(Math.abs(haversineKm({ lat: minLat ?? 0, lon: PARIS.lon }, PARIS) - 0.15) < 0.001);
    assert.ok(Math.abs(haversineKm({ lat: PARIS.lat, lon: maxLon ?? 0 }, PARIS) - 0.15) < 0.002);
    assert.ok((minLon ?? 0) < PARIS.lon && (maxLat ?? 0) > PARIS.lat);
  });
});

describe('collect: rate limiter', () => {
  it('spaces slots 1/rate apart, reserves them for overlapping callers and lets idle time pass', () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(4, clock);
    assert.deepEqual([limiter.reserve(), limiter.reserve(), limiter.reserve()], [0, 250, 500]);
    clock.sleeps.length = 0;
    // After a long pause no debt is carried over: the next request goes at once, no burst allowed.
    const idle = new AbortController();
    return clock.sleep(10_000, idle.signal).then(async () => {
      assert.equal(limiter.reserve(), 0);
      assert.equal(limiter.reserve(), 250);
      await limiter.take(idle.signal);
      assert.equal(clock.sleeps.at(-1), 500);
      assert.throws(() => new RateLimiter(0, clock), RangeError);
    });
  });

  it('stops waiting when the job is cancelled', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(1, clock);
    const controller = new AbortController();
    limiter.reserve();
    controller.abort();
    await assert.rejects(limiter.take(controller.signal), { name: 'AbortError' });
  });
});

describe('collect: secrets', () => {
  it('redacts keys in URLs, OAuth headers and literal copies', () => {
    const key = 'AIzaSECRET123456';
    assert.equal(
      redact(`GET /maps/api/streetview?size=1x1&key=${key}&pano=x failed`, [key]),
      'GET /maps/api/streetview?size=1x1&key=REDACTED&pano=x failed',
    );
    assert.equal(redact('Authorization: OAuth MLY|1|abc', []), 'Authorization: OAuth REDACTED');
    assert.equal(redact(`echo: ${key}!`, [key]), 'echo: REDACTED!');
    assert.equal(
      redact(`x?access_token=${encodeURIComponent('MLY|1|z')}`),
      'x?access_token=REDACTED',
    );
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    assert.equal(retryAfterMs('7', 0), 7000);
    assert.equal(retryAfterMs(null, 0), null);
    assert.equal(retryAfterMs('soon', 0), null);
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(retryAfterMs('Thu, 01 Jan 2026 00:00:30 GMT', now), 30_000);
  });

  it('the environment store reads variables, keeps set keys in memory and never reports a key', () => {
    const store = envSecretStore({ LITTLEPLANET_MAPILLARY_TOKEN: 'MLY|env|token' });
    assert.equal(store.get('mapillary'), 'MLY|env|token');
    assert.equal(store.status('mapillary').place, 'environment');
    assert.equal(store.get('streetview'), null);
    const set = store.set('streetview', 'session-key-123');
    assert.deepEqual([set.set, set.place], [true, 'session']);
    assert.equal(JSON.stringify(set).includes('session-key-123'), false);
    assert.equal(store.get('streetview'), 'session-key-123');
    assert.equal(store.clear('streetview').place, 'none');
  });
});
