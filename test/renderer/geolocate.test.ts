// The Geolocate and Map views' pure logic (no DOM, no browser): the batch list's words, the review
// keys and picker, the queue's paging and undo, the offline basemap, zoom and pan, circle scales.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GeoBatchSummary, GeoItem } from '../../src/shared/contract/geo-types';
import {
  accuracyText,
  batchState,
  canResume,
  countChips,
  etaText,
  predictedText,
} from '../../src/renderer/features/geolocate/batch-words';
import { exportFileName, isTextFormat } from '../../src/renderer/features/geolocate/export-file';
import {
  pickerCandidates,
  pickerKeyAction,
  reviewKeyAction,
} from '../../src/renderer/features/geolocate/review-keys';
import {
  afterReview,
  afterUndo,
  EMPTY_QUEUE,
  hasMore,
  mergePage,
  move,
  nextOffset,
  undoTarget,
  withThreshold,
} from '../../src/renderer/features/geolocate/review-queue';
import { gpsWords } from '../../src/renderer/features/geolocate/GeoPhoto';
import {
  landPath,
  ringToPath,
  topologyRings,
  type Ring,
} from '../../src/renderer/features/map/basemap';
import {
  circleRadius,
  cityTooltip,
  confidenceColour,
  legendStops,
  MAX_RADIUS,
  MIN_RADIUS,
  sizeLegend,
} from '../../src/renderer/features/map/map-scale';
import {
  clampView,
  fitView,
  panBy,
  project,
  wheelFactor,
  WORLD_VIEW,
  zoomAt,
} from '../../src/renderer/features/map/viewport';
import land from 'world-atlas/land-110m.json';
import type { Topology } from 'topojson-specification';

const counts = (over: Partial<GeoBatchSummary['counts']> = {}): GeoBatchSummary['counts'] => ({
  photos: 52,
  predicted: 52,
  withGps: 52,
  pending: 30,
  accepted: 10,
  corrected: 7,
  skipped: 5,
  unsure: 12,
  unknown: 0,
  failed: 0,
  ...over,
});

const batch = (over: Partial<GeoBatchSummary> = {}): GeoBatchSummary => ({
  id: 3,
  name: 'Holiday',
  modelId: 'm1',
  sources: ['/photos'],
  createdAt: '2026-11-25T10:00:00Z',
  unsureBelow: 0.5,
  unknownAbove: null,
  complete: true,
  counts: counts(),
  accuracy: { withTruth: 52, correct: 41, accuracy: 41 / 52, outsideCities: 0 },
  lastJobId: 'j1',
  ...over,
});

const item = (imageId: number, over: Partial<GeoItem> = {}): GeoItem => ({
  imageId,
  path: `/photos/p${imageId}.jpg`,
  paths: [`/photos/p${imageId}.jpg`],
  predicted: 'Paris',
  probability: 0.9 - imageId / 100,
  top: [
    { city: 'Paris', probability: 0.9 - imageId / 100 },
    { city: 'London', probability: 0.05 },
  ],
  gps: null,
  gpsCity: null,
  review: 'pending',
  reviewedCity: null,
  unsure: false,
  oodScore: null,
  unknown: false,
  ...over,
});

