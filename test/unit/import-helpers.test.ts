import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cityKey, matchCityName } from '../../src/main/core/import/city-match';
import { parseCsv, readManifest } from '../../src/main/core/import/csv';
import { halve } from '../../src/main/core/import/downscale';
import { decodeUtf8, escapeBytes, extensionOf } from '../../src/main/core/import/file-names';

describe('import helpers', () => {
  it('parseCsv: quotes, escaped quotes, newlines in quotes, CRLF, BOM, blank lines', () => {
    const text = '\ufeffa,b\r\n"x, y","say ""hi"""\n\n"multi\nline",z\nlast,';
    assert.deepEqual(parseCsv(text), [
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['x, y', 'say "hi"'] },
      { line: 4, cells: ['multi\nline', 'z'] },
      { line: 6, cells: ['last', ''] },
    ]);
  });

  it('readManifest: both forms, header names, relative paths, bad rows', () => {
    const withHeader = readManifest('/data/m.csv', 'File,Label\nimg/a.jpg,Paris\n/abs/b.jpg,\n');
    assert.deepEqual(withHeader.errors, []);
    assert.deepEqual(withHeader.entries, [
      { path: '/data/img/a.jpg', line: 2, city: 'Paris', position: null },
      { path: '/abs/b.jpg', line: 3, city: null, position: null },
    ]);
    const positions = readManifest(
      '/d/p.csv',
      'a.jpg,48.85,2.35\nb.jpg,-33.9,151.2\nc.jpg,1,2,3\nd.jpg,north,east\n',
    );
    assert.deepEqual(
      positions.entries.map((e) => [e.path, e.position]),
      [
        ['/d/a.jpg', { lat: 48.85, lon: 2.35 }],
        ['/d/b.jpg', { lat: -33.9, lon: 151.2 }],
      ],
    );
    assert.deepEqual(
      positions.errors.map((e) => e.path),
      ['/d/p.csv:3', '/d/p.csv:4'],
    );
    const headerLatLon = readManifest('/d/q.csv', 'path,latitude,longitude\nx.jpg,91,0\n');
    assert.match(headerLatLon.errors[0]?.reason ?? '', /not a valid latitude,longitude/);
    const noColumns = readManifest('/d/r.csv', 'path,notes\nx.jpg,hello\n');
    assert.match(noColumns.errors[0]?.reason ?? '', /neither a city column nor lat and lon/);
  });

  it('city names match loosely: case, separators, accents', () => {
    assert.equal(cityKey('New York'), cityKey('new_york'));
    assert.equal(cityKey('new-york'), 'newyork');
    assert.equal(cityKey('Zürich'), 'zurich');
    const names = ['New York', 'Washington DC', 'Rio de Janeiro'];
    assert.equal(matchCityName('NEW.YORK', names), 'New York');
    assert.equal(matchCityName('washington_dc', names), 'Washington DC');
    assert.equal(matchCityName('rio-de-janeiro', names), 'Rio de Janeiro');
    assert.equal(matchCityName('york', names), null);
    assert.equal(matchCityName('---', names), null);
  });

  it('file names: extensions from bytes, strict UTF-8, readable escapes', () => {
    assert.equal(extensionOf(Buffer.from('IMG_1.JPG')), 'jpg');
    assert.equal(extensionOf(Buffer.from('.hidden')), '');
    assert.equal(extensionOf(Buffer.from('noext')), '');
    assert.equal(decodeUtf8(Buffer.from('café.jpg')), 'café.jpg');
    const latin1 = Buffer.concat([
      Buffer.from('caf'),
      Buffer.from([0xe9]),
      Buffer.from('/ok-é.jpg'),
    ]);
    assert.equal(decodeUtf8(latin1), null);
    assert.equal(escapeBytes(latin1), 'caf\\xe9/ok-é.jpg');
    assert.equal(escapeBytes(Buffer.from([0xf0, 0x9f, 0x93, 0xb7, 0xff])), '📷\\xff');
  });

  it('halve: 2x2 box average, centre crop of extreme panoramas', () => {
    const data = Buffer.from([
      0, 10, 20, 30, 100, 110, 120, 130, 200, 210, 220, 230, 40, 50, 60, 70,
    ]);
    // 4x2 image, 2 channels: pixels (0,10) (20,30) (100,110) (120,130) / (200,210) (220,230) (40,50) (60,70)
    const out = halve({ data, width: 4, height: 2, channels: 2 });
    assert.deepEqual([out.width, out.height, out.channels], [2, 1, 2]);
    assert.deepEqual([...out.data], [110, 120, 80, 90]);
    // The RGB fast path agrees with the general path (checked via a 4-channel copy with alpha 0).
    const rgb = Buffer.from(Array.from({ length: 6 * 4 * 3 }, (_, i) => (i * 37) % 256));
    const rgba = Buffer.alloc(6 * 4 * 4);
    for (let p = 0; p < 24; p++) rgb.copy(rgba, p * 4, p * 3, p * 3 + 3);
    const fast = halve({ data: rgb, width: 6, height: 4, channels: 3 });
    const general = halve({ data: rgba, width: 6, height: 4, channels: 4 });
    assert.deepEqual([fast.width, fast.height], [3, 2]);
    assert.deepEqual(
      [...fast.data],
      [...general.data].filter((_, i) => i % 4 !== 3),
    );
    const wide = halve({
      data: Buffer.alloc(1000 * 10 * 3, 9),
      width: 1000,
      height: 10,
      channels: 3,
    });
    assert.deepEqual([wide.width, wide.height], [20, 5]);
    assert.ok(wide.data.every((v) => v === 9));
  });
});
