// study.results against values worked out by hand on a fixed list of four photos, two players.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { distanceScore } from '../../src/shared/domain/study-stats';
import { insertImages, openStudio } from './helpers';
import { insertTestModel, insertTestPredictions } from './prediction-rows';

const near = (actual: number | null, expected: number, digits = 4): void => {
  assert.ok(
    actual !== null && Math.abs(actual - expected) < 10 ** -digits,
    `${actual} ≈ ${expected}`,
  );
};

void describe('study results', () => {
  it('match hand-computed accuracy, intervals, McNemar, kappa and breakdowns', async (t) => {
    const studio = await openStudio(t);
    const [a, b, c, d] = insertImages(studio.core, [
      { path: '/p/a.jpg', city: 'Paris' },
      { path: '/p/b.jpg', city: 'Paris' },
      { path: '/p/c.jpg', city: 'London' },
      { path: '/p/d.jpg', city: 'Sydney' },
    ]) as [number, number, number, number];
    const db = studio.core.db();
    insertTestModel(db, 'm1');
    // The model: a Paris ✓, b London ✗, c London ✓, d Paris ✗.
    insertTestPredictions(db, [
      { modelId: 'm1', imageId: a, top: [{ city: 'Paris', probability: 0.9 }] },
      { modelId: 'm1', imageId: b, top: [{ city: 'London', probability: 0.6 }] },
      { modelId: 'm1', imageId: c, top: [{ city: 'London', probability: 0.7 }] },
      { modelId: 'm1', imageId: d, top: [{ city: 'Paris', probability: 0.5 }] },
    ]);
    const study = await studio.client.call('study.create', {
      name: 'hand',
      modelId: 'm1',
      cities: ['London', 'Paris', 'Sydney'],
      imageIds: [a, b, c, d],
    });
    const plan: Record<string, Record<number, [string, number]>> = {
      P1: {
        [a]: ['Paris', 1000],
        [b]: ['Paris', 2000],
        [c]: ['Paris', 3000],
        [d]: ['Sydney', 4000],
      },
      P2: {
        [a]: ['London', 500],
        [b]: ['Paris', 1500],
        [c]: ['London', 2500],
        [d]: ['Paris', 3500],
      },
    };
    for (const [participantId, answers] of Object.entries(plan)) {
      await studio.client.call('participant.join', { studyId: study.id, participantId });
      for (;;) {
        const next = await studio.client.call('round.next', { studyId: study.id, participantId });
        if (next.done) break;
        const [guess, responseMs] = answers[next.imageId]!;
        await studio.client.call('round.answer', {
          studyId: study.id,
          participantId,
          imageId: next.imageId,
          guess,
          responseMs,
        });
      }
    }
    const r = await studio.client.call('study.results', { studyId: study.id });
    // Humans: P1 3/4 (c wrong), P2 2/4 (a, d wrong) → 5/8.
    assert.equal(r.n, 8);
    assert.equal(r.humanAccuracy, 0.625);
    near(r.humanCI[0], 0.3057);
    near(r.humanCI[1], 0.8632);
    assert.equal(r.paired, 8);
    assert.equal(r.modelAccuracy, 0.5);
    // Only human right: P1 b, P1 d, P2 b (3); only model right: P1 c, P2 a (2).
    // Exact McNemar: 2 · P(X ≤ 2 | n = 5) = 2 · 16/32 = 1.
    assert.equal(r.mcnemarP, 1);
    // Agreement 3/8; expected (5/8)(4/8) + (2/8)(4/8) = 28/64; kappa = (24/64 − 28/64)/(36/64).
    near(r.kappa, -1 / 9, 12);
    assert.deepEqual(
      r.perParticipant.map((p) => [p.participantId, p.correct, p.n]),
      [
        ['P1', 3, 4],
        ['P2', 2, 4],
      ],
    );
    assert.deepEqual(
      r.perCity.map((x) => [x.city, x.human.correct, x.human.n, x.model?.correct, x.model?.n]),
      [
        ['London', 1, 2, 2, 2],
        ['Paris', 3, 4, 2, 4],
        ['Sydney', 1, 2, 0, 2],
      ],
    );
    assert.deepEqual(r.confusion.columns, ['London', 'Paris', 'Sydney']);
    assert.deepEqual(r.confusion.human, [
      [1, 1, 0],
      [1, 3, 0],
      [0, 1, 1],
    ]);
    assert.deepEqual(r.confusion.model, [
      [2, 0, 0],
      [2, 2, 0],
      [0, 2, 0],
    ]);
    assert.deepEqual(
      r.byRound.map((x) => [x.round, x.n]),
      [
        [1, 2],
        [2, 2],
        [3, 2],
        [4, 2],
      ],
    );
    assert.deepEqual(r.responseMs, {
      n: 8,
      mean: 2250,
      median: 2250,
      p10: 850,
      p90: 3650,
      min: 500,
      max: 4000,
    });
    // Wrong human guesses: London for Paris (P2 a), Paris for London (P1 c), Paris for Sydney (P2 d).
    const paris = { lat: 48.8566, lon: 2.3522 };
    const london = { lat: 51.5072, lon: -0.1276 };
    const sydney = { lat: -33.8688, lon: 151.2093 };
    near(
      r.distanceScore.human,
      (5 * 5000 +
        distanceScore(london, paris) +
        distanceScore(paris, london) +
        distanceScore(paris, sydney)) /
        8,
      1,
    );
    near(
      r.distanceScore.model,
      (4 * 5000 + 2 * distanceScore(london, paris) + 2 * distanceScore(paris, sydney)) / 8,
      1,
    );
  });
});
