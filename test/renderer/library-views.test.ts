// The renderer's pure logic (no DOM, no browser): selection, job table, form checks, storage.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateCity, EMPTY_CITY_FORM } from '../../src/renderer/features/cities/validate';
import { appendPaths, parsePaths } from '../../src/renderer/features/import/parse-paths';
import { applyJobEvent, importSummary } from '../../src/renderer/features/jobs/job-rows';
import { listParams, NO_FILTERS } from '../../src/renderer/features/library/filters';
import {
  clickSelect,
  EMPTY_SELECTION,
  pruneSelection,
} from '../../src/renderer/features/library/selection';
import { shortcutFor, shortcutIndex } from '../../src/renderer/features/library/shortcuts';
import {
  forgetRecent,
  loadRecent,
  rememberRecent,
} from '../../src/renderer/features/open-library/recent';
import { formFromConfig, validateSplit } from '../../src/renderer/features/splits/split-form';
import { takeBridgeToken } from '../../src/renderer/transport/token';
import { methods } from '../../src/shared/contract/methods';

const ORDER = [10, 11, 12, 13, 14];
const ids = (s: { ids: ReadonlySet<number> }) => [...s.ids].sort((a, b) => a - b);

void describe('grid selection', () => {
  void it('a click selects one image and becomes the anchor', () => {
    const s = clickSelect(EMPTY_SELECTION, ORDER, 12, { shift: false, toggle: false });
    assert.deepEqual(ids(s), [12]);
    assert.equal(s.anchor, 12);
  });

  void it('shift-click selects the range from the anchor, in either direction', () => {
    const a = clickSelect(EMPTY_SELECTION, ORDER, 12, { shift: false, toggle: false });
    assert.deepEqual(ids(clickSelect(a, ORDER, 14, { shift: true, toggle: false })), [12, 13, 14]);
    const back = clickSelect(a, ORDER, 10, { shift: true, toggle: false });
    assert.deepEqual(ids(back), [10, 11, 12]);
    assert.equal(back.anchor, 12, 'the anchor stays, so the range can be changed again');
  });

  void it('ctrl-click toggles and ctrl-shift-click adds a range', () => {
    let s = clickSelect(EMPTY_SELECTION, ORDER, 10, { shift: false, toggle: false });
    s = clickSelect(s, ORDER, 13, { shift: false, toggle: true });
    assert.deepEqual(ids(s), [10, 13]);
    s = clickSelect(s, ORDER, 13, { shift: false, toggle: true });
    assert.deepEqual(ids(s), [10]);
    s = clickSelect(s, ORDER, 12, { shift: false, toggle: true });
    s = clickSelect(s, ORDER, 14, { shift: true, toggle: true });
    assert.deepEqual(ids(s), [10, 12, 13, 14]);
  });

  void it('shift-click without an anchor selects just that image', () => {
    assert.deepEqual(
      ids(clickSelect(EMPTY_SELECTION, ORDER, 11, { shift: true, toggle: false })),
      [11],
    );
  });

  void it('a reload drops images that are no longer listed', () => {
    const s = { ids: new Set([10, 12, 99]), anchor: 99 };
    const pruned = pruneSelection(s, ORDER);
    assert.deepEqual(ids(pruned), [10, 12]);
    assert.equal(pruned.anchor, null);
    const same = { ids: new Set([10]), anchor: 10 };
    assert.equal(pruneSelection(same, ORDER), same, 'unchanged selections keep their identity');
  });
});

void describe('labeling shortcuts', () => {
  void it('1–9 pick the first nine cities and 0 the tenth', () => {
    assert.equal(shortcutIndex('1'), 0);
    assert.equal(shortcutIndex('9'), 8);
    assert.equal(shortcutIndex('0'), 9);
    assert.equal(shortcutIndex('a'), null);
    assert.equal(shortcutFor(9), '0');
    assert.equal(shortcutFor(10), null);
  });
});

void describe('jobs panel', () => {
  void it('folds progress, done and failure events into rows', () => {
    let rows = applyJobEvent(new Map(), { type: 'queued', jobId: 'j1', kind: 'import' }, 0);
    assert.equal(rows.get('j1')?.status, 'queued');
    rows = applyJobEvent(
      rows,
      { type: 'progress', jobId: 'j1', kind: 'import', done: 3, total: 10, message: 'a.jpg' },
      1,
    );
    assert.deepEqual(
      [rows.get('j1')?.status, rows.get('j1')?.done, rows.get('j1')?.total, rows.get('j1')?.order],
      ['running', 3, 10, 0],
    );
    const report = {
      imported: 9,
      duplicates: 1,
      skipped: 0,
      alreadyPresent: 0,
      labeled: 4,
      errors: [{ path: '/x.jpg', reason: 'bad' }],
      duplicateOf: [],
      durationMs: 10,
    };
    rows = applyJobEvent(rows, { type: 'done', jobId: 'j1', kind: 'import', result: report }, 2);
    assert.equal(rows.get('j1')?.status, 'done');
    assert.equal(rows.get('j1')?.summary, '9 imported, 1 duplicate, 1 error');
    rows = applyJobEvent(
      rows,
      { type: 'failed', jobId: 'j2', kind: 'import', error: { code: 'IO_ERROR', message: 'disk' } },
      3,
    );
    assert.deepEqual(rows.get('j2')?.error, { code: 'IO_ERROR', message: 'disk' });
    assert.equal(
      importSummary({ ...report, errors: [], duplicates: 2 }),
      '9 imported, 2 duplicates',
    );
  });
});