void describe('batch list words', () => {
  void it('states the accuracy on GPS photos as the issue words it', () => {
    assert.equal(
      accuracyText(batch().accuracy),
      'model right on 41 of 52 photos that carry GPS (79%)',
    );
    assert.equal(
      accuracyText({ withTruth: 1, correct: 1, accuracy: 1, outsideCities: 2 }),
      'model right on 1 of 1 photo that carries GPS (100%) · 2 photos with GPS outside every city of the model',
    );
    assert.equal(
      accuracyText({ withTruth: 0, correct: 0, accuracy: null, outsideCities: 0 }),
      "No photo with GPS inside the model's cities to check against",
    );
  });

  void it('lists the review counts in working order, failures only when there are some', () => {
    assert.deepEqual(
      countChips(counts()).map((c) => `${c.label}=${c.value}`),
      ['pending=30', 'unsure=12', 'accepted=10', 'corrected=7', 'skipped=5'],
    );
    assert.equal(countChips(counts({ failed: 2 })).at(-1)?.value, 2);
    // Photos answered "unknown" get a chip only when there are some.
    assert.deepEqual(
      countChips(counts({ unknown: 4 }))
        .filter((c) => c.key === 'unknown')
        .map((c) => `${c.label}=${c.value}`),
      ['unknown=4'],
    );
  });

  void it('says how far prediction got and when Resume makes sense', () => {
    assert.equal(predictedText(batch()), '52 photos predicted');
    const half = batch({ complete: false, counts: counts({ predicted: 20 }) });
    assert.equal(predictedText(half), '20 of 52 photos predicted');
    assert.equal(batchState(half, true), 'running');
    assert.equal(batchState(half, false), 'stopped');
    assert.equal(batchState(batch(), false), 'complete');
    assert.equal(canResume(half, false), true);
    assert.equal(canResume(half, true), false, 'not while a job works on it');
    assert.equal(canResume(batch(), false), false, 'nothing left to predict');
  });

  void it('estimates the time left from the progress samples', () => {
    const at = 1_000_000;
    assert.equal(etaText([{ at, done: 10, total: 100, message: 'Predicting' }], at), null);
    const samples = [
      { at, done: 10, total: 100, message: 'Predicting' },
      { at: at + 2_000, done: 20, total: 100, message: 'Predicting' },
    ];
    // 10 photos in 2 s: 80 left take 16 s, said in tens of seconds.
    assert.equal(etaText(samples, at + 2_000), 'about 20 s left');
    assert.equal(
      etaText(samples, at + 2_000, 'Predicted 20 of 100 photos, about 1 min left'),
      null,
      'the job already says how long',
    );
    assert.equal(etaText(samples, at + 2_000, 'Predicting 100 photos…'), 'about 20 s left');
  });

  void it('names export files after the batch, and tells text formats from written ones', () => {
    assert.equal(exportFileName('Été à Paris!', 7, 'csv'), 'geolocate-7-ete-a-paris.csv');
    assert.equal(exportFileName('***', 2, 'geojson'), 'geolocate-2.geojson');
    assert.equal(isTextFormat('csv'), true);
    assert.equal(isTextFormat('xmp'), false);
    assert.equal(isTextFormat('exif-originals'), false);
  });

  void it('says where a photo’s GPS is', () => {
    assert.equal(gpsWords({ gps: null, gpsCity: null }), 'No GPS in the file');
    assert.equal(
      gpsWords({ gps: { lat: 48.85661, lon: 2.35222 }, gpsCity: 'Paris' }),
      '48.8566, 2.3522 · in Paris',
    );
    assert.match(gpsWords({ gps: { lat: 0, lon: 0 }, gpsCity: null }), /outside every city/);
  });
});

