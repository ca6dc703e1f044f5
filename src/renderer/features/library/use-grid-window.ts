import { useEffect, useState, type RefObject } from 'react';
import { gridLayout, visibleRows, type GridLayout, VIRTUALISE_ABOVE } from './grid-layout';

export type GridWindow = GridLayout & {
  first: number;
  end: number;
  rowCount: number;
  /** Rows down to the bottom edge of the screen (no overscan): what paging looks at. */
  visibleEnd: number;
};

/**
 * Which rows of the grid to render. The grid lives inside whatever element scrolls (the main
 * area), so the visible band comes from the grid's own rectangle against the window, refreshed on
 * any scroll (capture phase catches every scrolling ancestor) and on resize.
 */
export function useGridWindow(ref: RefObject<HTMLElement | null>, count: number): GridWindow {
  const [view, setView] = useState({ width: 0, top: 0, bottom: 0 });

  useEffect(() => {
    const el = ref.current;
    if (el === null) return;
    let frame = 0;
    const measure = (): void => {
      frame = 0;
      const rect = el.getBoundingClientRect();
      const next = {
        width: Math.round(el.clientWidth),
        top: Math.max(0, -rect.top),
        bottom: Math.max(0, window.innerHeight - rect.top),
      };
      setView((v) =>
        v.width === next.width && v.top === next.top && v.bottom === next.bottom ? v : next,
      );
    };
    const schedule = (): void => {
      if (frame === 0) frame = requestAnimationFrame(measure);
    };
    measure();
    const resize = new ResizeObserver(schedule);
    resize.observe(el);
    document.addEventListener('scroll', schedule, { capture: true, passive: true });
    window.addEventListener('resize', schedule);
    return () => {
      if (frame !== 0) cancelAnimationFrame(frame);
      resize.disconnect();
      document.removeEventListener('scroll', schedule, { capture: true });
      window.removeEventListener('resize', schedule);
    };
  }, [ref]);

  const layout = gridLayout(view.width);
  const rowCount = Math.ceil(count / layout.columns);
  // Short lists render whole (see VIRTUALISE_ABOVE); before the first measure nothing is known.
  const visibleEnd =
    view.width === 0 ? 0 : visibleRows(view.top, view.bottom, layout.rowHeight, rowCount, 0).end;
  if (count <= VIRTUALISE_ABOVE || view.width === 0) {
    return { ...layout, first: 0, end: rowCount, rowCount, visibleEnd };
  }
  const rows = visibleRows(view.top, view.bottom, layout.rowHeight, rowCount);
  return { ...layout, ...rows, rowCount, visibleEnd };
}
