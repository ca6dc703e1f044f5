import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  cohensKappa,
  distanceScore,
  mcnemarExactP,
  summarisePaired,
  wilsonInterval,
} from '../../src/shared/domain/study-stats';

const close = (actual: number, expected: number, tolerance: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} vs ${expected}`);

describe('study statistics against reference values', () => {
  it('Wilson 95% interval', () => {
    // 0 of 10: [0, z²/(n+z²)] = [0, 0.2775]; 10 of 10 mirrors it.
    const [l0, h0] = wilsonInterval(0, 10);
    close(l0, 0, 1e-12, 'low 0/10');
    close(h0, 0.27753, 5e-5, 'high 0/10');
    const [l10, h10] = wilsonInterval(10, 10);
    close(l10, 1 - 0.27753, 5e-5, 'low 10/10');
    close(h10, 1, 1e-12, 'high 10/10');
    // 8 of 10 (R: binom::binom.confint(8, 10, method = "wilson") → 0.4902, 0.9433).
    const [l8, h8] = wilsonInterval(8, 10);
    close(l8, 0.4902, 5e-4, 'low 8/10');
    close(h8, 0.9433, 5e-4, 'high 8/10');
    // The paper's human baseline: 27.2% of 1,000 guesses → about [0.245, 0.301].
    const [lp, hp] = wilsonInterval(272, 1000);
    close(lp, 0.2452, 5e-4, 'low 272/1000');
    close(hp, 0.3007, 5e-4, 'high 272/1000');
    assert.deepEqual(wilsonInterval(0, 0), [0, 1]);
    assert.throws(() => wilsonInterval(11, 10), RangeError);
    assert.throws(() => wilsonInterval(1.5, 10), RangeError);
  });

  it('exact McNemar p-value (two-sided binomial on discordant pairs)', () => {
    // b=1, c=9: 2 · (C(10,0) + C(10,1)) / 2^10 = 22/1024.
    close(mcnemarExactP(1, 9), 22 / 1024, 1e-12, '1 vs 9');
    close(mcnemarExactP(9, 1), 22 / 1024, 1e-12, 'symmetric');
    // b=0, c=5: 2 / 32.
    close(mcnemarExactP(0, 5), 2 / 32, 1e-12, '0 vs 5');
    // Balanced discordance is no evidence at all.
    assert.equal(mcnemarExactP(4, 4), 1);
    assert.equal(mcnemarExactP(0, 0), 1);
    // Large counts stay finite and small: 10 vs 90 (scipy binomtest → 3.1e-17 two-sided).
    const p = mcnemarExactP(10, 90);
    assert.ok(p > 0 && p < 1e-15, String(p));
    assert.throws(() => mcnemarExactP(-1, 3), RangeError);
  });

  it("Cohen's kappa", () => {
    // Textbook 2x2: yes/yes 20, yes/no 5, no/yes 10, no/no 15 → po 0.7, pe 0.5, kappa 0.4.
    const times = (label: string, n: number): string[] => Array.from({ length: n }, () => label);
    const a = [...times('yes', 25), ...times('no', 25)];
    const b = [...times('yes', 20), ...times('no', 5), ...times('yes', 10), ...times('no', 15)];
    close(cohensKappa(a, b) as number, 0.4, 1e-12, '2x2');
    // Three categories (Fleiss et al. style table): rows A,B,C × cols A,B,C
    // [[25, 2, 5], [3, 26, 5], [1, 3, 30]] → po = 81/100, pe = (32·29 + 34·31 + 34·40)/100² = 0.3342.
    const table = [
      [25, 2, 5],
      [3, 26, 5],
      [1, 3, 30],
    ];
    const labels = ['A', 'B', 'C'];
    const x: string[] = [];
    const y: string[] = [];
    table.forEach((row, i) =>
      row.forEach((count, j) => {
        for (let k = 0; k < count; k++) {
          x.push(labels[i] as string);
          y.push(labels[j] as string);
        }
      }),
    );
    close(cohensKappa(x, y) as number, (0.81 - 0.3342) / (1 - 0.3342), 1e-12, '3x3');
    assert.equal(cohensKappa([], []), null);
    assert.equal(cohensKappa(['a', 'a'], ['a', 'a']), 1);
    assert.ok((cohensKappa(['a', 'b'], ['b', 'a']) as number) < 0, 'worse than chance');
    assert.throws(() => cohensKappa(['a'], []), RangeError);
  });

  it('distance score: 5000 at the truth, 5000/e at 1492.7 km', () => {
    const paris = { lat: 48.8566, lon: 2.3522 };
    close(distanceScore(paris, paris), 5000, 1e-9, 'same place');
    const london = { lat: 51.5074, lon: -0.1278 };
    const score = distanceScore(paris, london); // about 344 km apart
    assert.ok(score > 3960 && score < 3990, String(score));
  });

  it('summarisePaired puts the pieces together', () => {
    const trials = [
      { truth: 'Paris', human: 'Paris', model: 'Paris' },
      { truth: 'Paris', human: 'London', model: 'Paris' },
      { truth: 'London', human: 'London', model: 'Paris' },
      { truth: 'Moscow', human: 'Paris', model: 'Moscow' },
    ];
    const s = summarisePaired(trials);
    assert.equal(s.n, 4);
    assert.equal(s.humanAccuracy, 0.5);
    assert.equal(s.modelAccuracy, 0.75);
    assert.deepEqual([s.onlyHuman, s.onlyModel], [1, 2]);
    close(s.mcnemarP, 1, 1e-12, 'p');
    assert.deepEqual(s.humanCI, wilsonInterval(2, 4));
    assert.equal(summarisePaired([]).humanAccuracy, null);
  });
});
