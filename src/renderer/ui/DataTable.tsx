import type { HTMLAttributes, Key, ReactNode, TdHTMLAttributes } from 'react';

/** `data-*` attributes, which tests and CSS select rows and cells by. */
export type DataAttributes = { [name: `data-${string}`]: string | number | boolean | undefined };

export type Column<T> = {
  header: ReactNode;
  /** Right-aligned figures: `num` on the header and on every cell. */
  num?: boolean;
  /** The header is read to screen readers only (an actions column). */
  hiddenHeader?: boolean;
  /** The header's tooltip. */
  title?: string;
  /** The row's name: `<th scope="row">` instead of `<td>`. */
  rowHeader?: boolean;
  /** Classes of every cell besides `num`. */
  className?: string;
  /** Per-row cell attributes (a tooltip, a data attribute tests read). */
  cellProps?: (row: T) => TdHTMLAttributes<HTMLTableCellElement> & DataAttributes;
  cell: (row: T, index: number) => ReactNode;
};

/** Joins class names, skipping the empty ones; undefined when none is left (no empty attribute). */
export function classes(...names: (string | false | null | undefined)[]): string | undefined {
  const joined = names.filter((n): n is string => typeof n === 'string' && n !== '').join(' ');
  return joined === '' ? undefined : joined;
}

function HeaderCell<T>(props: { column: Column<T> }) {
  const c = props.column;
  if (c.hiddenHeader === true) {
    return (
      <th scope="col">
        <span className="visually-hidden">{c.header}</span>
      </th>
    );
  }
  return (
    <th scope="col" className={classes(c.num === true && 'num')} title={c.title}>
      {c.header}
    </th>
  );
}

/**
 * The app's data table (`.data-table`): a header row from the columns, then one row per item.
 * Columns say how a cell looks; rows get their key and attributes (test ids, selection) from the
 * caller, so the markup stays the one the tests and the CSS know.
 */
export function DataTable<T>(props: {
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T, index: number) => Key;
  rowProps?: (row: T, index: number) => HTMLAttributes<HTMLTableRowElement> & DataAttributes;
  className?: string;
  testId?: string;
  /** Names the table for screen readers only (a chart beside it says the same to the eye). */
  caption?: string;
  /** The cells of a closing `<tfoot>` row (totals, averages). */
  footer?: ReactNode;
}) {
  return (
    <table className={classes('data-table', props.className)} data-testid={props.testId}>
      {props.caption !== undefined && (
        <caption className="visually-hidden">{props.caption}</caption>
      )}
      <thead>
        <tr>
          {props.columns.map((c, i) => (
            <HeaderCell key={i} column={c} />
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row, r) => (
          <tr key={props.rowKey(row, r)} {...props.rowProps?.(row, r)}>
            {props.columns.map((c, i) => {
              const className = classes(c.num === true && 'num', c.className);
              const extra = c.cellProps?.(row);
              return c.rowHeader === true ? (
                <th key={i} scope="row" className={className} {...extra}>
                  {c.cell(row, r)}
                </th>
              ) : (
                <td key={i} className={className} {...extra}>
                  {c.cell(row, r)}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
      {props.footer !== undefined && (
        <tfoot>
          <tr>{props.footer}</tr>
        </tfoot>
      )}
    </table>
  );
}
