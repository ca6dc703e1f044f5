import { useEffect, useRef, useState } from 'react';
import type { KeyboardEvent, MouseEvent } from 'react';
import type { ImageSummary } from '../../../shared/contract/library-types';
import { useStudio } from '../../app/studio-context';
import { baseName } from './format';
import type { ClickMods } from './selection';

/** How many grid cells one row holds right now (for ArrowUp / ArrowDown). */
function columnsOf(list: HTMLElement | null): number {
  const cells = list?.querySelectorAll<HTMLElement>('[role="option"]') ?? [];
  const first = cells[0];
  if (first === undefined) return 1;
  let n = 0;
  for (const cell of cells) {
    if (cell.offsetTop !== first.offsetTop) break;
    n += 1;
  }
  return Math.max(1, n);
}

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
  const sentinelRef = useRef<HTMLDivElement>(null);
  const [focusIndex, setFocusIndex] = useState(0);
  const { hasMore, onLoadMore } = props;

  // Infinite scroll: the next page loads as the end of the grid comes into view.
  useEffect(() => {
    const sentinel = sentinelRef.current;
    if (sentinel === null || !hasMore) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) onLoadMore();
      },
      { rootMargin: '400px' },
    );
    observer.observe(sentinel);
    return () => observer.disconnect();
  }, [hasMore, onLoadMore]);

  const focusCell = (index: number): void => {
    const clamped = Math.max(0, Math.min(props.items.length - 1, index));
    setFocusIndex(clamped);
    listRef.current?.querySelectorAll<HTMLElement>('[role="option"]')[clamped]?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>, index: number, id: number): void => {
    const mods = { shift: event.shiftKey, toggle: event.ctrlKey || event.metaKey };
    const step: Record<string, number> = {
      ArrowRight: 1,
      ArrowLeft: -1,
      ArrowDown: columnsOf(listRef.current),
      ArrowUp: -columnsOf(listRef.current),
    };
    const delta = step[event.key];
    if (delta !== undefined) {
      event.preventDefault();
      const target = Math.max(0, Math.min(props.items.length - 1, index + delta));
      const item = props.items[target];
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

  return (
    <>
      <div
        ref={listRef}
        className="image-grid"
        role="listbox"
        aria-label="Images"
        aria-multiselectable="true"
        data-testid="image-grid-items"
      >
        {props.items.map((image, index) => {
          const selected = props.selected.has(image.id);
          const name = baseName(image.path);
          return (
            <div
              key={image.id}
              role="option"
              aria-selected={selected}
              tabIndex={index === Math.min(focusIndex, props.items.length - 1) ? 0 : -1}
              className={`grid-cell${selected ? ' selected' : ''}`}
              data-testid="grid-cell"
              data-image-id={image.id}
              data-city={image.city ?? ''}
              title={image.path}
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
            </div>
          );
        })}
      </div>
      <div ref={sentinelRef} className="grid-end">
        {props.hasMore && (
          <button type="button" onClick={props.onLoadMore} disabled={props.loadingMore}>
            {props.loadingMore ? 'Loading…' : 'Load more'}
          </button>
        )}
      </div>
    </>
  );
}
