// The review queue's list state: pages of a batch's photos, the photo on screen and the reviews
// made in this session (for undo). Pure, so paging and undo are unit-tested without a screen.
import type { GeoItem, GeoItemFilter } from '../../../shared/contract/geo-types';

export type Queue = {
  items: GeoItem[];
  /** How many photos match the filter on the server (more may be loaded later). */
  total: number;
  /** The photo on screen; `items.length` is the "end of the list" screen. */
  index: number;
  /** Photos reviewed in this session, newest last: what `U` takes back. */
  history: number[];
};

export const EMPTY_QUEUE: Queue = { items: [], total: 0, index: 0, history: [] };

/** Adds a page, dropping photos already listed (a page can overlap after reviews moved rows). */
export function mergePage(queue: Queue, page: { total: number; items: GeoItem[] }): Queue {
  const known = new Set(queue.items.map((i) => i.imageId));
  const fresh = page.items.filter((i) => !known.has(i.imageId));
  return { ...queue, items: [...queue.items, ...fresh], total: page.total };
}

/**
 * Where the next page starts. The server's `pending` and `unsure` lists lose the photos reviewed
 * since, so the offset is the number of listed photos that still match, not the number listed.
 */
export function nextOffset(filter: GeoItemFilter, items: readonly GeoItem[]): number {
  switch (filter) {
    case 'pending':
      return items.filter((i) => i.review === 'pending').length;
    case 'unsure':
      return items.filter((i) => i.unsure).length;
    case 'reviewed':
      return items.filter((i) => i.review !== 'pending').length;
    // Reviewing an unknown photo does not take it off the server's list.
    case 'unknown':
    case 'all':
    case 'gps':
      return items.length;
  }
}

/** True when the server has photos matching the filter that are not listed yet. */
export function hasMore(filter: GeoItemFilter, queue: Queue): boolean {
  return nextOffset(filter, queue.items) < queue.total;
}

const replace = (items: readonly GeoItem[], updated: GeoItem): GeoItem[] =>
  items.map((i) => (i.imageId === updated.imageId ? updated : i));

/** A review answered: the photo's new state is shown and the next photo comes up. */
export function afterReview(queue: Queue, updated: GeoItem): Queue {
  const at = queue.items.findIndex((i) => i.imageId === updated.imageId);
  const items = replace(queue.items, updated);
  return {
    ...queue,
    items,
    index: Math.min((at < 0 ? queue.index : at) + 1, items.length),
    history: [...queue.history.filter((id) => id !== updated.imageId), updated.imageId],
  };
}

/** An undo answered: the photo is pending again and back on screen. */
export function afterUndo(queue: Queue, updated: GeoItem): Queue {
  const items = replace(queue.items, updated);
  const at = items.findIndex((i) => i.imageId === updated.imageId);
  return {
    ...queue,
    items,
    index: at < 0 ? queue.index : at,
    history: queue.history.filter((id) => id !== updated.imageId),
  };
}

/**
 * The photo `U` takes back: the newest review of this session, else the photo on screen when it
 * was reviewed before (e.g. in an earlier session); null when there is nothing to undo.
 */
export function undoTarget(queue: Queue): number | null {
  const last = queue.history[queue.history.length - 1];
  if (last !== undefined) return last;
  const current = queue.items[queue.index];
  return current !== undefined && current.review !== 'pending' ? current.imageId : null;
}

/** Moves the cursor by `delta`, staying within the list and its end screen. */
export function move(queue: Queue, delta: number): Queue {
  const index = Math.min(Math.max(queue.index + delta, 0), queue.items.length);
  return index === queue.index ? queue : { ...queue, index };
}

/**
 * The listed photos' "unsure" flags under a new threshold, without re-reading the list (which
 * would lose the reviewer's place): pending and predicted below it, as the server decides.
 */
export function withThreshold(queue: Queue, unsureBelow: number): Queue {
  return {
    ...queue,
    items: queue.items.map((i) => ({
      ...i,
      unsure: i.review === 'pending' && i.probability !== null && i.probability < unsureBelow,
    })),
  };
}
