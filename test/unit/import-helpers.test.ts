import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { cityKey, matchCityName } from '../../src/main/core/import/city-match';
import { readManifest } from '../../src/main/core/import/csv';
import { jpegOrientation, jpegSize } from '../../src/main/platform/image/image-header';
import { decodeUtf8, escapeBytes, extensionOf } from '../../src/main/core/import/file-names';

describe('import helpers', () => {
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

  it('jpegOrientation: the EXIF tag in either byte order; odd or broken blocks give null', () => {
    /** SOI, an APP1 EXIF segment with one IFD0 entry, then SOF0 of a 4x2 image. */
    const jpegWith = (order: 'II' | 'MM', tag: number, type: number, value: number): Buffer => {
      const le = order === 'II';
      const u16 = (n: number): Buffer => {
        const b = Buffer.alloc(2);
        if (le) b.writeUInt16LE(n);
        else b.writeUInt16BE(n);
        return b;
      };
      const u32 = (n: number): Buffer => {
        const b = Buffer.alloc(4);
        if (le) b.writeUInt32LE(n);
        else b.writeUInt32BE(n);
        return b;
      };
      const tiff = Buffer.concat([
        Buffer.from(order, 'latin1'),
        u16(42),
        u32(8),
        u16(1),
        u16(tag),
        u16(type),
        u32(1),
        u16(value),
        u16(0),
        u32(0),
      ]);
      const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
      const app1 = Buffer.concat([Buffer.from([0xff, 0xe1]), Buffer.alloc(2), body]);
      app1.writeUInt16BE(body.length + 2, 2);
      const sof = Buffer.from([0xff, 0xc0, 0, 11, 8, 0, 2, 0, 4, 3, 1, 0x22, 0]);
      return Buffer.concat([Buffer.from([0xff, 0xd8]), app1, sof]);
    };
    for (const order of ['II', 'MM'] as const) {
      for (let v = 1; v <= 8; v++) assert.equal(jpegOrientation(jpegWith(order, 0x0112, 3, v)), v);
      assert.equal(jpegOrientation(jpegWith(order, 0x0112, 3, 9)), null, 'out of range');
      assert.equal(jpegOrientation(jpegWith(order, 0x0112, 4, 6)), null, 'not a SHORT');
      assert.equal(jpegOrientation(jpegWith(order, 0x010f, 3, 6)), null, 'another tag');
    }
    const broken = jpegWith('II', 0x0112, 3, 6);
    broken.writeUInt32LE(0xfffffff0, 16); // IFD0 offset (SOI, APP1 head, "Exif", "II", 42) far past the end
    assert.equal(jpegOrientation(broken), null);
    assert.equal(jpegOrientation(broken.subarray(0, 20)), null, 'cut short');
    assert.equal(jpegOrientation(Buffer.from('not a jpeg')), null);
    assert.deepEqual(jpegSize(jpegWith('MM', 0x0112, 3, 6)), { width: 4, height: 2 });
  });

  it('jpegOrientation agrees with libvips on JPEGs sharp writes with each orientation', async () => {
    for (let v = 1; v <= 8; v++) {
      const jpeg = await sharp({
        create: { width: 6, height: 4, channels: 3, background: '#808080' },
      })
        .withMetadata({ orientation: v })
        .jpeg()
        .toBuffer();
      assert.equal(jpegOrientation(jpeg), (await sharp(jpeg).metadata()).orientation ?? null);
      assert.equal(jpegOrientation(jpeg), v);
    }
  });
});
