/**
 * Seeded, platform-free randomness. Splits must be reproducible on every machine and in every
 * runtime (main process, worker, renderer), so nothing here touches Math.random or Node's crypto.
 */

/** A 32-bit unsigned hash of a string (MurmurHash3-style mixing of UTF-16 code units). */
export function hashString32(text: string, seed = 0): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < text.length; i++) {
    let k = text.charCodeAt(i);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) >>> 0;
  }
  return fmix32(h ^ text.length);
}

/** MurmurHash3's finaliser: spreads every input bit over the whole word. */
function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * mulberry32: a tiny PRNG with a full 2^32 period, plenty for shuffling image lists. Returns a
 * function giving numbers in [0, 1).
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A number in [0, 1) fixed by (seed, key): the same image (key = its content hash) lands in the
 * same place for a given seed no matter in which order images were imported or listed.
 */
export function unitFromKey(seed: number, key: string): number {
  return hashString32(key, hashString32(String(seed >>> 0), 0x5eed)) / 4294967296;
}

/** Fisher–Yates shuffle in place driven by `random` (e.g. mulberry32(seed)). */
export function shuffleInPlace<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = items[i] as T;
    items[i] = items[j] as T;
    items[j] = tmp;
  }
  return items;
}
