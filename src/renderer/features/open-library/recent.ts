const KEY = 'littleplanet.recentLibraries';
const MAX = 8;

type StorageLike = Pick<Storage, 'getItem' | 'setItem'>;

export function loadRecent(storage: StorageLike = localStorage): string[] {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((d): d is string => typeof d === 'string') : [];
  } catch {
    return [];
  }
}

/** Moves `dir` to the top of the recent list (most recent first, no duplicates, at most 8). */
export function rememberRecent(dir: string, storage: StorageLike = localStorage): string[] {
  const next = [dir, ...loadRecent(storage).filter((d) => d !== dir)].slice(0, MAX);
  storage.setItem(KEY, JSON.stringify(next));
  return next;
}

export function forgetRecent(dir: string, storage: StorageLike = localStorage): string[] {
  const next = loadRecent(storage).filter((d) => d !== dir);
  storage.setItem(KEY, JSON.stringify(next));
  return next;
}