void describe('forms', () => {
  void it('a city is checked field by field before it is sent', () => {
    const bad = validateCity({ name: ' ', country: '', lat: '91', lon: 'x', radiusKm: '0' }, []);
    assert.equal(bad.ok, false);
    assert.deepEqual(Object.keys(bad.ok ? {} : bad.errors).sort(), [
      'lat',
      'lon',
      'name',
      'radiusKm',
    ]);
    const dup = validateCity({ ...EMPTY_CITY_FORM, name: 'paris', lat: '1', lon: '2' }, ['Paris']);
    assert.equal(dup.ok ? null : dup.errors.name, '“paris” is already in the library.');
    const good = validateCity(
      { name: ' Tokyo ', country: 'Japan', lat: '35.6762', lon: '139.6503', radiusKm: '30' },
      ['Paris'],
    );
    assert.deepEqual(good, {
      ok: true,
      value: { name: 'Tokyo', country: 'Japan', lat: 35.6762, lon: 139.6503, radiusKm: 30 },
    });
    assert.ok(good.ok && methods['cities.add'].params.safeParse(good.value).success);
  });

  void it('split percentages must add up to 100 and become fractions the contract accepts', () => {
    const form = formFromConfig({ train: 0.9, val: 0.05, test: 0.05, seed: 1, spatialKm: null });
    assert.deepEqual(form, {
      train: '90',
      val: '5',
      test: '5',
      seed: '1',
      spatial: false,
      spatialKm: '1',
    });
    const off = validateSplit({ ...form, train: '80' });
    assert.match(off.ok ? '' : (off.errors.sum ?? ''), /add up to 90%/);
    const checked = validateSplit({
      ...form,
      train: '70',
      val: '15',
      test: '15',
      spatial: true,
      spatialKm: '2',
    });
    assert.ok(checked.ok);
    assert.ok(methods['split.assign'].params.safeParse(checked.value).success);
    assert.equal(checked.value.spatialKm, 2);
    assert.equal(validateSplit({ ...form, seed: '1.5' }).ok, false);
  });

  void it('import paths are one a line, blanks ignored', () => {
    assert.deepEqual(parsePaths('  /a/b \r\n\n/c.jpg\n   \n'), ['/a/b', '/c.jpg']);
    // Paths from the native picker are added once, after what was typed.
    assert.equal(appendPaths(' /a/b\n\n', ['/c', '/a/b', '/c', '']), '/a/b\n/c');
    assert.equal(appendPaths('', ['/x']), '/x');
  });

  void it('filters become images.list parameters the contract accepts', () => {
    const params = listParams({ ...NO_FILTERS, city: 'Paris', search: '  ' }, 42, 120);
    assert.deepEqual(params, {
      cursor: 42,
      limit: 120,
      city: 'Paris',
      split: null,
      labeled: null,
      labelSource: null,
      search: null,
    });
    assert.ok(methods['images.list'].params.safeParse(params).success);
    // The "unknown" filter is sent only when set, as the other prediction filters.
    const unknown = listParams({ ...NO_FILTERS, unknown: true }, null, 10);
    assert.equal(unknown.unknown, true);
    assert.ok(methods['images.list'].params.safeParse(unknown).success);
    assert.equal('unknown' in listParams(NO_FILTERS, null, 10), false);
  });
});

void describe('browser storage', () => {
  const memory = () => {
    const data = new Map<string, string>();
    return {
      getItem: (k: string) => data.get(k) ?? null,
      setItem: (k: string, v: string) => void data.set(k, v),
    };
  };

  void it('recent libraries: most recent first, no duplicates, at most 8', () => {
    const storage = memory();
    for (let i = 0; i < 10; i += 1) rememberRecent(`/lib/${i}`, storage);
    rememberRecent('/lib/5', storage);
    const recent = loadRecent(storage);
    assert.equal(recent.length, 8);
    assert.deepEqual(recent.slice(0, 3), ['/lib/5', '/lib/9', '/lib/8']);
    assert.deepEqual(forgetRecent('/lib/9', storage).slice(0, 2), ['/lib/5', '/lib/8']);
    storage.setItem('littleplanet.recentLibraries', '{broken');
    assert.deepEqual(loadRecent(storage), []);
  });

  void it('the bridge token moves from the URL hash into session storage', () => {
    const session = memory();
    let replaced: string | null = null;
    const fakeWindow = {
      location: { hash: '#token=abc%2F123', pathname: '/', search: '' },
      sessionStorage: session,
      history: { replaceState: (_s: unknown, _t: string, url: string) => (replaced = url) },
    } as unknown as Window;
    assert.equal(takeBridgeToken(fakeWindow), 'abc/123');
    assert.equal(replaced, '/');
    const reloaded = { ...fakeWindow, location: { hash: '', pathname: '/', search: '' } };
    assert.equal(takeBridgeToken(reloaded as unknown as Window), 'abc/123');
    const fresh = { ...reloaded, sessionStorage: memory() };
    assert.equal(takeBridgeToken(fresh as unknown as Window), null);
  });
});
