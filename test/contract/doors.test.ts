import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createClient, type Client } from '../../src/shared/contract/client';
import { AppError, type AppErrorData } from '../../src/shared/contract/errors';
import type { AppEvent, JobEvent } from '../../src/shared/contract/job-types';
import { writeJpeg } from '../cli/run-cli';
import { DOORS, type OpenDoor } from './doors';

/**
 * One suite, every door: the same calls must give the same answers, errors and events whether the
 * core is reached in-process (CLI), over the HTTP bridge or over Electron IPC.
 */

async function rejection(promise: Promise<unknown>): Promise<AppErrorData> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof AppError, `expected an AppError, got ${String(error)}`);
    return error.toData();
  }
  assert.fail('expected the call to fail');
}

let photos: string;
let root: string;
before(async () => {
  root = mkdtempSync(join(tmpdir(), 'lp-doors-'));
  photos = join(root, 'photos');
  let seed = 10;
  for (const [city, count] of [
    ['Paris', 2],
    ['Detroit', 1],
  ] as const) {
    mkdirSync(join(photos, city), { recursive: true });
    for (let i = 0; i < count; i++) await writeJpeg(join(photos, city, `${i}.jpg`), seed++);
  }
});
after(() => rmSync(root, { recursive: true, force: true }));

for (const door of DOORS) {
  describe(`contract over ${door.name}`, () => {
    let open: OpenDoor;
    let client: Client;
    let library: string;
    const events: AppEvent[] = [];

    before(async () => {
      open = await door.open();
      client = createClient(open.transport);
      client.subscribe((event) => events.push(event));
      library = join(root, `library-${door.transportName}`);
    });
    after(() => open.close());

    test('app.info names the door; no library is open yet', async () => {
      assert.deepEqual(await client.call('app.info', {}), {
        version: '9.9.9-contract',
        libraryOpen: false,
        transport: door.transportName,
      });
      const error = await rejection(client.call('library.stats', {}));
      assert.equal(error.code, 'LIBRARY_NOT_OPEN');
    });

    test('errors cross the door as data: unknown method, invalid and unexpected params', async () => {
      const unknown = await open.transport.invoke('library.nope', {});
      assert.deepEqual(unknown, {
        ok: false,
        error: { code: 'NOT_FOUND', message: 'Unknown method "library.nope".' },
      });
      assert.deepEqual(await rejection(client.call('library.open', { dir: '' })), {
        code: 'BAD_ARGUMENT',
        message:
          'Invalid parameters for library.open: dir: String must contain at least 1 character(s)',
      });
      const extra = await open.transport.invoke('library.info', { sneaky: true });
      assert.ok(!extra.ok && extra.error.code === 'BAD_ARGUMENT');
      assert.match(
        extra.ok ? '' : extra.error.message,
        /Unrecognized key\(s\) in object: 'sneaky'/,
      );
      const missing = await rejection(client.call('library.open', { dir: join(root, 'none') }));
      assert.equal(missing.code, 'LIBRARY_NOT_FOUND');
    });

    test('library.open creates the library and announces it', async () => {
      const info = await client.call('library.open', { dir: library, create: true });
      assert.equal(info.dir, library);
      assert.equal(info.splitConfig.seed, 1);
      assert.equal((await client.call('app.info', {})).libraryOpen, true);
      await waitFor(() =>
        events.some((e) => e.channel === 'library' && e.payload.what === 'opened'),
      );
    });

    test('an import runs as a job, with its events, to a typed report', async () => {
      const seen: JobEvent['type'][] = [];
      const report = await client.runJob('import.start', { paths: [photos] }, (e) =>
        seen.push(e.type),
      );
      assert.equal(report.imported, 3);
      assert.equal(report.labeled, 3);
      assert.equal(report.duplicates, 0);
      assert.deepEqual(report.errors, []);
      assert.equal(seen[0], 'queued');
      assert.equal(seen.at(-1), 'done');
      const jobs = await client.call('jobs.list', {});
      assert.equal(jobs.length, 1);
      assert.equal(jobs[0]?.status, 'done');
      assert.equal(jobs[0]?.kind, 'import');
    });

    test('stats, images and cached thumbnails reflect the import', async () => {
      const stats = await client.call('library.stats', {});
      assert.equal(stats.images, 3);
      assert.equal(stats.labeled, 3);
      assert.equal(stats.cities.Paris, 2);
      assert.equal(stats.cities.Detroit, 1);

      const page = await client.call('images.list', { city: 'Paris' });
      assert.equal(page.total, 2);
      assert.ok(
        page.items.every((image) => image.city === 'Paris' && image.labelSource === 'folder'),
      );
      const id = page.items[0]?.id ?? 0;
      const thumb = await open.fetchAsset('thumb', id);
      assert.ok(thumb !== null, 'the thumbnail is served');
      assert.deepEqual([...thumb.subarray(0, 2)], [0xff, 0xd8], 'a JPEG');
      assert.equal(await open.fetchAsset('thumb', 999_999), null);
    });

    test('cities and splits change the library and say so on the event channel', async () => {
      events.length = 0;
      const city = await client.call('cities.add', { name: 'Arezzo', lat: 43.46, lon: 11.88 });
      assert.equal(city.radiusKm, 25);
      const removed = await client.call('cities.remove', { name: 'Detroit' });
      assert.deepEqual(removed, { removed: 'Detroit', labelsRemoved: 1 });
      const split = await client.call('split.assign', { train: 0.5, val: 0.5, test: 0, seed: 3 });
      assert.equal(split.counts.train + split.counts.val + split.counts.test, 2);
      assert.equal(split.counts.test, 0);
      await waitFor(() =>
        events.some((e) => e.channel === 'library' && e.payload.what === 'splits'),
      );
      const changed = events.flatMap((e) => (e.channel === 'library' ? [e.payload.what] : []));
      assert.ok(changed.includes('cities') && changed.includes('labels'), changed.join(','));
      assert.equal(
        (await rejection(client.call('cities.remove', { name: 'Atlantis' }))).code,
        'NOT_FOUND',
      );
    });
  });
}

/** Events over HTTP arrive on their own stream, a moment after the call that caused them returns. */
async function waitFor(condition: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail('timed out waiting for an event');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
