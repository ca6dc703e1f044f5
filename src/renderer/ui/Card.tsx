import type { ReactNode } from 'react';
import type { Load } from '../app/use-load';
import type { DataAttributes } from './DataTable';
import { ErrorLine } from './ErrorLine';

/**
 * A titled card (`section.card` named by its `h2`). `titleId` ties the heading to the section for
 * screen readers and tests (`getByRole('region', { name })`).
 */
export function Card(
  props: {
    titleId: string;
    title: ReactNode;
    testId?: string;
    className?: string;
    children?: ReactNode;
  } & DataAttributes,
) {
  const { titleId, title, testId, className, children, ...data } = props;
  return (
    <section
      className={className === undefined ? 'card' : `card ${className}`}
      aria-labelledby={titleId}
      data-testid={testId}
      {...data}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
    </section>
  );
}

/**
 * A card listing what a `useLoad` brought: its error, then the items or a line saying there are
 * none. `data-state` and `data-count` tell tests when the list has arrived.
 * `emptyOnlyWhenReady`: while loading (or after an error) show the items (none yet) rather than
 * the "none" line, for lists that are seldom empty.
 */
export function ListCard<T>(props: {
  titleId: string;
  title: ReactNode;
  testId: string;
  list: Load<T[]>;
  /** Said under the title before the list. */
  intro?: ReactNode;
  empty: ReactNode;
  emptyOnlyWhenReady?: boolean;
  /** Leave out `data-state` (cards whose tests never waited on it). */
  noState?: boolean;
  children: (items: T[]) => ReactNode;
  /** Forms and dialogs after the list. */
  after?: ReactNode;
}) {
  const items = props.list.value ?? [];
  const showEmpty =
    items.length === 0 && (props.emptyOnlyWhenReady !== true || props.list.state === 'ready');
  return (
    <Card
      titleId={props.titleId}
      title={props.title}
      testId={props.testId}
      data-state={props.noState === true ? undefined : props.list.state}
      data-count={items.length}
    >
      {props.intro}
      {props.list.error !== null && <ErrorLine error={props.list.error} />}
      {showEmpty ? props.empty : props.children(items)}
      {props.after}
    </Card>
  );
}
