import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createClient } from '../../src/shared/contract/client';
import type { JobEvent } from '../../src/shared/contract/job-types';
import { inProcessTransport } from '../../src/main/core/in-process-transport';
import { StudioCore } from '../../src/main/core/studio-core';
import { importAll, makeDistinctCopies, openStudio, tempDir, type Studio } from './helpers';

const COPIES = 80;

/** Resolves with the job's events once it reaches a final state. */
function collect(studio: Studio, jobId: string): Promise<JobEvent[]> {
  return new Promise((resolve) => {
    const events: JobEvent[] = [];
    const off = studio.core.subscribe((e) => {
      if (e.channel !== 'job' || e.payload.jobId !== jobId) return;
      events.push(e.payload);
      if (['done', 'failed', 'cancelled'].includes(e.payload.type)) {
        off();
        resolve(events);
      }
    });
  });
}

describe('jobs', () => {
  it('cancels a running import: it stops soon, keeps what is done, and a re-run finishes', async (t) => {
    const studio = await openStudio(t);
    const photos = tempDir(t, 'lp-cancel-');
    await makeDistinctCopies(photos, COPIES);

    let jobId = '';
    let asked = false;
    let accepted = false;
    const finished = new Promise<JobEvent[]>((resolve) => {
      const events: JobEvent[] = [];
      const off = studio.core.subscribe((e) => {
        if (e.channel !== 'job') return;
        events.push(e.payload);
        if (e.payload.type === 'progress' && e.payload.done >= 5 && jobId !== '' && !asked) {
          asked = true;
          void studio.client.call('jobs.cancel', { jobId }).then((r) => (accepted = r.cancelled));
        }
        if (e.payload.type === 'cancelled' || e.payload.type === 'done') {
          off();
          resolve(events);
        }
      });
    });
    jobId = (await studio.client.call('import.start', { paths: [photos] })).jobId;
    const events = await finished;
    assert.equal(events.at(-1)?.type, 'cancelled');
    assert.equal(accepted, true);
    const progress = events.filter((e) => e.type === 'progress');
    assert.ok(progress.length >= 1);

    const info = await studio.client.call('jobs.get', { jobId });
    assert.equal(info.status, 'cancelled');
    const kept = (await studio.client.call('library.stats', {})).images;
    assert.ok(kept < COPIES, `cancel stopped the import (${kept} of ${COPIES} imported)`);
    assert.ok(info.progress.done >= kept);

    // Cancelling a finished job is a no-op; an unknown id is NOT_FOUND.
    assert.deepEqual(await studio.client.call('jobs.cancel', { jobId }), { cancelled: false });
    await assert.rejects(studio.client.call('jobs.cancel', { jobId: 'nope' }), {
      code: 'NOT_FOUND',
    });
    await assert.rejects(studio.client.call('jobs.get', { jobId: 'nope' }), { code: 'NOT_FOUND' });

    const { report } = await importAll(studio.client, { paths: [photos] });
    assert.equal(report.alreadyPresent, kept);
    assert.equal(report.imported, COPIES - kept);
    assert.equal((await studio.client.call('library.stats', {})).images, COPIES);
  });

  it('queues imports one after another and cancels a queued one before it runs', async (t) => {
    const studio = await openStudio(t);
    const photos = tempDir(t, 'lp-queue-');
    const files = await makeDistinctCopies(photos, 6);
    const first = await studio.client.call('import.start', { paths: files.slice(0, 3) });
    const second = await studio.client.call('import.start', { paths: files.slice(3) });
    const third = await studio.client.call('import.start', { paths: files });
    const thirdEvents = collect(studio, third.jobId);
    assert.deepEqual(await studio.client.call('jobs.cancel', { jobId: third.jobId }), {
      cancelled: true,
    });
    await collect(studio, second.jobId);
    assert.deepEqual(
      (await thirdEvents).map((e) => e.type),
      ['cancelled'],
    );

    const jobs = await studio.client.call('jobs.list', {});
    const status = new Map(jobs.map((j) => [j.id, j.status]));
    assert.deepEqual(
      [first.jobId, second.jobId, third.jobId].map((id) => status.get(id)),
      ['done', 'done', 'cancelled'],
    );
    assert.equal((await studio.client.call('library.stats', {})).images, 6);
    // The run and its report are persisted.
    const runs = studio.core
      .db()
      .prepare('SELECT status, report_json FROM import_runs ORDER BY id')
      .all() as { status: string; report_json: string }[];
    assert.deepEqual(
      runs.map((r) => r.status),
      ['done', 'done'],
    );
    assert.equal((JSON.parse(runs[0]?.report_json ?? '{}') as { imported: number }).imported, 3);
  });

  it('close() cancels a running import, waits for it and closes the database', async (t) => {
    const dir = tempDir(t, 'lp-close-');
    const photos = tempDir(t, 'lp-close-photos-');
    await makeDistinctCopies(photos, COPIES);
    const core = new StudioCore({ version: 'test' });
    const client = createClient(inProcessTransport(core));
    await client.call('library.open', { dir, create: true });
    const { jobId } = await client.call('import.start', { paths: [photos] });
    await new Promise<void>((resolve) => {
      const off = core.subscribe((e) => {
        if (e.channel === 'job' && e.payload.type === 'progress' && e.payload.done > 0) {
          off();
          resolve();
        }
      });
    });
    await core.close();
    assert.deepEqual(await client.call('app.info', {}), {
      version: 'test',
      libraryOpen: false,
      transport: 'in-process',
    });
    await assert.rejects(client.call('jobs.get', { jobId }), { code: 'LIBRARY_NOT_OPEN' });

    const again = new StudioCore({ version: 'test' });
    t.after(() => again.close());
    await again.handlers['library.open']({ dir, create: false });
    const job = await again.handlers['jobs.get']({ jobId });
    assert.equal(job.status, 'cancelled');
  });

  it('fails a job with the error as data when the import cannot run at all', async (t) => {
    const studio = await openStudio(t);
    // The contract rejects an empty request before any job exists.
    await assert.rejects(studio.client.call('import.start', {}), { code: 'BAD_ARGUMENT' });
    // A library folder removed underneath: the job fails or reports, but never hangs.
    const { report } = await importAll(studio.client, { paths: [join(studio.dir, 'nope')] });
    assert.equal(report.errors[0]?.reason, 'path does not exist');
  });
});
