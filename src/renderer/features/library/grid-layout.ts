/**
 * Geometry of the virtualised image grid. Rows have a fixed height computed from the container's
 * width, so which rows are on screen follows from the scroll offset alone, without measuring cells.
 */
export const MIN_CELL_PX = 120;
export const GAP_PX = 10;
/** The file name and city lines under each square thumbnail. */
export const CAPTION_PX = 40;
/** Rows rendered beyond each edge of the viewport, so fast scrolling and arrow keys find cells. */
export const OVERSCAN_ROWS = 3;
/**
 * Up to this many loaded images every cell is rendered: a few hundred cells are cheap, and short
 * lists stay searchable with the browser's find-in-page.
 */
export const VIRTUALISE_ABOVE = 200;

export type GridLayout = { columns: number; cellWidth: number; rowHeight: number };

export function gridLayout(width: number, minCell = MIN_CELL_PX, gap = GAP_PX): GridLayout {
  const usable = Math.max(minCell, width);
  const columns = Math.max(1, Math.floor((usable + gap) / (minCell + gap)));
  const cellWidth = (usable - gap * (columns - 1)) / columns;
  return { columns, cellWidth, rowHeight: Math.round(cellWidth + CAPTION_PX + gap) };
}

/** Rows [first, end) to render when `top`..`bottom` (px from the grid's top) is on screen. */
export function visibleRows(
  top: number,
  bottom: number,
  rowHeight: number,
  rowCount: number,
  overscan = OVERSCAN_ROWS,
): { first: number; end: number } {
  const first = Math.max(0, Math.floor(top / rowHeight) - overscan);
  const end = Math.min(rowCount, Math.ceil(Math.max(top, bottom) / rowHeight) + overscan);
  return { first: Math.min(first, end), end };
}
