// Studies, played through the contract client: seeded orders, what a participant may see before
// guessing, reveal modes, resume after a restart, CSV import. Model rows are written directly
// (no trained model needed); the photos are image rows without files.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { createClient, type Client } from '../../src/shared/contract/client';
import type { RoundPrompt } from '../../src/shared/contract/study-types';
import { inProcessTransport } from '../../src/main/core/in-process-transport';
import { StudioCore } from '../../src/main/core/studio-core';
import { insertImages, openStudio, tempDir } from './helpers';
import { insertTestPredictions } from './prediction-rows';

const CITIES = ['London', 'Paris', 'Sydney'];

/** 4 photos per city: /p/<city>-0.jpg in train, -1..3 in test; model m1 trained here. */
function fixture(db: Database.Database, ids: number[]): { train: Set<number>; test: number[] } {
  const train = new Set<number>();
  const test: number[] = [];
  ids.forEach((id, i) => {
    const split = i % 4 === 0 ? 'train' : 'test';
    db.prepare('UPDATE images SET split = ? WHERE id = ?').run(split, id);
    if (split === 'train') train.add(id);
    else test.push(id);
  });
  db.prepare(
    `INSERT INTO models (id, name, dir, backbone, meta_json, train_counts_json, run_job_id, created_at)
     VALUES ('m1', 'm1', 'models/m1', 'b', ?, NULL, 'train-job-1', '2024-01-01T00:00:00Z')`,
  ).run(JSON.stringify({ classes: CITIES }));
  // The model says London for everything, with its top-3.
  insertTestPredictions(
    db,
    ids.map((imageId) => ({
      modelId: 'm1',
      imageId,
      top: [
        { city: 'London', probability: 0.7 },
        { city: 'Paris', probability: 0.2 },
        { city: 'Sydney', probability: 0.1 },
      ],
    })),
  );
  return { train, test };
}

async function setup(t: Parameters<typeof openStudio>[0]) {
  const studio = await openStudio(t);
  const ids = insertImages(
    studio.core,
    CITIES.flatMap((city) => [0, 1, 2, 3].map((i) => ({ path: `/p/${city}-${i}.jpg`, city }))),
  );
  return { studio, ids, ...fixture(studio.core.db(), ids) };
}

const truthOf = (db: Database.Database, imageId: number): string =>
  db
    .prepare('SELECT c.name FROM images i JOIN cities c ON c.id = i.city_id WHERE i.id = ?')
    .pluck()
    .get(imageId) as string;

/** Plays every round of a participant, guessing Paris; returns the photos in the order shown. */
async function playAll(client: Client, studyId: number, participantId: string): Promise<number[]> {
  const shown: number[] = [];
  for (;;) {
    const next = await client.call('round.next', { studyId, participantId });
    if (next.done) return shown;
    shown.push(next.imageId);
    await client.call('round.answer', {
      studyId,
      participantId,
      imageId: next.imageId,
      guess: 'Paris',
      responseMs: 1200,
    });
  }
}

const PROMPT_KEYS = [
  'cities',
  'done',
  'imageId',
  'participantId',
  'round',
  'rounds',
  'score',
  'shownAt',
  'studyId',
  'timeLimitMs',
].sort();

