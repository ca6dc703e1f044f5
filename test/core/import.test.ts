import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import sharp from 'sharp';
import type { ImagePage, ImageSummary } from '../../src/shared/contract/library-types';
import { splitForKey } from '../../src/shared/domain/splits';
import { importAll, makeJpeg, openStudio, suiteCleanup, tempDir, type Studio } from './helpers';

const sha256 = (path: string): string =>
  createHash('sha256').update(readFileSync(path)).digest('hex');

async function allImages(studio: Studio): Promise<ImageSummary[]> {
  const out: ImageSummary[] = [];
  let cursor: number | null = null;
  do {
    const page: ImagePage = await studio.client.call('images.list', { cursor, limit: 1000 });
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return out;
}

describe('import: folders, labels, cache, idempotence', () => {
  let studio: Studio;
  let photos: string;
  let seed = 1;

  const cleanup = suiteCleanup();
  before(async () => {
    studio = await openStudio(cleanup);
    photos = tempDir(cleanup, 'lp-photos-');
    // City sub-folders in several spellings, one unknown folder, one nested folder.
    await makeJpeg(join(photos, 'Paris', 'a.jpg'), { seed: seed++ });
    await makeJpeg(join(photos, 'Paris', 'deeper', 'b.jpeg'), {
      seed: seed++,
      width: 300,
      height: 200,
    });
    await makeJpeg(join(photos, 'new_york', 'c.JPG'), { seed: seed++ });
    await makeJpeg(join(photos, 'new-york', 'd.jpg'), { seed: seed++ });
    await makeJpeg(join(photos, 'WASHINGTON DC', 'e.jpg'), { seed: seed++ });
    await makeJpeg(join(photos, 'holiday', 'f.jpg'), { seed: seed++ });
    // GPS inside Sydney's radius, no folder label: labeled 'gps'.
    await makeJpeg(join(photos, 'holiday', 'g.jpg'), {
      seed: seed++,
      gps: { lat: -33.87, lon: 151.21 },
    });
    // A PNG with alpha is accepted too.
    await sharp({
      create: {
        width: 40,
        height: 30,
        channels: 4,
        background: { r: 9, g: 99, b: 199, alpha: 0.5 },
      },
    })
      .png()
      .toFile(join(photos, 'holiday', 'h.png'));
    // Ignored silently: other extensions and hidden files.
    writeFileSync(join(photos, 'holiday', 'notes.txt'), 'not a photo');
    writeFileSync(join(photos, 'holiday', '.hidden.jpg'), 'not a photo either');
  });

  it('labels from folder names, GPS and nothing; writes cache files; leaves originals alone', async () => {
    const before = new Map(
      ['Paris/a.jpg', 'holiday/g.jpg'].map((p) => [p, sha256(join(photos, p))]),
    );
    const { report, events } = await importAll(studio.client, { paths: [photos] });
    assert.deepEqual(
      { ...report, durationMs: 0 },
      {
        imported: 8,
        duplicates: 0,
        skipped: 0,
        alreadyPresent: 0,
        labeled: 6,
        errors: [],
        duplicateOf: [],
        durationMs: 0,
      },
    );
    assert.ok(events.some((e) => e.type === 'progress' && e.done === 8 && e.total === 8));
    assert.equal(events.at(-1)?.type, 'done');

    const byName = new Map(
      (await allImages(studio)).map((i) => [i.path.slice(photos.length + 1), i]),
    );
    const label = (name: string) => [byName.get(name)?.city, byName.get(name)?.labelSource];
    assert.deepEqual(label('Paris/a.jpg'), ['Paris', 'folder']);
    assert.deepEqual(label('Paris/deeper/b.jpeg'), ['Paris', 'folder']);
    assert.deepEqual(label('new_york/c.JPG'), ['New York', 'folder']);
    assert.deepEqual(label('new-york/d.jpg'), ['New York', 'folder']);
    assert.deepEqual(label('WASHINGTON DC/e.jpg'), ['Washington DC', 'folder']);
    assert.deepEqual(label('holiday/f.jpg'), [null, null]);
    assert.deepEqual(label('holiday/g.jpg'), ['Sydney', 'gps']);
    assert.deepEqual(label('holiday/h.png'), [null, null]);

    const g = byName.get('holiday/g.jpg') as ImageSummary;
    assert.ok(
      Math.abs((g.lat as number) + 33.87) < 1e-4 && Math.abs((g.lon as number) - 151.21) < 1e-4,
    );
    assert.equal(g.takenAt, '2021-06-01T12:00:00');
    const b = byName.get('Paris/deeper/b.jpeg') as ImageSummary;
    assert.deepEqual([b.width, b.height], [300, 200]);

    // Labeled images get the split their content hash gives under the library config; others none.
    const detail = await studio.client.call('images.get', { id: b.id });
    assert.equal(detail.format, 'jpeg');
    assert.equal(detail.contentHash, sha256(join(photos, 'Paris/deeper/b.jpeg')));
    assert.equal(detail.source, `folder:${photos}`);
    assert.deepEqual(
      detail.labels.map((l) => [l.city, l.source]),
      [['Paris', 'folder']],
    );
    assert.equal(
      b.split,
      splitForKey(1, detail.contentHash, { train: 0.9, val: 0.05, test: 0.05 }),
    );
    assert.equal(byName.get('holiday/f.jpg')?.split, null);
    assert.equal(
      (await studio.client.call('images.get', { id: byName.get('holiday/h.png')!.id })).format,
      'png',
    );

    // Cache files: the 256x256 normalised image now; the 128x128 thumbnail when first asked for.
    const thumbFile = join(studio.dir, 'cache', 'thumb', detail.contentHash.slice(0, 2));
    assert.equal(existsSync(join(thumbFile, `${detail.contentHash}.jpg`)), false);
    const norm = await studio.core.assetPath('norm', b.id);
    const [thumb, again] = await Promise.all([
      studio.core.assetPath('thumb', b.id),
      studio.core.assetPath('thumb', b.id),
    ]);
    assert.ok(norm !== null && thumb !== null);
    assert.equal(again, thumb, 'two requests at once share one thumbnail');
    assert.ok(norm.startsWith(join(studio.dir, 'cache', 'norm', detail.contentHash.slice(0, 2))));
    assert.equal(thumb, join(thumbFile, `${detail.contentHash}.jpg`));
    assert.deepEqual(
      await sharp(norm)
        .metadata()
        .then((m) => [m.format, m.width, m.height]),
      ['jpeg', 256, 256],
    );
    assert.deepEqual(
      await sharp(thumb)
        .metadata()
        .then((m) => [m.format, m.width, m.height]),
      ['jpeg', 128, 128],
    );
    // The thumbnail is the norm image halved: the same picture, at a quarter of the pixels.
    const [normSmall, thumbPixels] = await Promise.all([
      sharp(norm).resize(128, 128).raw().toBuffer(),
      sharp(thumb).raw().toBuffer(),
    ]);
    let diff = 0;
    for (let i = 0; i < thumbPixels.length; i++) {
      diff += Math.abs((thumbPixels[i] as number) - (normSmall[i] as number));
    }
    assert.ok(diff / thumbPixels.length < 4, `mean difference ${diff / thumbPixels.length}`);
    assert.equal(await studio.core.assetPath('thumb', 999_999), null);

    for (const [p, hash] of before)
      assert.equal(sha256(join(photos, p)), hash, `${p} was modified`);
    assert.ok(
      studio.events.some((e) => e.channel === 'library' && e.payload.what === 'images'),
      'a library changed event tells the UI to refresh',
    );
  });

  it('is idempotent: a second run finds everything already present', async () => {
    const { report } = await importAll(studio.client, { paths: [photos] });
    assert.equal(report.imported, 0);
    assert.equal(report.alreadyPresent, 8);
    assert.equal(report.duplicates, 0);
    assert.equal((await studio.client.call('library.stats', {})).images, 8);
  });

  it('reports duplicates (same bytes, other path) without importing them twice', async (t) => {
    const more = tempDir(t, 'lp-dups-');
    copyFileSync(join(photos, 'Paris', 'a.jpg'), join(more, 'copy-of-a.jpg'));
    copyFileSync(join(photos, 'Paris', 'a.jpg'), join(more, 'copy-2.jpg'));
    await makeJpeg(join(more, 'new.jpg'), { seed: 500 });
    const { report } = await importAll(studio.client, { paths: [more] });
    assert.equal(report.imported, 1);
    assert.equal(report.duplicates, 2);
    assert.deepEqual(report.duplicateOf.map((d) => [d.path, d.existingPath]).sort(), [
      [join(more, 'copy-2.jpg'), join(photos, 'Paris', 'a.jpg')],
      [join(more, 'copy-of-a.jpg'), join(photos, 'Paris', 'a.jpg')],
    ]);
    assert.equal((await studio.client.call('library.stats', {})).images, 9);
  });

  it('reports a duplicate whose folder names another city than the library copy (#14)', async (t) => {
    const root = tempDir(t, 'lp-dup-labels-');
    for (const city of ['London', 'Paris', 'Sydney']) mkdirSync(join(root, city));
    copyFileSync(join(photos, 'Paris', 'a.jpg'), join(root, 'London', 'a-again.jpg'));
    copyFileSync(join(photos, 'Paris', 'a.jpg'), join(root, 'Paris', 'a-same.jpg'));
    // Two new copies of one photo in one run, in two cities' folders.
    const fresh = await makeJpeg(join(root, 'London', 'b.jpg'), { seed: 550 });
    copyFileSync(fresh, join(root, 'Sydney', 'b.jpg'));
    const { report } = await importAll(studio.client, { paths: [root] });
    assert.equal(report.imported, 1);
    const conflicts = Object.fromEntries(
      report.duplicateOf.map((d) => [d.path.slice(root.length + 1), d.labelConflict ?? null]),
    );
    assert.deepEqual(conflicts, {
      'London/a-again.jpg':
        'same photo labeled London here and Paris in the library; the library keeps Paris',
      'Paris/a-same.jpg': null,
      'Sydney/b.jpg':
        'same photo labeled Sydney here and London in the library; the library keeps London',
    });
  });

  it('counts a touched but unchanged file as present, and refuses a changed one', async (t) => {
    const dir = tempDir(t, 'lp-touch-');
    const file = await makeJpeg(join(dir, 'x.jpg'), { seed: 600 });
    assert.equal((await importAll(studio.client, { paths: [file] })).report.imported, 1);
    writeFileSync(file, readFileSync(file)); // same bytes, new mtime
    assert.equal((await importAll(studio.client, { paths: [file] })).report.alreadyPresent, 1);
    await makeJpeg(file, { seed: 601, width: 50 });
    const { report } = await importAll(studio.client, { paths: [file] });
    assert.equal(report.imported, 0);
    assert.match(report.errors[0]?.reason ?? '', /changed since it was imported/);
  });

  it('imports from a CSV manifest: path,city with a header and quoted fields', async (t) => {
    const dir = tempDir(t, 'lp-csv-');
    await makeJpeg(join(dir, 'img', 'one, with comma.jpg'), { seed: 700 });
    await makeJpeg(join(dir, 'img', 'two.jpg'), { seed: 701 });
    await makeJpeg(join(dir, 'img', 'three.jpg'), { seed: 702 });
    await makeJpeg(join(dir, 'img', 'four.jpg'), { seed: 703 });
    const csv = join(dir, 'manifest.csv');
    writeFileSync(
      csv,
      [
        'path,city',
        '"img/one, with comma.jpg",london',
        `${join(dir, 'img', 'two.jpg')},"Rio de Janeiro"`,
        'img/three.jpg,Atlantis',
        'img/four.jpg,',
        'img/missing.jpg,Paris',
        '',
      ].join('\r\n'),
    );
    const { report } = await importAll(studio.client, { csv });
    assert.equal(report.imported, 2 + 1);
    assert.equal(report.labeled, 2);
    const reasons = report.errors.map((e) => `${e.path.slice(dir.length + 1)}: ${e.reason}`).sort();
    assert.equal(reasons.length, 2);
    assert.match(reasons[0] as string, /^img\/missing\.jpg: path does not exist/);
    assert.match(
      reasons[1] as string,
      /^img\/three\.jpg: manifest line 4: unknown city "Atlantis"/,
    );
    const list = await studio.client.call('images.list', { search: 'comma' });
    assert.deepEqual(
      list.items.map((i) => [i.city, i.labelSource]),
      [['London', 'csv']],
    );
    const rio = await studio.client.call('images.list', { city: 'Rio de Janeiro' });
    assert.equal(rio.items[0]?.path, join(dir, 'img', 'two.jpg'));
  });

  it('imports from a CSV manifest: path,lat,lon without a header', async (t) => {
    const dir = tempDir(t, 'lp-csv2-');
    await makeJpeg(join(dir, 'moscow.jpg'), { seed: 800 });
    await makeJpeg(join(dir, 'nowhere.jpg'), { seed: 801 });
    await makeJpeg(join(dir, 'bad.jpg'), { seed: 802 });
    const csv = join(dir, 'positions.csv');
    writeFileSync(csv, 'moscow.jpg,55.75,37.62\nnowhere.jpg,0.5,-30\nbad.jpg,95,10\n');
    const { report } = await importAll(studio.client, { csv });
    assert.equal(report.imported, 2);
    assert.equal(report.labeled, 1);
    assert.match(
      report.errors[0]?.reason ?? '',
      /line 3: "95,10" is not a valid latitude,longitude/,
    );
    const page = await studio.client.call('images.list', { search: 'moscow.jpg' });
    assert.deepEqual(
      page.items.map((i) => [i.city, i.labelSource, i.lat, i.lon]),
      [['Moscow', 'csv', 55.75, 37.62]],
    );
    const nowhere = await studio.client.call('images.list', { search: 'nowhere' });
    assert.deepEqual(
      nowhere.items.map((i) => [i.city, i.lat]),
      [[null, 0.5]],
    );
  });

  it('never walks into the library folder itself', async (t) => {
    const parent = tempDir(t, 'lp-parent-');
    const inner = await openStudio(t);
    await makeJpeg(join(parent, 'p.jpg'), { seed: 900 });
    // Pretend the library sits inside the imported folder: its cache must not be imported.
    const { report } = await importAll(inner.client, { paths: [parent, inner.dir] });
    assert.equal(report.imported, 1);
    assert.equal(existsSync(join(inner.dir, 'cache')), true);
  });
});
