// The Label view's pure logic (no DOM, no browser): what each key means with and without typed
// text, the typed city, the legend, and the learning curve's geometry.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { polylinePoints } from '../../src/renderer/features/labeling/curve-path';
import {
  labelKeyAction,
  legendOf,
  typedCity,
} from '../../src/renderer/features/labeling/label-keys';

void describe('label queue keys', () => {
  it('digits label with the numbered city, 0 the tenth', () => {
    assert.deepEqual(labelKeyAction('1', '', 'next'), { type: 'city', index: 0 });
    assert.deepEqual(labelKeyAction('9', '', 'next'), { type: 'city', index: 8 });
    assert.deepEqual(labelKeyAction('0', '', 'suspects'), { type: 'city', index: 9 });
    assert.equal(labelKeyAction('3', 'par', 'next'), null, 'digits are no part of a name');
  });

  it('Enter accepts the guess, or takes the typed city', () => {
    assert.deepEqual(labelKeyAction('Enter', '', 'next'), { type: 'accept' });
    assert.deepEqual(labelKeyAction('Enter', 'lon', 'next'), { type: 'typed' });
  });

  it('S, U, X (and K in suspects) are shortcuts only while nothing is typed', () => {
    assert.deepEqual(labelKeyAction('s', '', 'next'), { type: 'skip' });
    assert.deepEqual(labelKeyAction('U', '', 'next'), { type: 'undo' });
    assert.deepEqual(labelKeyAction('x', '', 'suspects'), { type: 'exclude' });
    assert.deepEqual(labelKeyAction('k', '', 'suspects'), { type: 'keep' });
    assert.deepEqual(labelKeyAction('k', '', 'next'), { type: 'type', char: 'k' });
    assert.deepEqual(labelKeyAction('s', 'new york, u', 'next'), { type: 'type', char: 's' });
    assert.deepEqual(labelKeyAction('p', '', 'next'), { type: 'type', char: 'p' });
    assert.deepEqual(labelKeyAction(' ', 'new', 'next'), { type: 'type', char: ' ' });
    assert.equal(labelKeyAction(' ', '', 'next'), null);
  });

  it('Backspace erases a typed letter, else undoes; Escape clears', () => {
    assert.deepEqual(labelKeyAction('Backspace', 'pa', 'next'), { type: 'erase' });
    assert.deepEqual(labelKeyAction('Backspace', '', 'next'), { type: 'undo' });
    assert.deepEqual(labelKeyAction('Escape', 'pa', 'next'), { type: 'clear' });
    assert.equal(labelKeyAction('Escape', '', 'next'), null);
  });

  it('a typed part of a name finds the city', () => {
    const cities = ['London', 'Paris', 'Sydney', 'San Francisco'];
    assert.equal(typedCity('ydn', cities), 'Sydney');
    assert.equal(typedCity('franc', cities), 'San Francisco');
    assert.equal(typedCity('zz', cities), null);
  });

  it('the legend names the keep key only in the suspects queue', () => {
    assert.ok(!legendOf('next').some((l) => l.keys.includes('K')));
    assert.ok(legendOf('suspects').some((l) => l.keys.includes('K')));
  });
});

void describe('learning curve geometry', () => {
  it('scales labels to x and accuracy to y, skipping points without accuracy', () => {
    const box = { width: 120, height: 120, pad: 10 };
    const points = polylinePoints(
      [
        { labels: 0, valAccuracy: 0 },
        { labels: 50, valAccuracy: null },
        { labels: 100, valAccuracy: 1 },
      ],
      100,
      box,
    );
    assert.equal(points, '10.0,110.0 110.0,10.0');
  });
});