void describe('studies', () => {
  it('creates a study from the test split, never with the model’s training photos', async (t) => {
    const { studio, train, test } = await setup(t);
    const study = await studio.client.call('study.create', {
      name: 'pilot',
      modelId: 'm1',
      rounds: 5,
    });
    assert.deepEqual(study.cities, CITIES);
    assert.equal(study.images, test.length);
    assert.equal(study.rounds, 5);
    assert.equal(study.predictJobId, null, 'every answer of the model is already stored');
    assert.equal(study.modelAnswersMissing, 0);
    assert.deepEqual(study.warnings, []);

    await studio.client.call('participant.join', { studyId: study.id, participantId: 'P1' });
    const shown = await playAll(studio.client, study.id, 'P1');
    assert.equal(shown.length, 5);
    assert.equal(new Set(shown).size, 5, 'no photo twice');
    assert.ok(shown.every((id) => !train.has(id)));

    await assert.rejects(
      studio.client.call('study.create', { name: 'bad', modelId: 'm1', split: 'train' }),
      { code: 'BAD_ARGUMENT' },
    );
    const fixed = await studio.client.call('study.create', {
      name: 'fixed',
      modelId: 'm1',
      imagePaths: ['/p/Paris-0.jpg', '/p/Paris-1.jpg'],
    });
    assert.equal(fixed.rounds, 2);
    assert.deepEqual(fixed.warnings, ['the model was trained on /p/Paris-0.jpg']);
  });

  it('orders photos by seed and participant, reproducibly, without repeats', async (t) => {
    const { studio, test } = await setup(t);
    const make = (seed: number) =>
      studio.client.call('study.create', { name: `s${seed}`, modelId: 'm1', rounds: 9, seed });
    const a = await make(3);
    const b = await make(3);
    const c = await make(4);
    const orders = new Map<string, number[]>();
    for (const [key, study, who] of [
      ['a1', a, 'P1'],
      ['a2', a, 'P2'],
      ['b1', b, 'P1'],
      ['c1', c, 'P1'],
    ] as const) {
      await studio.client.call('participant.join', { studyId: study.id, participantId: who });
      orders.set(key, await playAll(studio.client, study.id, who));
    }
    assert.deepEqual(orders.get('a1'), orders.get('b1'), 'same seed and participant, same order');
    assert.notDeepEqual(orders.get('a1'), orders.get('a2'), 'another participant, another order');
    assert.notDeepEqual(orders.get('a1'), orders.get('c1'), 'another seed, another order');
    for (const order of orders.values()) {
      assert.deepEqual(
        [...order].sort((x, y) => x - y),
        [...test].sort((x, y) => x - y),
      );
    }
    const done = await studio.client.call('round.next', { studyId: a.id, participantId: 'P1' });
    assert.deepEqual(done, { done: true, studyId: a.id, participantId: 'P1', answered: 9 });
  });

  it('never sends the truth or the model before the guess; reveals only in reveal mode', async (t) => {
    const { studio } = await setup(t);
    const db = studio.core.db();
    for (const reveal of ['reveal', 'pure'] as const) {
      const study = await studio.client.call('study.create', {
        name: reveal,
        modelId: 'm1',
        reveal,
      });
      await studio.client.call('participant.join', { studyId: study.id, participantId: 'P1' });
      const next = (await studio.client.call('round.next', {
        studyId: study.id,
        participantId: 'P1',
      })) as RoundPrompt;
      assert.deepEqual(Object.keys(next).sort(), PROMPT_KEYS);
      const text = JSON.stringify(next);
      assert.ok(!/truth|model|probab|top/i.test(text), text);
      assert.deepEqual(next.score, reveal === 'reveal' ? { correct: 0, answered: 0 } : null);
      // Asking again (a reload) shows the same photo, still without the answer.
      assert.deepEqual(
        await studio.client.call('round.next', { studyId: study.id, participantId: 'P1' }),
        next,
      );

      const answer = { studyId: study.id, participantId: 'P1', imageId: next.imageId };
      await assert.rejects(
        studio.client.call('round.answer', { ...answer, guess: 'Moscow', responseMs: 5 }),
        { code: 'BAD_ARGUMENT' },
      );
      const result = await studio.client.call('round.answer', {
        ...answer,
        guess: 'paris',
        confidence: 0.5,
        responseMs: 1234,
      });
      const truth = truthOf(db, next.imageId);
      if (reveal === 'reveal') {
        assert.deepEqual(result, {
          recorded: true,
          round: 1,
          revealed: {
            truth,
            correct: truth === 'Paris',
            model: {
              city: 'London',
              probability: 0.7,
              top3: [
                { city: 'London', probability: 0.7 },
                { city: 'Paris', probability: 0.2 },
                { city: 'Sydney', probability: 0.1 },
              ],
              correct: truth === 'London',
            },
          },
        });
      } else {
        assert.deepEqual(result, { recorded: true, round: 1, revealed: null });
      }
      await assert.rejects(
        studio.client.call('round.answer', { ...answer, guess: 'Paris', responseMs: 5 }),
        { code: 'CONFLICT' },
      );
      const row = db
        .prepare(
          'SELECT guess_city, confidence, response_ms, shown_at, answered_at FROM trials WHERE study_id = ?',
        )
        .get(study.id) as Record<string, unknown>;
      assert.equal(row.guess_city, 'Paris');
      assert.equal(row.confidence, 0.5);
      assert.equal(row.response_ms, 1234);
      assert.equal(row.shown_at, next.shownAt);
      assert.ok(typeof row.answered_at === 'string' && row.answered_at >= next.shownAt);
    }
  });

  it('refuses a photo that was not shown and participants who did not consent', async (t) => {
    const { studio, test } = await setup(t);
    const study = await studio.client.call('study.create', {
      name: 'consent',
      modelId: 'm1',
      consentText: 'I agree to take part.',
    });
    const join = { studyId: study.id, participantId: 'P1' };
    await assert.rejects(studio.client.call('round.next', join), { code: 'NOT_FOUND' });
    await assert.rejects(studio.client.call('participant.join', join), {
      code: 'BAD_ARGUMENT',
      message: /consent/,
    });
    const joined = await studio.client.call('participant.join', {
      ...join,
      acceptConsent: true,
      familiarity: { paris: 0.8 },
    });
    assert.ok(joined.consentAcceptedAt !== null);
    assert.deepEqual(joined.familiarity, { Paris: 0.8 });
    // Coming back later needs no second acceptance.
    assert.equal((await studio.client.call('participant.join', join)).answered, 0);
    const next = (await studio.client.call('round.next', join)) as RoundPrompt;
    const other = test.find((id) => id !== next.imageId)!;
    await assert.rejects(
      studio.client.call('round.answer', {
        ...join,
        imageId: other,
        guess: 'Paris',
        responseMs: 1,
      }),
      { code: 'BAD_ARGUMENT' },
    );
  });

  it('resumes where the participant stopped after the library is closed and reopened', async (t) => {
    const { studio } = await setup(t);
    const params = { name: 'resume', modelId: 'm1', rounds: 6, seed: 11 };
    const reference = await studio.client.call('study.create', params);
    await studio.client.call('participant.join', { studyId: reference.id, participantId: 'P1' });
    const expected = await playAll(studio.client, reference.id, 'P1');

    // The same study again, stopped mid-way: two answered, the third on screen.
    const half = await studio.client.call('study.create', params);
    const whoHalf = { studyId: half.id, participantId: 'P1' };
    await studio.client.call('participant.join', whoHalf);
    const shown: number[] = [];
    for (let i = 0; i < 2; i++) {
      const next = (await studio.client.call('round.next', whoHalf)) as RoundPrompt;
      shown.push(next.imageId);
      await studio.client.call('round.answer', {
        ...whoHalf,
        imageId: next.imageId,
        guess: 'Sydney',
        responseMs: 10,
      });
    }
    const open = (await studio.client.call('round.next', whoHalf)) as RoundPrompt;
    await studio.core.close();

    const core = new StudioCore({ version: '0.0.0-test' });
    t.after(() => core.close());
    const client = createClient(inProcessTransport(core));
    await client.call('library.open', { dir: studio.dir });
    const again = (await client.call('round.next', whoHalf)) as RoundPrompt;
    assert.deepEqual(again, { ...open, score: { correct: again.score!.correct, answered: 2 } });
    assert.equal(again.round, 3);
    await client.call('round.answer', {
      ...whoHalf,
      imageId: again.imageId,
      guess: 'Paris',
      responseMs: 1,
    });
    const rest = await playAll(client, half.id, 'P1');
    assert.deepEqual([...shown, again.imageId, ...rest], expected);
  });

  it('merges a CSV of trials, rejecting bad rows by line, idempotently', async (t) => {
    const { studio } = await setup(t);
    const dir = tempDir(t);
    const study = await studio.client.call('study.create', { name: 'merge', modelId: 'm1' });
    const csv = join(dir, 'trials.csv');
    writeFileSync(
      csv,
      [
        'participant,image,guess,response_ms,confidence',
        'R1,/p/Paris-1.jpg,Paris,1500,0.9',
        'R1,/p/Nowhere.jpg,Paris,1500,',
        'R1,/p/Paris-2.jpg,Atlantis,1500,',
        'R1,/p/Paris-0.jpg,Paris,1500,',
        'R2,/p/London-1.jpg,paris,800,',
        'R2,/p/London-2.jpg,London,fast,',
      ].join('\n'),
    );
    const first = await studio.client.call('study.import', { studyId: study.id, path: csv });
    assert.equal(first.merged, 2);
    assert.equal(first.unchanged, 0);
    assert.deepEqual(
      first.rejected.map((r) => r.line),
      [3, 4, 5, 7],
    );
    assert.match(first.rejected[0]!.reason, /unknown image/);
    assert.match(first.rejected[1]!.reason, /unknown city "Atlantis"/);
    assert.match(first.rejected[2]!.reason, /not one of the study's photos/, 'a training photo');
    const again = await studio.client.call('study.import', { studyId: study.id, path: csv });
    assert.deepEqual(
      { ...again, rejected: again.rejected.length },
      {
        merged: 0,
        unchanged: 2,
        rejected: 4,
      },
    );
    const exported = await studio.client.call('study.export', { studyId: study.id });
    assert.deepEqual(
      exported.trials.map((r) => [r.participant, r.image, r.guess, r.truth, r.modelCity, r.source]),
      [
        ['R1', '/p/Paris-1.jpg', 'Paris', 'Paris', 'London', 'import'],
        ['R2', '/p/London-1.jpg', 'Paris', 'London', 'London', 'import'],
      ],
    );
    // The export reads back in as the same trials.
    const roundTrip = join(dir, 'export.csv');
    writeFileSync(roundTrip, exported.csv);
    assert.deepEqual(
      await studio.client.call('study.import', { studyId: study.id, path: roundTrip }),
      {
        merged: 0,
        unchanged: 2,
        rejected: [],
      },
    );
    const results = await studio.client.call('study.results', { studyId: study.id });
    assert.equal(results.n, 2);
    assert.equal(results.humanAccuracy, 0.5);
    assert.equal(results.modelAccuracy, 0.5);

    // The same rows uploaded as text (a browser page has no file path): merged the same way.
    const uploaded = await studio.client.call('study.create', { name: 'upload', modelId: 'm1' });
    const byText = await studio.client.call('study.import', {
      studyId: uploaded.id,
      csvText: exported.csv,
    });
    assert.deepEqual(byText, { merged: 2, unchanged: 0, rejected: [] });
    await assert.rejects(
      studio.client.call('study.import', { studyId: uploaded.id, path: csv, csvText: 'x' }),
      /exactly one of path or csvText/,
    );
  });

  it('a paired study shows every participant the same seeded photos, each in their own order', async (t) => {
    const { studio, test, train } = await setup(t);
    const study = await studio.client.call('study.create', {
      name: 'paired',
      modelId: 'm1',
      rounds: 5,
      paired: true,
      seed: 4,
    });
    assert.equal(study.rounds, 5);
    const enter = (studyId: number, participantId: string) =>
      studio.client.call('participant.join', { studyId, participantId });
    await enter(study.id, 'A');
    await enter(study.id, 'B');
    const a = await playAll(studio.client, study.id, 'A');
    const b = await playAll(studio.client, study.id, 'B');
    assert.equal(a.length, 5);
    assert.deepEqual([...a].sort(), [...b].sort(), 'the same photos');
    assert.notDeepEqual(a, b, 'in different orders');
    assert.ok(a.every((id) => test.includes(id) && !train.has(id)));
    // The draw follows the seed.
    const again = await studio.client.call('study.create', {
      name: 'paired again',
      modelId: 'm1',
      rounds: 5,
      paired: true,
      seed: 4,
    });
    await enter(again.id, 'A');
    assert.deepEqual([...(await playAll(studio.client, again.id, 'A'))].sort(), [...a].sort());
    await assert.rejects(
      studio.client.call('study.create', { name: 'x', imageIds: test, paired: true }),
      /a fixed list is already paired/,
    );
  });

  it('holds back rounds until the model’s answers are stored', async (t) => {
    const dir = tempDir(t);
    const core = new StudioCore({ version: '0.0.0-test', ml: false });
    t.after(() => core.close());
    const client = createClient(inProcessTransport(core));
    await client.call('library.open', { dir, create: true });
    const ids = insertImages(
      core,
      CITIES.flatMap((city) => [0, 1, 2, 3].map((i) => ({ path: `/p/${city}-${i}.jpg`, city }))),
    );
    fixture(core.db(), ids);
    core.db().prepare('DELETE FROM predictions').run();
    const study = await client.call('study.create', { name: 'wait', modelId: 'm1' });
    assert.equal(study.predictJobId, null);
    assert.equal(study.modelAnswersMissing, 9);
    assert.match(study.warnings[0] ?? '', /could not start the model's predictions/);
    await client.call('participant.join', { studyId: study.id, participantId: 'P1' });
    await assert.rejects(client.call('round.next', { studyId: study.id, participantId: 'P1' }), {
      code: 'CONFLICT',
    });
  });
});
