// The labeling queues' SQL over a real library file: which photos each pool holds, answers and
// their undo (label, source and exclusion restored), exclusion leaving every training set, and
// the labels CSV carrying each label's source.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Library } from '../../src/main/core/library';
import { labeledImages } from '../../src/main/core/ml-jobs/dataset';
import { recordAnswer, undoLast, queueLabelCount } from '../../src/main/core/labeling/label-events';
import { isExcluded, labelledPool, queueCandidates } from '../../src/main/core/labeling/label-pool';
import { labelsCsv } from '../../src/main/core/labeling/labels-export';
import { tempDir } from './helpers';

function addImage(library: Library, id: number, city: string | null, source: string | null): void {
  const cityId =
    city === null
      ? null
      : (library.sql.get<{ id: number }>('SELECT id FROM cities WHERE name = ?', [city])?.id ??
        null);
  library.sql.run(
    `INSERT INTO images (id, path, content_hash, bytes, mtime_ms, width, height, format, source,
                         imported_at, city_id, label_source, split)
     VALUES (?, ?, ?, 1, 1, 10, 10, 'jpeg', 'folder', 'now', ?, ?, ?)`,
    [id, `/photos/${id}.jpg`, `hash${id}`, cityId, source, cityId === null ? null : 'train'],
  );
}

describe('labeling pools and answers', () => {
  it('pools, answers, undo, exclusion and the labels CSV', (t) => {
    const library = Library.open(tempDir(t), { create: true });
    t.after(() => library.close());
    const sql = library.sql;
    addImage(library, 1, 'Paris', 'folder');
    addImage(library, 2, 'London', 'human');
    addImage(library, 3, null, null);
    addImage(library, 4, 'Paris', 'model');
    addImage(library, 5, 'Sydney', 'folder');

    // Label next asks about unlabelled and model-labelled photos; training uses people's labels.
    assert.deepEqual(
      queueCandidates(sql).map((i) => i.id),
      [3, 4],
    );
    assert.deepEqual(
      labelledPool(sql, ['Paris', 'London']).map((i) => i.id),
      [1, 2],
    );

    const labelled = recordAnswer(sql, {
      modelId: 'm',
      queue: 'next',
      imageId: 3,
      action: 'label',
      city: 'london',
    });
    assert.equal(labelled.city, 'London');
    const row = () =>
      sql.get<{ city_id: number | null; label_source: string | null }>(
        'SELECT city_id, label_source FROM images WHERE id = 3',
      );
    assert.equal(row()?.label_source, 'queue');
    assert.equal(queueLabelCount(sql), 1);
    assert.deepEqual(
      queueCandidates(sql).map((i) => i.id),
      [4],
    );

    // A suspect changed, then undone: the folder label comes back with its source.
    recordAnswer(sql, {
      modelId: 'm',
      queue: 'suspects',
      imageId: 1,
      action: 'change',
      city: 'Sydney',
    });
    assert.equal(
      labelsCsv(sql)
        .csv.split('\n')
        .find((l) => l.startsWith('/photos/1.jpg'))
        ?.split(',')[2],
      'queue',
    );
    assert.equal(undoLast(sql, 'suspects')?.imageId, 1);
    const one = sql.get<{ name: string; label_source: string }>(
      'SELECT c.name, i.label_source FROM images i JOIN cities c ON c.id = i.city_id WHERE i.id = 1',
    );
    assert.deepEqual({ ...one }, { name: 'Paris', label_source: 'folder' });

    // Exclusion is a flag apart from the label; it leaves every training set; undo lifts it.
    recordAnswer(sql, {
      modelId: 'm',
      queue: 'suspects',
      imageId: 5,
      action: 'exclude',
      city: null,
    });
    assert.equal(isExcluded(sql, 5), true);
    assert.ok(!labeledImages(sql).some((i) => i.id === 5));
    assert.ok(!labelledPool(sql, ['Sydney']).some((i) => i.id === 5));
    assert.match(labelsCsv(sql).csv, /\/photos\/5\.jpg,Sydney,folder,[^,]*,1\n/);
    undoLast(sql, 'suspects');
    assert.equal(isExcluded(sql, 5), false);
    assert.ok(labeledImages(sql).some((i) => i.id === 5));

    // Undo in label-next puts the photo back unlabelled; a second undo has nothing left.
    assert.equal(undoLast(sql, 'next')?.imageId, 3);
    assert.deepEqual({ ...row() }, { city_id: null, label_source: null });
    assert.equal(undoLast(sql, 'next'), null);
    assert.equal(queueLabelCount(sql), 0);
    const csv = labelsCsv(sql);
    assert.equal(csv.rows, 4);
    assert.equal(csv.csv.split('\n')[0], 'path,city,source,labelled_at,excluded');
  });
});