void describe('review keys', () => {
  void it('maps letters, Enter, Backspace and arrows to actions, and nothing else', () => {
    const keys = ['a', 'A', 'Enter', 'c', 'C', 's', 'S', 'u', 'U', 'Backspace'];
    assert.deepEqual(keys.map(reviewKeyAction), [
      'accept',
      'accept',
      'accept',
      'correct',
      'correct',
      'skip',
      'skip',
      'undo',
      'undo',
      'undo',
    ]);
    assert.equal(reviewKeyAction('ArrowRight'), 'next');
    assert.equal(reviewKeyAction('ArrowLeft'), 'prev');
    for (const key of ['1', 'x', ' ', 'Escape', 'Tab']) assert.equal(reviewKeyAction(key), null);
  });

  void it('offers the model’s top cities first, then type-ahead matches', () => {
    const cities = ['London', 'New York', 'Paris', 'Sydney', 'Lyon'];
    assert.deepEqual(pickerCandidates('', ['Sydney', 'Paris'], cities), [
      'Sydney',
      'Paris',
      'London',
      'New York',
      'Lyon',
    ]);
    // "york" matches a word inside "New York"; accents and case are ignored.
    assert.deepEqual(pickerCandidates('york', [], cities), ['New York']);
    assert.deepEqual(pickerCandidates('LY', ['Paris'], cities), ['Lyon']);
    // A top city wins a tie with another that starts the same way.
    assert.deepEqual(pickerCandidates('l', ['Lyon'], cities), ['Lyon', 'London']);
  });

  void it('picks with Enter or a number, moves with arrows (wrapping), cancels with Escape', () => {
    assert.deepEqual(pickerKeyAction('Enter', 3, 1), { type: 'pick', index: 1 });
    assert.deepEqual(pickerKeyAction('3', 3, 0), { type: 'pick', index: 2 });
    assert.equal(pickerKeyAction('4', 3, 0), null, 'no fourth city');
    assert.deepEqual(pickerKeyAction('ArrowDown', 3, 2), { type: 'move', index: 0 });
    assert.deepEqual(pickerKeyAction('ArrowUp', 3, 0), { type: 'move', index: 2 });
    assert.deepEqual(pickerKeyAction('Escape', 0, 0), { type: 'cancel' });
    assert.equal(pickerKeyAction('Enter', 0, 0), null, 'nothing to pick');
    assert.equal(pickerKeyAction('p', 3, 0), null, 'letters are typed');
  });
});

void describe('review queue', () => {
  const first = mergePage(EMPTY_QUEUE, { total: 5, items: [item(1), item(2), item(3)] });

  void it('adds pages without listing a photo twice', () => {
    const more = mergePage(first, { total: 5, items: [item(3), item(4)] });
    assert.deepEqual(
      more.items.map((i) => i.imageId),
      [1, 2, 3, 4],
    );
    assert.equal(more.total, 5);
  });

  void it('moves to the next photo after a review and remembers it for undo', () => {
    const reviewed = afterReview(first, item(1, { review: 'accepted', reviewedCity: 'Paris' }));
    assert.equal(reviewed.index, 1);
    assert.equal(reviewed.items[0]?.review, 'accepted');
    assert.deepEqual(reviewed.history, [1]);
    const skipped = afterReview(reviewed, item(2, { review: 'skipped' }));
    assert.equal(skipped.index, 2);
    assert.equal(undoTarget(skipped), 2, 'the newest review first');
    const undone = afterUndo(skipped, item(2));
    assert.equal(undone.index, 1, 'the undone photo is back on screen');
    assert.deepEqual(undone.history, [1]);
    assert.equal(undone.items[1]?.review, 'pending');
    // The last photo reviewed leads to the end screen, not past it.
    const end = afterReview({ ...first, index: 2 }, item(3, { review: 'skipped' }));
    assert.equal(end.index, 3);
  });

  void it('undoes the photo on screen when this session reviewed nothing yet', () => {
    const earlier = mergePage(EMPTY_QUEUE, {
      total: 1,
      items: [item(9, { review: 'corrected', reviewedCity: 'Sydney' })],
    });
    assert.equal(undoTarget(earlier), 9);
    assert.equal(undoTarget(first), null, 'a pending photo has nothing to undo');
  });

  void it('counts the next page’s offset by what still matches the filter', () => {
    const items = [item(1, { review: 'accepted' }), item(2, { unsure: true }), item(3)];
    assert.equal(nextOffset('all', items), 3);
    assert.equal(nextOffset('pending', items), 2);
    assert.equal(nextOffset('unsure', items), 1);
    assert.equal(nextOffset('reviewed', items), 1);
    // Reviewing does not take a photo off the server's "unknown" list.
    assert.equal(nextOffset('unknown', items), 3);
    assert.equal(hasMore('all', { ...first, items }), true);
    assert.equal(hasMore('all', { ...first, items, total: 3 }), false);
  });

  void it('stays within the list when moving, and re-flags unsure photos locally', () => {
    assert.equal(move(first, -1), first);
    assert.equal(move(first, 10).index, 3);
    const flagged = withThreshold(
      mergePage(EMPTY_QUEUE, {
        total: 3,
        items: [
          item(1, { probability: 0.4 }),
          item(2, { probability: 0.8 }),
          item(3, { probability: 0.3, review: 'skipped' }),
        ],
      }),
      0.5,
    );
    assert.deepEqual(
      flagged.items.map((i) => i.unsure),
      [true, false, false],
    );
  });
});

