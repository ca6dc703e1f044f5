// Pure logic behind the Library screen's extras (no DOM): type-ahead, grid geometry, map, filters.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { methods } from '../../src/shared/contract/methods';
import { listParams, NO_FILTERS } from '../../src/renderer/features/library/filters';
import {
  gridLayout,
  visibleRows,
  CAPTION_PX,
  GAP_PX,
} from '../../src/renderer/features/library/grid-layout';
import { isTypeAheadKey, matchCities } from '../../src/renderer/features/library/type-ahead';
import { nearestCity, project } from '../../src/renderer/features/library/world-map';
import { PAPER_CITIES } from '../../src/shared/domain/cities';

const NAMES = PAPER_CITIES.map((c) => c.name);

describe('library screen logic', () => {
  it('type-ahead: prefix first, then word prefix, then substring; case and accents ignored', () => {
    // Barcelona only contains "lon", so it comes after London, which starts with it.
    assert.deepEqual(matchCities('lon', NAMES), ['London', 'Barcelona']);
    assert.deepEqual(matchCities('LON', NAMES), ['London', 'Barcelona']);
    assert.deepEqual(matchCities('york', NAMES), ['New York']);
    assert.deepEqual(matchCities('new y', NAMES), ['New York']);
    assert.deepEqual(matchCities('s', NAMES).slice(0, 2), ['San Francisco', 'Sydney']);
    assert.deepEqual(matchCities('  ', NAMES), []);
    assert.deepEqual(matchCities('xyz', NAMES), []);
    assert.deepEqual(matchCities('sao', ['São Paulo', 'Lisbon']), ['São Paulo']);
    // "o" starts Oslo, then words of nothing else, then every name containing it, in list order.
    assert.deepEqual(matchCities('o', ['Rome', 'Oslo', 'Porto']), ['Oslo', 'Rome', 'Porto']);
    assert.deepEqual(matchCities('ris', ['Paris', 'Rio']), ['Paris']);
    assert.ok(isTypeAheadKey('a') && isTypeAheadKey('É') && isTypeAheadKey(' '));
    assert.ok(!isTypeAheadKey('1') && !isTypeAheadKey('Enter') && !isTypeAheadKey('/'));
  });

  it('grid geometry: columns from the width, fixed rows, visible band with overscan', () => {
    const layout = gridLayout(1000);
    assert.equal(layout.columns, 7); // 7 × 120 + 6 × 10 = 900 ≤ 1000 < 8 × 120 + 7 × 10
    assert.ok(Math.abs(layout.cellWidth * 7 + GAP_PX * 6 - 1000) < 1e-9);
    assert.equal(layout.rowHeight, Math.round(layout.cellWidth + CAPTION_PX + GAP_PX));
    assert.equal(gridLayout(50).columns, 1);
    assert.deepEqual(visibleRows(0, 500, 100, 50, 2), { first: 0, end: 7 });
    assert.deepEqual(visibleRows(1000, 1500, 100, 50, 2), { first: 8, end: 17 });
    assert.deepEqual(visibleRows(4800, 5600, 100, 50, 2), { first: 46, end: 50 });
    assert.deepEqual(visibleRows(0, 0, 100, 0, 2), { first: 0, end: 0 });
  });

  it('map: equirectangular projection and the nearest library city', () => {
    assert.deepEqual(project(90, -180), { x: 0, y: 0 });
    assert.deepEqual(project(0, 0), { x: 180, y: 90 });
    assert.deepEqual(project(-90, 180), { x: 360, y: 180 });
    const near = nearestCity({ lat: 48.9, lon: 2.4 }, PAPER_CITIES);
    assert.equal(near?.city.name, 'Paris');
    assert.ok(near !== null && near.km < 10);
    assert.equal(nearestCity({ lat: 0, lon: 0 }, []), null);
  });

  it('prediction filters reach images.list as ratios, only when set, in order', () => {
    const plain = listParams(NO_FILTERS, null, 10);
    assert.ok(!('predicted' in plain) && !('minConfidence' in plain));
    const params = listParams(
      {
        ...NO_FILTERS,
        predicted: 'Paris',
        correctness: 'wrong',
        minConfidencePct: 90,
        maxConfidencePct: 20,
      },
      null,
      10,
    );
    assert.equal(params.predicted, 'Paris');
    assert.equal(params.correctness, 'wrong');
    assert.deepEqual([params.minConfidence, params.maxConfidence], [0.2, 0.9]);
    assert.ok(methods['images.list'].params.safeParse(params).success);
    const clamped = listParams({ ...NO_FILTERS, minConfidencePct: 150 }, null, 10);
    assert.equal(clamped.minConfidence, 1);
  });
});
