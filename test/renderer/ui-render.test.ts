// The renderer kit's components rendered to markup (react-dom/server): the table, list card,
// model picker and form footer must keep the markup the e2e tests and the CSS select.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createElement as h } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { ModelSummary } from '../../src/shared/contract/ml-types';
import type { Load } from '../../src/renderer/app/use-load';
import { ListCard } from '../../src/renderer/ui/Card';
import { classes, DataTable, type Column } from '../../src/renderer/ui/DataTable';
import { FormFooter, TextField } from '../../src/renderer/ui/form';
import { pickedModelId } from '../../src/renderer/ui/model-pick';
import { ModelPicker, NeedsModel } from '../../src/renderer/ui/ModelPicker';
import { Slider } from '../../src/renderer/ui/Slider';

type Row = { name: string; photos: number; share: number | null };
const ROWS: Row[] = [
  { name: 'Paris', photos: 120, share: 0.5 },
  { name: 'Rome', photos: 7, share: null },
];
const COLUMNS: Column<Row>[] = [
  { header: 'City', rowHeader: true, cell: (r) => r.name },
  {
    header: 'Photos',
    num: true,
    className: 'muted',
    cellProps: (r) => ({ 'data-col': 'photos', title: `${r.photos} photos` }),
    cell: (r) => r.photos,
  },
  { header: 'Share', title: 'of all photos', cell: (r) => (r.share === null ? '—' : '50%') },
  { header: 'Actions', hiddenHeader: true, num: true, cell: (r) => `remove ${r.name}` },
];

const table = (extra: Record<string, unknown> = {}): string =>
  renderToStaticMarkup(
    h(DataTable<Row>, {
      columns: COLUMNS,
      rows: ROWS,
      rowKey: (r) => r.name,
      rowProps: (r) => ({ 'data-testid': 'city-row', 'data-city': r.name }),
      testId: 'cities-table',
      ...extra,
    }),
  );

void describe('DataTable', () => {
  void it('renders the header row: num, tooltip and a screen-reader-only actions header', () => {
    assert.match(
      table(),
      new RegExp(
        '^<table class="data-table" data-testid="cities-table"><thead><tr>' +
          '<th scope="col">City</th><th scope="col" class="num">Photos</th>' +
          '<th scope="col" title="of all photos">Share</th>' +
          '<th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>',
      ),
    );
  });

  void it('renders one row per item with its attributes, a row header and the cell values', () => {
    const html = table();
    assert.ok(
      html.includes(
        '<tr data-testid="city-row" data-city="Paris"><th scope="row">Paris</th>' +
          '<td class="num muted" data-col="photos" title="120 photos">120</td>' +
          '<td>50%</td><td class="num">remove Paris</td></tr>',
      ),
      html,
    );
    assert.ok(html.includes('<td>—</td>'), 'a missing value shows as a dash');
    assert.equal(html.match(/<tr data-testid="city-row"/g)?.length, 2);
    assert.ok(!html.includes('<tfoot>'), 'no footer unless asked');
    assert.ok(!html.includes('<caption'), 'no caption unless asked');
  });

  void it('adds the extra table class, a hidden caption and a footer row', () => {
    const html = table({
      className: 'compact',
      caption: 'Photos per city',
      footer: h('th', { scope: 'row' }, 'All'),
    });
    assert.match(html, /^<table class="data-table compact" data-testid="cities-table">/);
    assert.ok(html.includes('<caption class="visually-hidden">Photos per city</caption><thead>'));
    assert.ok(html.endsWith('<tfoot><tr><th scope="row">All</th></tr></tfoot></table>'));
  });

  void it('classes() joins the given names and leaves no empty attribute', () => {
    assert.equal(classes('num', false, undefined, 'muted', ''), 'num muted');
    assert.equal(classes(false, null), undefined);
  });
});

const load = (l: Partial<Load<Row[]>>): Load<Row[]> =>
  ({ state: 'ready', value: [], error: null, ...l }) as Load<Row[]>;
const card = (list: Load<Row[]>, emptyOnlyWhenReady = false): string =>
  renderToStaticMarkup(
    h(ListCard<Row>, {
      titleId: 'runs-title',
      title: 'Past runs',
      testId: 'past-runs',
      list,
      emptyOnlyWhenReady,
      empty: h('p', { className: 'muted' }, 'None yet.'),
      children: (items: Row[]) =>
        h(
          'ul',
          null,
          items.map((r) => h('li', { key: r.name }, r.name)),
        ),
    }),
  );

void describe('ListCard', () => {
  void it('is a titled card region that tells tests its state and count', () => {
    const html = card(load({ value: ROWS }));
    assert.match(
      html,
      /^<section class="card" aria-labelledby="runs-title" data-testid="past-runs" data-state="ready" data-count="2"><h2 id="runs-title">Past runs<\/h2>/,
    );
    assert.ok(html.includes('<ul><li>Paris</li><li>Rome</li></ul>'));
    assert.ok(!html.includes('None yet.'));
  });

  void it('says there are none, while loading too unless it waits for the list', () => {
    assert.ok(card(load({ value: [] })).includes('None yet.'));
    assert.ok(card(load({ state: 'loading', value: null })).includes('None yet.'));
    const waiting = card(load({ state: 'loading', value: null }), true);
    assert.ok(!waiting.includes('None yet.') && waiting.includes('<ul></ul>'), waiting);
    assert.ok(waiting.includes('data-state="loading" data-count="0"'));
  });

  void it('shows the load error with its code above the list', () => {
    const html = card(
      load({ state: 'error', value: null, error: { code: 'IO_ERROR', message: 'gone' } }),
    );
    assert.ok(
      html.includes('<p class="form-error" role="alert"><code>IO_ERROR</code> gone</p><p'),
      html,
    );
  });
});