void describe('offline basemap', () => {
  void it('decodes quantized, delta-encoded arcs and stitches reversed ones', () => {
    const topology: Topology = {
      type: 'Topology',
      transform: { scale: [0.5, 2], translate: [-10, 5] },
      arcs: [
        [
          [0, 0],
          [2, 0],
          [0, 1],
        ],
        [
          [0, 0],
          [2, 1],
        ],
      ],
      objects: { land: { type: 'Polygon', arcs: [[0, ~1]] } },
    };
    // Arc 1 walked backwards joins arc 0's end and closes the ring; the shared point is kept once.
    assert.deepEqual(topologyRings(topology, 'land'), [
      [
        [-10, 5],
        [-9, 5],
        [-9, 7],
        [-10, 5],
      ],
    ]);
    assert.deepEqual(topologyRings(topology, 'sea'), []);
  });

  // Ray casting: a point is inside a ring when a ray from it crosses the ring an odd number of times.
  const inside = (ring: Ring, lon: number, lat: number): boolean => {
    let hit = false;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i] ?? [0, 0];
      const [xj, yj] = ring[j] ?? [0, 0];
      if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) hit = !hit;
    }
    return hit;
  };

  void it('reads the bundled Natural Earth land: cities on land, oceans open', () => {
    const rings = topologyRings(land as unknown as Topology, 'land');
    assert.ok(rings.length > 100, `${rings.length} rings`);
    for (const ring of rings) {
      for (const [lon, lat] of ring) {
        assert.ok(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90, `${lon},${lat}`);
      }
    }
    const onLand = (lat: number, lon: number): boolean =>
      rings.filter((r) => inside(r, lon, lat)).length % 2 === 1;
    assert.equal(onLand(48.8566, 2.3522), true, 'Paris');
    assert.equal(onLand(-33.87, 151.0), true, 'Sydney (just inland)');
    assert.equal(onLand(35.68, 139.69), true, 'Tokyo');
    assert.equal(onLand(30, -40), false, 'the middle of the Atlantic');
    assert.equal(onLand(0, -150), false, 'the Pacific');
    const d = landPath();
    assert.match(d, /^M[\d.]+ [\d.]+L/);
    assert.equal(d, landPath(), 'built once, the same every time');
  });

  void it('lifts the pen where a ring runs along the date line', () => {
    const path = ringToPath([
      [170, 60],
      [179, 62],
      [-179, 62],
      [-170, 60],
    ]);
    assert.equal(path, 'M350.00 30.00L359.00 28.00M1.00 28.00L10.00 30.00Z');
    assert.equal(ringToPath([]), '');
  });
});

