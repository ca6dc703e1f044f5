// Errors a geographer can read: distances, GeoGuessr-style scores and geographic class orders.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PAPER_CITIES } from '../../src/shared/domain/cities';
import {
  geoErrorReport,
  geoScore,
  longitudeOrder,
  nearestNeighbourTour,
} from '../../src/shared/domain/geo-errors';
import { reorderMatrix } from '../../src/renderer/features/evaluate/confusion';

const centre = (name: string) => {
  const c = PAPER_CITIES.find((x) => x.name === name)!;
  return { lat: c.lat, lon: c.lon };
};
const close = (a: number | null, b: number, tol = 0.5): void =>
  assert.ok(a !== null && Math.abs(a - b) <= tol, `${String(a)} ≈ ${b}`);

void describe('geoScore', () => {
  void it('is 5000 at 0 km, 5000/e at 1492.7 km and falls with distance', () => {
    assert.equal(geoScore(0), 5000);
    close(geoScore(1492.7), 5000 / Math.E, 1e-9);
    close(geoScore(343.5), 3972.5, 0.5);
    assert.ok(geoScore(15000) < 0.3);
  });
});

void describe('geoErrorReport', () => {
  const classes = ['London', 'Paris', 'Sydney'];
  const centres = classes.map(centre);
  const photo = (t: number, p: number, path: string) => ({
    imageId: null,
    path,
    trueIndex: t,
    predictedIndex: p,
    probability: 0.6,
  });

  void it('gives each error its centre-to-centre distance and score, farthest first', () => {
    const g = geoErrorReport(classes, centres, [
      photo(0, 0, 'a.jpg'),
      photo(0, 1, 'b.jpg'), // London → Paris, ~344 km
      photo(1, 2, 'c.jpg'), // Paris → Sydney, ~16,960 km
      photo(2, 2, 'd.jpg'),
    ]);
    assert.deepEqual(
      g.errors.map((e) => [e.path, e.true, e.predicted]),
      [
        ['c.jpg', 'Paris', 'Sydney'],
        ['b.jpg', 'London', 'Paris'],
      ],
    );
    close(g.errors[1]!.km, 343.9, 1);
    close(g.errors[0]!.km, 16960, 20);
    close(g.errors[1]!.score, 5000 * Math.exp(-g.errors[1]!.km! / 1492.7), 1e-9);
    assert.equal(g.scored, 4);
    const expectedScore = (5000 * 2 + g.errors[0]!.score! + g.errors[1]!.score!) / 4;
    close(g.meanScore, expectedScore, 1e-9);
    close(g.meanKm, (g.errors[0]!.km! + g.errors[1]!.km!) / 4, 1e-9);
    close(g.medianErrorKm, (g.errors[0]!.km! + g.errors[1]!.km!) / 2, 1e-9);
    assert.equal(g.distanceKm[0]![0], 0);
    close(g.distanceKm[0]![1]!, g.errors[1]!.km!, 1e-9);
  });

  void it('leaves cities without a centre out of the means but still lists their errors', () => {
    const g = geoErrorReport(
      ['London', 'Atlantis'],
      [centre('London'), null],
      [photo(0, 1, 'x.jpg'), photo(0, 0, 'y.jpg')],
    );
    assert.equal(g.scored, 1);
    assert.equal(g.meanScore, 5000);
    assert.equal(g.errors[0]!.km, null);
    assert.equal(g.errors[0]!.score, null);
    assert.equal(g.medianErrorKm, null);
    assert.deepEqual(g.order.longitude, [0, 1]);
  });
});

void describe('geographic orders', () => {
  const names = PAPER_CITIES.map((c) => c.name);
  const centres = names.map(centre);

  void it('orders the paper’s ten cities west to east', () => {
    assert.deepEqual(
      longitudeOrder(centres).map((i) => names[i]),
      [
        'San Francisco',
        'Detroit',
        'Washington DC',
        'New York',
        'Rio de Janeiro',
        'London',
        'Barcelona',
        'Paris',
        'Moscow',
        'Sydney',
      ],
    );
  });

  void it('tours them by nearest neighbour from the westernmost, keeping neighbours together', () => {
    assert.deepEqual(
      nearestNeighbourTour(centres).map((i) => names[i]),
      [
        'San Francisco',
        'Detroit',
        'Washington DC',
        'New York',
        'London',
        'Paris',
        'Barcelona',
        'Moscow',
        'Rio de Janeiro',
        'Sydney',
      ],
    );
  });
});

void describe('reorderMatrix', () => {
  void it('permutes rows and columns together so the diagonal stays the right answers', () => {
    const r = reorderMatrix(
      ['A', 'B', 'C'],
      [
        [1, 2, 3],
        [4, 5, 6],
        [7, 8, 9],
      ],
      [2, 0, 1],
    );
    assert.deepEqual(r.classes, ['C', 'A', 'B']);
    assert.deepEqual(r.confusion, [
      [9, 7, 8],
      [3, 1, 2],
      [6, 4, 5],
    ]);
  });

  void it('ignores an order that is not a permutation', () => {
    const r = reorderMatrix(
      ['A', 'B'],
      [
        [1, 2],
        [3, 4],
      ],
      [0, 0],
    );
    assert.deepEqual(r.classes, ['A', 'B']);
    assert.deepEqual(r.confusion, [
      [1, 2],
      [3, 4],
    ]);
  });
});
