import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { exifSamples, importAll, needFixtures, openStudio, sanityDir } from './helpers';

/** Real camera files from ../shared/fixtures, read in place. */
describe('import: real camera files (shared fixtures)', () => {
  it('applies EXIF orientation: every landscape_* is wider than tall', async (t) => {
    if (!needFixtures(t)) return;
    const studio = await openStudio(t);
    const dir = join(exifSamples, 'jpg', 'orientation');
    const { report } = await importAll(studio.client, { paths: [dir] });
    const files = readdirSync(dir).filter((f) => f.endsWith('.jpg'));
    assert.equal(report.imported, files.length);
    const page = await studio.client.call('images.list', { limit: 100 });
    for (const image of page.items) {
      const name = image.path.slice(dir.length + 1);
      if (name.startsWith('landscape_')) {
        assert.ok(image.width > image.height, `${name}: ${image.width}x${image.height}`);
      } else {
        assert.ok(image.height > image.width, `${name}: ${image.width}x${image.height}`);
      }
    }
    // The norm images are upright too: every file shows the same scene, so once oriented each
    // norm matches the one of the file stored upright (orientation 1), and differs from it turned.
    const norms = new Map<string, Buffer>();
    for (const image of page.items) {
      const file = (await studio.core.assetPath('norm', image.id)) as string;
      norms.set(image.path.slice(dir.length + 1), await sharp(file).raw().toBuffer());
    }
    const meanDiff = (a: Buffer, b: Buffer): number => {
      let sum = 0;
      for (let i = 0; i < a.length; i++) sum += Math.abs((a[i] as number) - (b[i] as number));
      return sum / a.length;
    };
    for (const kind of ['landscape', 'portrait']) {
      const upright = norms.get(`${kind}_1.jpg`) as Buffer;
      const turned = await sharp(upright, { raw: { width: 256, height: 256, channels: 3 } })
        .rotate(90)
        .raw()
        .toBuffer();
      assert.ok(meanDiff(upright, turned) > 20, 'the scene is not symmetric under a turn');
      for (const [name, pixels] of norms) {
        if (name.startsWith(kind)) assert.ok(meanDiff(upright, pixels) < 8, name);
      }
    }
  });

  it('labels the Tuscany GPS photos with a city added for them (Arezzo)', async (t) => {
    if (!needFixtures(t)) return;
    const studio = await openStudio(t);
    await studio.client.call('cities.add', {
      name: 'Arezzo',
      country: 'Italy',
      lat: 43.4633,
      lon: 11.8796,
      radiusKm: 10,
    });
    const { report } = await importAll(studio.client, { paths: [join(exifSamples, 'jpg', 'gps')] });
    assert.equal(report.imported, 9);
    assert.equal(report.labeled, 9);
    const page = await studio.client.call('images.list', { city: 'Arezzo' });
    assert.equal(page.total, 9);
    for (const image of page.items) {
      assert.equal(image.labelSource, 'gps');
      assert.ok((image.lat as number) > 43.46 && (image.lat as number) < 43.47, String(image.lat));
      assert.ok((image.lon as number) > 11.87 && (image.lon as number) < 11.89, String(image.lon));
      assert.match(image.takenAt ?? '', /^2008-10-2\dT/);
    }
  });

  it('labels photos already imported when their city is added later', async (t) => {
    if (!needFixtures(t)) return;
    const studio = await openStudio(t);
    await importAll(studio.client, { paths: [join(exifSamples, 'jpg', 'gps')] });
    assert.equal((await studio.client.call('library.stats', {})).labeled, 0);
    await studio.client.call('cities.add', {
      name: 'Arezzo',
      lat: 43.4633,
      lon: 11.8796,
      radiusKm: 10,
    });
    const stats = await studio.client.call('library.stats', {});
    assert.equal(stats.labeled, 9);
    assert.equal(stats.labelSources.gps, 9);
    assert.equal(stats.cities.Arezzo, 9);
    // Labeled photos also get their split.
    assert.equal(stats.splits.train + stats.splits.val + stats.splits.test, 9);
  });

  it('decodes the iPhone HEIC with heic-decode and keeps its GPS', async (t) => {
    if (!needFixtures(t)) return;
    const studio = await openStudio(t);
    // Kansas City is in no paper city: add one so the HEIC's GPS label shows up.
    await studio.client.call('cities.add', {
      name: 'Kansas City',
      lat: 39.0997,
      lon: -94.5786,
      radiusKm: 40,
    });
    const { report } = await importAll(studio.client, { paths: [join(exifSamples, 'heic')] });
    assert.deepEqual(report.errors, []);
    assert.equal(report.imported, 2);
    const page = await studio.client.call('images.list', { search: 'IMG_5195' });
    const image = page.items[0];
    assert.ok(image !== undefined);
    assert.deepEqual([image.width, image.height], [2566, 3313]);
    assert.deepEqual([image.city, image.labelSource], ['Kansas City', 'gps']);
    assert.ok(Math.abs((image.lat as number) - 39.05134) < 1e-4);
    assert.ok(Math.abs((image.lon as number) + 94.28877) < 1e-4);
    assert.equal((await studio.client.call('images.get', { id: image.id })).format, 'heic');
    const norm = await sharp((await studio.core.assetPath('norm', image.id)) as string).metadata();
    assert.deepEqual([norm.width, norm.height], [256, 256]);
  });

  it('imports photos with broken or odd EXIF blocks (no crash, no GPS)', async (t) => {
    if (!needFixtures(t)) return;
    const studio = await openStudio(t);
    const paths = [
      join(exifSamples, 'jpg', 'invalid'),
      join(exifSamples, 'jpg', 'tests', '35-empty.jpg'),
      join(exifSamples, 'jpg', 'tests', '45-gps_ifd.jpg'),
      join(exifSamples, 'jpg', 'xmp'),
      sanityDir,
    ];
    const { report } = await importAll(studio.client, { paths });
    assert.deepEqual(report.errors, []);
    assert.equal(report.imported, 7 + 2 + 2 + 3);
    const withGps = await studio.client.call('images.list', { search: '45-gps_ifd' });
    assert.equal(withGps.items[0]?.lat, null);
  });
});