void describe('zoom and pan', () => {
  void it('projects equirectangularly onto the 360 × 180 plane', () => {
    assert.deepEqual(project(0, 0), { x: 180, y: 90 });
    assert.deepEqual(project(90, -180), { x: 0, y: 0 });
  });

  void it('zooms about the pointer, keeping the point under it in place', () => {
    const v = zoomAt(WORLD_VIEW, 2, 100, 50);
    assert.equal(v.k, 2);
    // The world point under (100, 50) before is still under it after.
    assert.equal((100 - v.x) / v.k, 100);
    assert.equal((50 - v.y) / v.k, 50);
    const back = zoomAt(v, 0.5, 100, 50);
    assert.deepEqual(back, WORLD_VIEW);
  });

  void it('keeps the world covering the frame and the zoom within its bounds', () => {
    assert.deepEqual(panBy(WORLD_VIEW, 30, -20), WORLD_VIEW, 'nothing to pan at zoom 1');
    const v = clampView({ k: 4, x: 0, y: 0 });
    assert.deepEqual(panBy(v, 50, 50), v, 'no empty band left or above');
    assert.deepEqual(panBy(v, -5000, -5000), { k: 4, x: 360 - 1440, y: 180 - 720 });
    assert.equal(zoomAt(WORLD_VIEW, 1000, 0, 0).k, 40);
    assert.equal(zoomAt(WORLD_VIEW, 0.1, 0, 0).k, 1);
  });

  void it('zooms in for a wheel turned forward and out for one turned back', () => {
    assert.ok(wheelFactor(-100) > 1);
    assert.ok(wheelFactor(100) < 1);
    assert.equal(wheelFactor(0), 1);
    assert.equal(wheelFactor(-100000), wheelFactor(-300), 'one huge event is bounded');
  });

  void it('frames a set of cities', () => {
    assert.deepEqual(fitView([]), WORLD_VIEW);
    const europe = [
      { lat: 48.86, lon: 2.35 },
      { lat: 51.51, lon: -0.13 },
    ];
    const v = fitView(europe);
    assert.ok(v.k > 4 && v.k <= 8, `zoomed in on Europe, within the limit (${v.k})`);
    assert.equal(fitView([{ lat: 0, lon: 0 }]).k, 7.5, 'one city: the margin decides');
    for (const c of europe) {
      const p = project(c.lat, c.lon);
      const sx = p.x * v.k + v.x;
      const sy = p.y * v.k + v.y;
      assert.ok(sx > 0 && sx < 360 && sy > 0 && sy < 180, `${sx},${sy} in the frame`);
    }
  });
});

void describe('circle scales', () => {
  void it('makes the area proportional to the count', () => {
    assert.equal(circleRadius(100, 100), MAX_RADIUS);
    const r25 = circleRadius(25, 100);
    assert.ok(Math.abs((r25 / MAX_RADIUS) ** 2 - 0.25) < 1e-12);
    assert.equal(circleRadius(1, 10_000), MIN_RADIUS, 'a single photo stays visible');
    assert.equal(circleRadius(0, 10), 0);
  });

  void it('colours confidence on one ramp, clamped, that the legend shares', () => {
    assert.equal(confidenceColour(0), '#440154');
    assert.equal(confidenceColour(1), '#bedc28');
    assert.equal(confidenceColour(0.5), '#21918c');
    assert.equal(confidenceColour(-3), confidenceColour(0));
    assert.equal(confidenceColour(7), confidenceColour(1));
    assert.equal(confidenceColour(Number.NaN), confidenceColour(0));
    assert.notEqual(confidenceColour(0.3), confidenceColour(0.35));
    assert.deepEqual(
      legendStops(3).map((s) => s.colour),
      [0, 0.5, 1].map(confidenceColour),
    );
    assert.deepEqual(sizeLegend(40), [40, 10, 1]);
    assert.deepEqual(sizeLegend(2), [2, 1]);
    assert.deepEqual(sizeLegend(0), []);
  });

  void it('says the right and wrong GPS counts in the tooltip', () => {
    const c = {
      city: 'Paris',
      country: 'France',
      count: 12,
      meanConfidence: 0.814,
      correct: 5,
      wrong: 1,
    };
    assert.equal(
      cityTooltip(c),
      'Paris, France · 12 photos · mean confidence 81% · GPS: 5 right, 1 wrong',
    );
    assert.equal(
      cityTooltip({ ...c, count: 1, correct: 0, wrong: 0 }),
      'Paris, France · 1 photo · mean confidence 81%',
    );
  });
});
