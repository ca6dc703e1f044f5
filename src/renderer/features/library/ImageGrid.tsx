import { useEffect, useRef, useState } from 'react';
import type { KeyboardEvent, MouseEvent } from 'react';
import type { ImageSummary } from '../../../shared/contract/library-types';
import { useStudio } from '../../app/studio-context';
import { baseName } from './format';
import { GAP_PX } from './grid-layout';
import type { ClickMods } from './selection';
import { useGridWindow } from './use-grid-window';

/** Start the next page when the screen's bottom edge is this many rows from the loaded end. */
const PREFETCH_ROWS = 2;

/**
 * The image grid, virtualised: rows have a fixed height, only the rows on screen (and a few
 * around them) exist in the DOM, and padding stands in for the rest so the scrollbar is true.
 */
export function ImageGrid(props: {
  items: readonly ImageSummary[];
  selected: ReadonlySet<number>;
  hasMore: boolean;
  loadingMore: boolean;
  onSelect: (id: number, mods: ClickMods) => void;
  onSelectAll: () => void;
  onLoadMore: () => void;
}) {
  const { transport } = useStudio();
  const listRef = useRef<HTMLDivElement>(null);
  const [focusIndex, setFocusIndex] = useState(0);
  const pendingFocus = useRef<number | null>(null);
  const { items, hasMore, loadingMore, onLoadMore } = props;
  const win = useGridWindow(listRef, items.length);

  // Infinite scroll: the next page loads as the end of what is loaded comes near the screen.
  useEffect(() => {
    if (hasMore && !loadingMore && win.visibleEnd >= win.rowCount - PREFETCH_ROWS) onLoadMore();
  }, [hasMore, loadingMore, onLoadMore, win.visibleEnd, win.rowCount]);

  // A cell moved to by the keyboard may only exist after this render: focus it once it does.
  useEffect(() => {
    const index = pendingFocus.current;
    if (index === null) return;
    const cell = listRef.current?.querySelector<HTMLElement>(`[data-index="${index}"]`);
    if (cell !== null && cell !== undefined) {
      pendingFocus.current = null;
      cell.focus();
    }
  });

  const focusCell = (index: number): void => {
    const clamped = Math.max(0, Math.min(items.length - 1, index));
    setFocusIndex(clamped);
    pendingFocus.current = clamped;
    listRef.current?.querySelector<HTMLElement>(`[data-index="${clamped}"]`)?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>, index: number, id: number): void => {
    const mods = { shift: event.shiftKey, toggle: event.ctrlKey || event.metaKey };
    const step: Record<string, number> = {
      ArrowRight: 1,
      ArrowLeft: -1,
      ArrowDown: win.columns,
      ArrowUp: -win.columns,
    };
    const delta = step[event.key];
    if (delta !== undefined) {
      event.preventDefault();
      const target = Math.max(0, Math.min(items.length - 1, index + delta));
      const item = items[target];
      focusCell(target);
      if (item !== undefined) props.onSelect(item.id, { shift: event.shiftKey, toggle: false });
    } else if (event.key === ' ' || event.key === 'Enter') {
      event.preventDefault();
      props.onSelect(id, mods);
    } else if (event.key.toLowerCase() === 'a' && mods.toggle) {
      event.preventDefault();
      props.onSelectAll();
    }
  };

  const onClick = (event: MouseEvent<HTMLDivElement>, index: number, id: number): void => {
    if (event.shiftKey) event.preventDefault(); // no text selection on shift-click
    setFocusIndex(index);
    props.onSelect(id, { shift: event.shiftKey, toggle: event.ctrlKey || event.metaKey });
  };

  const start = win.first * win.columns;
  const shown = items.slice(start, win.end * win.columns);
  const tabbable = Math.min(focusIndex, items.length - 1);
  return (
    <>
      <div
        ref={listRef}
        className="image-grid"
        role="listbox"
        aria-label="Images"
        aria-multiselectable="true"
        data-testid="image-grid-items"
        data-rendered={shown.length}
        style={{
          gridTemplateColumns: `repeat(${win.columns}, minmax(0, 1fr))`,
          gridAutoRows: `${win.rowHeight - GAP_PX}px`,
          gap: `${GAP_PX}px`,
          paddingTop: win.first * win.rowHeight,
          paddingBottom: (win.rowCount - win.end) * win.rowHeight,
        }}
      >
        {shown.map((image, offset) => {
          const index = start + offset;
          const selected = props.selected.has(image.id);
          const name = baseName(image.path);
          const wrong =
            !image.unknown &&
            image.prediction !== null &&
            image.city !== null &&
            image.prediction.city.toLowerCase() !== image.city.toLowerCase();
          return (
            <div
              key={image.id}
              role="option"
              aria-selected={selected}
              aria-setsize={items.length}
              aria-posinset={index + 1}
              // The first rendered cell keeps the grid reachable with Tab when the focused one
              // has scrolled out of the DOM.
              tabIndex={
                index === tabbable ||
                (offset === 0 && (tabbable < start || tabbable >= start + shown.length))
                  ? 0
                  : -1
              }
              className={`grid-cell${selected ? ' selected' : ''}${wrong ? ' mispredicted' : ''}${image.unknown ? ' unknown-answer' : ''}`}
              data-testid="grid-cell"
              data-index={index}
              data-image-id={image.id}
              data-city={image.city ?? ''}
              data-predicted={image.prediction?.city ?? ''}
              data-unknown={image.unknown}
              title={
                image.unknown
                  ? `${image.path}\nUnknown (none of the model’s cities)`
                  : wrong && image.prediction !== null
                    ? `${image.path}\nPredicted ${image.prediction.city}`
                    : image.path
              }
              onClick={(e) => onClick(e, index, image.id)}
              onKeyDown={(e) => onKeyDown(e, index, image.id)}
            >
              <img
                src={transport.assetUrl('thumb', image.id)}
                alt={name}
                loading="lazy"
                draggable={false}
              />
              <span className="cell-name">{name}</span>
              <span className={`cell-city${image.city === null ? ' unlabeled' : ''}`}>
                {image.city ?? 'unlabeled'}
              </span>
              {image.split !== null && (
                <span className={`cell-split split-${image.split}`}>{image.split}</span>
              )}
              {image.unknown && (
                <span className="cell-unknown" aria-label="unknown: none of the model’s cities">
                  ?
                </span>
              )}
              {wrong && (
                <span
                  className="cell-wrong"
                  aria-label={`predicted ${image.prediction?.city ?? ''}`}
                >
                  ≠
                </span>
              )}
            </div>
          );
        })}
      </div>
      <div className="grid-end">
        {hasMore && (
          <button type="button" onClick={onLoadMore} disabled={loadingMore}>
            {loadingMore ? 'Loading…' : 'Load more'}
          </button>
        )}
      </div>
    </>
  );
}
