import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createClient } from '../../src/shared/contract/client';
import type { ImagePage } from '../../src/shared/contract/library-types';
import { dispatch } from '../../src/shared/contract/dispatch';
import { methods, type MethodName } from '../../src/shared/contract/methods';
import { mlMethods } from '../../src/shared/contract/ml-methods';
import { inProcessTransport } from '../../src/main/core/in-process-transport';
import { StudioCore } from '../../src/main/core/studio-core';
import { insertImages, makeJpeg, openStudio, tempDir, importAll } from './helpers';

describe('library methods', () => {
  it('app.info, and LIBRARY_NOT_OPEN / LIBRARY_NOT_FOUND before a library is open', async (t) => {
    const core = new StudioCore({ version: '1.2.3', transportName: 'cli' });
    t.after(() => core.close());
    const client = createClient(inProcessTransport(core));
    assert.deepEqual(await client.call('app.info', {}), {
      version: '1.2.3',
      libraryOpen: false,
      transport: 'cli',
    });
    await assert.rejects(client.call('library.info', {}), { code: 'LIBRARY_NOT_OPEN' });
    await assert.rejects(client.call('images.list', {}), { code: 'LIBRARY_NOT_OPEN' });
    assert.deepEqual(await client.call('jobs.list', {}), []);
    assert.throws(() => core.db(), { code: 'LIBRARY_NOT_OPEN' });
    assert.equal(await core.assetPath('norm', 1), null);
    const missing = join(tempDir(t), 'none');
    await assert.rejects(client.call('library.open', { dir: missing }), {
      code: 'LIBRARY_NOT_FOUND',
    });

    const events: string[] = [];
    core.subscribe((e) => e.channel === 'library' && events.push(e.payload.what));
    const info = await client.call('library.open', { dir: missing, create: true });
    assert.equal(info.dir, missing);
    assert.equal(info.dbPath, join(missing, 'library.sqlite'));
    assert.deepEqual(events, ['opened']);
    assert.equal((await client.call('app.info', {})).libraryOpen, true);
  });

  it('wires a handler for every contract method; without the ML service its methods answer BACKEND_UNAVAILABLE', async (t) => {
    const plain = new StudioCore({ version: 'x', ml: false });
    t.after(() => plain.close());
    assert.deepEqual(Object.keys(plain.handlers).sort(), Object.keys(methods).sort());
    for (const name of Object.keys(mlMethods) as MethodName[]) {
      const result = await dispatch(plain.handlers, name, {});
      assert.equal(result.ok, false, name);
      // Parameters are checked first; a method whose parameters are all optional reaches the stand-in.
      if (!result.ok && result.error.code !== 'BAD_ARGUMENT') {
        assert.equal(result.error.code, 'BACKEND_UNAVAILABLE', name);
      }
    }
    const info = await dispatch(plain.handlers, 'backbones.list', {});
    assert.equal(!info.ok && info.error.code, 'BACKEND_UNAVAILABLE');
    assert.match(!info.ok ? info.error.message : '', /"backbones\.list" needs the ML service/);
  });

  it('switches libraries: opening another closes the first', async (t) => {
    const a = await openStudio(t);
    insertImages(a.core, [{ path: '/a/1.jpg' }]);
    const other = tempDir(t);
    await a.client.call('library.open', { dir: other, create: true });
    assert.equal((await a.client.call('library.stats', {})).images, 0);
    await a.client.call('library.open', { dir: a.dir });
    assert.equal((await a.client.call('library.stats', {})).images, 1);
  });

  it('cities: list with counts, add (conflict, validation), remove (labels go, images stay)', async (t) => {
    const { client, core, events } = await openStudio(t);
    insertImages(core, [
      { path: '/x/p1.jpg', city: 'Paris' },
      { path: '/x/p2.jpg', city: 'Paris', source: 'human' },
      { path: '/x/l1.jpg', city: 'London' },
    ]);
    const cities = await client.call('cities.list', {});
    assert.equal(cities.length, 10);
    assert.equal(cities.find((c) => c.name === 'Paris')?.labeled, 2);

    const added = await client.call('cities.add', {
      name: '  Lyon ',
      country: 'France',
      lat: 45.76,
      lon: 4.84,
    });
    assert.deepEqual(
      { ...added, id: 0 },
      { id: 0, name: 'Lyon', country: 'France', lat: 45.76, lon: 4.84, radiusKm: 25 },
    );
    await assert.rejects(client.call('cities.add', { name: 'lyon', lat: 1, lon: 1 }), {
      code: 'CONFLICT',
    });
    await assert.rejects(client.call('cities.add', { name: 'Nowhere', lat: 91, lon: 0 }), {
      code: 'BAD_ARGUMENT',
    });
    assert.ok(events.some((e) => e.channel === 'library' && e.payload.what === 'cities'));

    assert.deepEqual(await client.call('cities.remove', { name: 'paris' }), {
      removed: 'Paris',
      labelsRemoved: 2,
    });
    await assert.rejects(client.call('cities.remove', { name: 'Paris' }), { code: 'NOT_FOUND' });
    const stats = await client.call('library.stats', {});
    assert.equal(stats.images, 3);
    assert.equal(stats.labeled, 1);
    assert.equal(stats.cities.Paris, undefined);
    const orphan = await client.call('images.list', { search: 'p2.jpg' });
    assert.deepEqual(
      [orphan.items[0]?.city, orphan.items[0]?.labelSource, orphan.items[0]?.split],
      [null, null, null],
    );
    assert.deepEqual((await client.call('images.get', { id: orphan.items[0]!.id })).labels, []);
  });

  it('labels.set: human labels, history, clearing, all-or-nothing on unknown ids', async (t) => {
    const { client, core } = await openStudio(t);
    const [a, b, c] = insertImages(core, [
      { path: '/l/a.jpg', city: 'Sydney', source: 'gps' },
      { path: '/l/b.jpg' },
      { path: '/l/c.jpg' },
    ]) as [number, number, number];

    assert.deepEqual(await client.call('labels.set', { imageIds: [a, b, b], city: 'moscow' }), {
      updated: 2,
    });
    const detail = await client.call('images.get', { id: a });
    assert.deepEqual([detail.city, detail.labelSource], ['Moscow', 'human']);
    assert.deepEqual(
      detail.labels.map((l) => [l.city, l.source]),
      [
        ['Sydney', 'gps'],
        ['Moscow', 'human'],
      ],
    );
    assert.ok(detail.split !== null, 'a newly labeled image gets a split');
    // Same human label again changes nothing.
    assert.deepEqual(await client.call('labels.set', { imageIds: [a], city: 'Moscow' }), {
      updated: 0,
    });

    await assert.rejects(client.call('labels.set', { imageIds: [c, 9999], city: 'Paris' }), {
      code: 'NOT_FOUND',
      message: /9999.*no label was changed/,
    });
    assert.equal((await client.call('images.get', { id: c })).city, null);
    await assert.rejects(client.call('labels.set', { imageIds: [c], city: 'Atlantis' }), {
      code: 'NOT_FOUND',
    });

    assert.deepEqual(await client.call('labels.set', { imageIds: [b], city: null }), {
      updated: 1,
    });
    const cleared = await client.call('images.get', { id: b });
    assert.deepEqual([cleared.city, cleared.labelSource, cleared.split], [null, null, null]);
    const stats = await client.call('library.stats', {});
    assert.deepEqual(stats.labelSources, {
      folder: 0,
      csv: 0,
      gps: 0,
      human: 1,
      model: 0,
      queue: 0,
    });
    await assert.rejects(client.call('images.get', { id: 12345 }), { code: 'NOT_FOUND' });
  });

  it('images.list: keyset paging visits every image once; filters combine', async (t) => {
    const { client, core } = await openStudio(t);
    const cities = ['Paris', 'London', 'Sydney', null] as const;
    insertImages(
      core,
      Array.from({ length: 530 }, (_, i) => ({
        path: `/photos/${cities[i % 4] ?? 'misc'}/IMG_${i}${i === 7 ? '_50%_off' : ''}.jpg`,
        city: cities[i % 4],
        source: i % 3 === 0 ? ('human' as const) : ('folder' as const),
      })),
    );
    const seen: number[] = [];
    let cursor: number | null = null;
    let pages = 0;
    do {
      const page: ImagePage = await client.call('images.list', { cursor, limit: 200 });
      assert.equal(page.total, 530);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null);
    assert.equal(pages, 3);
    assert.equal(new Set(seen).size, 530);
    assert.deepEqual(
      seen,
      [...seen].sort((x, y) => x - y),
    );

    const count = async (filter: Record<string, unknown>) =>
      (await client.call('images.list', { ...filter, limit: 1000 })).total;
    assert.equal(await count({ city: 'paris' }), 133);
    assert.equal(await count({ labeled: false }), 132);
    assert.equal(await count({ labeled: true }), 398);
    assert.equal(await count({ labelSource: 'human', labeled: true }), 133);
    assert.equal(await count({ city: 'London', labelSource: 'human' }), 44);
    assert.equal(await count({ split: 'train' }), 0);
    // Search: case-insensitive substring; %, _ are literal; short terms work too.
    assert.equal(await count({ search: 'img_52' }), 11); // IMG_52, IMG_520…529
    assert.equal(await count({ search: '50%_off' }), 1);
    assert.equal(await count({ search: '%' }), 1);
    assert.equal(await count({ search: 'SYDNEY/' }), 132);
    assert.equal(await count({ search: 'sydney', city: 'Paris' }), 0);
    await assert.rejects(client.call('images.list', { city: 'Atlantis' }), { code: 'NOT_FOUND' });
    await assert.rejects(client.call('images.list', { limit: 5000 }), { code: 'BAD_ARGUMENT' });
  });

  it('library.stats counts images, labels, sources and splits per city', async (t) => {
    const { client } = await openStudio(t);
    const dir = tempDir(t);
    for (let i = 0; i < 6; i++)
      await makeJpeg(join(dir, i < 4 ? 'Rio de Janeiro' : 'misc', `${i}.jpg`), {
        seed: 30_000 + i,
      });
    await importAll(client, { paths: [dir] });
    const stats = await client.call('library.stats', {});
    assert.equal(stats.images, 6);
    assert.equal(stats.labeled, 4);
    assert.equal(stats.unlabeled, 2);
    assert.equal(stats.cities['Rio de Janeiro'], 4);
    assert.equal(stats.cities.London, 0);
    assert.equal(stats.labelSources.folder, 4);
    assert.equal(stats.splits.unassigned, 2);
    assert.equal(stats.splits.train + stats.splits.val + stats.splits.test, 4);
    const rio = stats.perCity.find((c) => c.city === 'Rio de Janeiro');
    assert.equal(rio?.total, 4);
    assert.equal((rio?.train ?? 0) + (rio?.val ?? 0) + (rio?.test ?? 0), 4);
    assert.equal(stats.perCity.length, 10);
  });
});
