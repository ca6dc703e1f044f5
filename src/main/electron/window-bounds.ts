/** A window's or a display's rectangle in screen coordinates (Electron's Rectangle). */
export type Rect = { x: number; y: number; width: number; height: number };

/** Room a restored window needs, so a saved size smaller than the window's minimum is not used. */
export type MinimumSize = { minWidth: number; minHeight: number };

function inside(rect: Rect, area: Rect): boolean {
  return (
    rect.x >= area.x &&
    rect.y >= area.y &&
    rect.x + rect.width <= area.x + area.width &&
    rect.y + rect.height <= area.y + area.height
  );
}

/**
 * The saved bounds when they still fit entirely in the work area of one of the current displays,
 * else null (the window then opens at its default size, centred). A monitor unplugged since the last
 * run, or a smaller resolution, would otherwise put the window where nobody can reach it.
 */
export function boundsToRestore(
  saved: Rect | undefined,
  workAreas: readonly Rect[],
  minimum: MinimumSize,
): Rect | null {
  if (saved === undefined) return null;
  if (saved.width < minimum.minWidth || saved.height < minimum.minHeight) return null;
  return workAreas.some((area) => inside(saved, area)) ? saved : null;
}