const model = (id: string, name: string): ModelSummary =>
  ({ id, name, classes: ['Paris', 'Rome'] }) as unknown as ModelSummary;
const MODELS = [model('m2', 'newest'), model('m1', 'older')];

void describe('model picker', () => {
  void it('keeps the picked model while it exists, else shows the newest, else none', () => {
    assert.equal(pickedModelId(MODELS, 'm1'), 'm1');
    assert.equal(pickedModelId(MODELS, 'removed'), 'm2');
    assert.equal(pickedModelId(MODELS, null), 'm2');
    assert.equal(pickedModelId([], 'm1'), '');
  });

  void it('is a labelled select naming each model with its number of cities', () => {
    const html = renderToStaticMarkup(
      h(ModelPicker, {
        id: 'predict-model',
        className: 'ml-wide',
        models: MODELS,
        value: 'm1',
        onChange: () => undefined,
      }),
    );
    assert.equal(
      html,
      '<div class="field ml-wide"><label for="predict-model">Model</label>' +
        '<select id="predict-model"><option value="m2">newest · 2 cities</option>' +
        '<option value="m1" selected="">older · 2 cities</option></select></div>',
    );
  });

  void it('leads to Train only once the list is known to be empty', () => {
    const needs = (models: Load<ModelSummary[]>): string =>
      renderToStaticMarkup(
        h(NeedsModel, { models, emptyTestId: 'predict-empty', children: h('form', null) }),
      );
    const empty = needs({ state: 'ready', value: [], error: null });
    assert.equal(
      empty,
      '<div class="card empty-state" data-testid="predict-empty"><p>No trained model yet.</p>' +
        '<button type="button" class="primary">Train a model</button></div>',
    );
    assert.equal(needs({ state: 'loading', value: null, error: null }), '<form></form>');
    assert.equal(needs({ state: 'ready', value: MODELS, error: null }), '<form></form>');
  });
});

void describe('FormFooter', () => {
  const footer = (props: Record<string, unknown>): string =>
    renderToStaticMarkup(
      h(FormFooter, { busy: false, label: 'Evaluate', busyLabel: 'Evaluating…', ...props }),
    );

  void it('is the submit button, primary, with its test id', () => {
    assert.equal(
      footer({ testId: 'evaluate-start' }),
      '<div class="button-row"><button type="submit" class="primary" data-testid="evaluate-start">Evaluate</button></div>',
    );
  });

  void it('says the problem and the error first, and is disabled with its busy label', () => {
    const html = footer({
      busy: true,
      problem: 'Pick a model.',
      error: { code: 'NOT_FOUND', message: 'no model' },
      errorTestId: 'x-error',
      plain: true,
    });
    assert.equal(
      html,
      '<p class="form-error" role="alert">Pick a model.</p>' +
        '<p class="form-error" role="alert" data-testid="x-error"><code>NOT_FOUND</code> no model</p>' +
        '<div class="button-row"><button type="submit" disabled="">Evaluating…</button></div>',
    );
  });

  void it('can be disabled for another reason than being busy', () => {
    assert.ok(
      footer({ disabled: true }).includes('<button type="submit" class="primary" disabled="">'),
    );
  });
});

void describe('Slider', () => {
  void it('is a range input under its label, with the label class and test id', () => {
    assert.equal(
      renderToStaticMarkup(
        h(Slider, {
          className: 'field geo-threshold',
          labelClassName: 'small',
          label: 'Unsure below 50%',
          min: 0,
          max: 100,
          step: 1,
          value: 50,
          onChange: () => undefined,
          ariaLabel: 'Threshold',
          testId: 'geo-threshold',
        }),
      ),
      '<label class="field geo-threshold"><span class="small">Unsure below 50%</span>' +
        '<input type="range" min="0" max="100" step="1" aria-label="Threshold" data-testid="geo-threshold" value="50"/></label>',
    );
  });
});

void describe('TextField', () => {
  void it('is a labelled text input, mono for paths, with its placeholder and state', () => {
    assert.equal(
      renderToStaticMarkup(
        h(TextField, {
          id: 'export-path',
          label: 'Save as (.lpmodel)',
          className: 'ml-wide',
          mono: true,
          placeholder: '/lib/model.lpmodel',
          value: '',
          disabled: true,
          inputMode: 'numeric',
          onChange: () => undefined,
        }),
      ),
      '<div class="field ml-wide"><label for="export-path">Save as (.lpmodel)</label>' +
        '<input id="export-path" type="text" class="mono" inputMode="numeric" placeholder="/lib/model.lpmodel" disabled="" value=""/></div>',
    );
  });
});
