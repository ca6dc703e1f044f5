// The one CSV writer and reader of the app (geolocation exports, study trials, collector
// manifests, import manifests), on the node-csv project's csv-stringify / csv-parse.
//
// Spreadsheets run a cell that starts with = + - @ (or a tab / CR before one) as a formula, so a
// photo path or a participant's name could make Excel or LibreOffice fetch a URL or run a command
// when a results file is opened. Every text cell that starts so is written with a leading
// apostrophe (OWASP's advice; csv-stringify's `escape_formulas`); numbers are written as numbers,
// so -33.86 stays a number. The reader takes that apostrophe off again, so our own files read
// back exactly as they were written.
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

export type CsvCell = string | number | boolean | null;

/** Header + rows as RFC 4180 text with LF line ends and a final newline; null is an empty cell. */
export function csvText(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return stringify([header, ...rows] as CsvCell[][], {
    escape_formulas: true,
    record_delimiter: 'unix',
    // A lone CR is a line end to many readers (ours too): quote the cells that hold one.
    quoted_match: /\r/,
    cast: { boolean: (value) => String(value) },
  });
}

/** A cell as our writer guarded it ("'=x") goes back to what it was ("=x"). */
const GUARDED = /^'[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
const unguard = (cell: string): string => (GUARDED.test(cell) ? cell.slice(1) : cell);

export type CsvRow = { line: number; cells: string[] };

/** Thrown for text that is not CSV at all (an unclosed quote); says where. */
export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

const lineBreaks = (cell: string): number => cell.match(/\r\n|\r|\n/g)?.length ?? 0;

/**
 * CSV text as rows, each with the 1-based line it starts on: quoted fields with "" escapes, commas
 * and line breaks inside quotes, CRLF / LF / CR line ends (mixed too), an optional UTF-8 BOM,
 * stray quotes inside a field kept as text. Blank lines are left out.
 */
export function readCsvRows(text: string): CsvRow[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      info: true,
      bom: true,
      ltrim: true,
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: true,
      record_delimiter: ['\r\n', '\n', '\r'],
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    const line =
      typeof (error as { lines?: unknown }).lines === 'number'
        ? (error as { lines: number }).lines
        : 0;
    throw new CsvSyntaxError(line, `line ${line}: ${(error as Error).message}`);
  }
  return records
    .filter((r) => r.record.length > 1 || (r.record[0] ?? '').trim() !== '')
    .map((r) => ({
      // csv-parse counts the line a record ends on; a quoted line break moves the start back.
      line: r.info.lines - r.record.reduce((n, cell) => n + lineBreaks(cell), 0),
      cells: r.record.map(unguard),
    }));
}
