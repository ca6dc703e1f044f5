export type Selection = {
  ids: ReadonlySet<number>;
  /** Where a shift-click range starts: the last plainly clicked (or toggled) image. */
  anchor: number | null;
};

export const EMPTY_SELECTION: Selection = { ids: new Set(), anchor: null };

export type ClickMods = { shift: boolean; toggle: boolean };

/**
 * File-manager selection over the images in grid order: a click selects one image, ctrl/cmd-click
 * toggles one, shift-click selects the range from the anchor (added to the selection with ctrl/cmd).
 */
export function clickSelect(
  current: Selection,
  order: readonly number[],
  id: number,
  mods: ClickMods,
): Selection {
  const anchorIndex = current.anchor === null ? -1 : order.indexOf(current.anchor);
  const index = order.indexOf(id);
  if (mods.shift && anchorIndex >= 0 && index >= 0) {
    const [from, to] = anchorIndex <= index ? [anchorIndex, index] : [index, anchorIndex];
    const range = order.slice(from, to + 1);
    const ids = new Set(mods.toggle ? [...current.ids, ...range] : range);
    return { ids, anchor: current.anchor };
  }
  if (mods.toggle) {
    const ids = new Set(current.ids);
    if (ids.has(id)) ids.delete(id);
    else ids.add(id);
    return { ids, anchor: id };
  }
  return { ids: new Set([id]), anchor: id };
}

/** Drops ids no longer listed (after a reload with filters) so actions never hit hidden images. */
export function pruneSelection(current: Selection, order: readonly number[]): Selection {
  const present = new Set(order);
  const ids = new Set([...current.ids].filter((id) => present.has(id)));
  if (ids.size === current.ids.size) return current;
  const anchor = current.anchor !== null && present.has(current.anchor) ? current.anchor : null;
  return { ids, anchor };
}
