import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collectMethods } from '../../src/shared/contract/collect-methods';
import { collectParams, INITIAL_FORM } from '../../src/renderer/features/collect/collect-form';

describe('Collect form (renderer logic)', () => {
  it('turns the typed form into valid collect.start parameters', () => {
    const params = collectParams({
      ...INITIAL_FORM,
      cities: ['Paris'],
      count: '12',
      size: '320 x 240',
      headings: '0, 90,180',
      seed: '7',
      bbox: '2.25,48.81,2.42,48.90',
    });
    assert.deepEqual(params, {
      provider: 'streetview',
      bbox: [2.25, 48.81, 2.42, 48.9],
      cities: ['Paris'],
      count: 12,
      radiusKm: 25,
      width: 320,
      height: 240,
      fov: 90,
      headings: [0, 90, 180],
      pitch: 0,
      ratePerSecond: 5,
      seed: 7,
    });
    assert.equal(collectMethods['collect.start'].params.safeParse(params).success, true);
    const defaults = collectParams({ ...INITIAL_FORM, cities: ['Paris', 'London'] });
    assert.deepEqual([defaults.headings, defaults.seed, defaults.bbox], ['random', null, null]);
  });

  it('says what to fix', () => {
    const base = { ...INITIAL_FORM, cities: ['Paris'] };
    assert.throws(() => collectParams({ ...INITIAL_FORM }), /at least one city/);
    assert.throws(() => collectParams({ ...base, count: '0' }), /Photos per city/);
    assert.throws(() => collectParams({ ...base, count: '2.5' }), /whole number/);
    assert.throws(
      () => collectParams({ ...base, size: '1000x1000' }),
      /Width must be a whole number from 16 to 640/,
    );
    assert.throws(() => collectParams({ ...base, size: 'big' }), /256x256 \(at most 640x640\)/);
    assert.throws(() => collectParams({ ...base, headings: 'north' }), /heading/);
    assert.throws(() => collectParams({ ...base, bbox: '1,2,3' }), /minLon,minLat/);
    assert.throws(() => collectParams({ ...base, bbox: '3,2,1,4' }), /min < max/);
    assert.throws(
      () => collectParams({ ...base, cities: ['Paris', 'London'], bbox: '1,2,3,4' }),
      /one city/,
    );
  });
});
