// The ml-cities harness finds a labelled folder per city, paper cities or any other names.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { asDataset, cityForFolder, findDataset } from '../../bench/cities-dataset';

const root = mkdtempSync(join(tmpdir(), 'lp-cities-set-'));
after(() => rmSync(root, { recursive: true, force: true }));

function folder(path: string, files: string[]): void {
  mkdirSync(path, { recursive: true });
  for (const f of files) writeFileSync(join(path, f), 'x');
}

void describe('ml-cities data sets', () => {
  void it('maps folder names to paper cities where they mean one', () => {
    assert.equal(cityForFolder('new_york'), 'New York');
    assert.equal(cityForFolder('rio'), 'Rio de Janeiro');
    assert.equal(cityForFolder('Zurich'), null);
  });

  void it('keeps any other folder as a city of its own and leaves empty folders out', () => {
    const dir = join(root, 'set');
    folder(join(dir, 'paris'), ['a.jpg', 'b.JPG', 'notes.txt']);
    folder(join(dir, 'Zurich'), ['c.png']);
    folder(join(dir, 'empty'), []);
    const set = asDataset(dir);
    assert.ok(set !== null);
    // Folders in code-point order ('Zurich' before 'empty' before 'paris').
    assert.deepEqual(
      set.cities.map((c) => [c.city, c.files.length]),
      [
        ['Zurich', 1],
        ['Paris', 2],
      ],
    );
    assert.deepEqual(set.ignored, ['empty']);
    assert.equal(findDataset(root)?.dir, dir, 'one level down');
    assert.equal(asDataset(join(dir, 'paris')), null, 'photos without city folders');
  });
});
