import { hashString32 } from '../../../shared/domain/random';

/**
 * A seeded PRNG (mulberry32) whose whole state is one 32-bit number, so a checkpoint can store it
 * and a resumed run draws exactly the numbers an uninterrupted run would have drawn.
 */
export class Prng {
  private s: number;

  constructor(seed: number) {
    this.s = seed >>> 0;
  }

  get state(): number {
    return this.s;
  }

  set state(value: number) {
    this.s = value >>> 0;
  }

  /** An integer in [0, 2^32). */
  nextUint32(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** A number in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Fisher–Yates shuffle in place. */
  shuffle(values: Int32Array): Int32Array {
    for (let i = values.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = values[i] as number;
      values[i] = values[j] as number;
      values[j] = tmp;
    }
    return values;
  }
}

/** An independent seed for one purpose ('init', 'shuffle', ...) derived from the user's seed. */
export function deriveSeed(seed: number, stream: string): number {
  return hashString32(stream, seed >>> 0);
}

/**
 * An inverted-dropout mask of `size` values: 0 (dropped) or 1 / keep (kept), drawn from `prng`.
 * Each 32-bit draw decides four entries (one byte each), so the rate is quantised to 1/256 and
 * the expected value of every entry is exactly 1. Four times fewer PRNG calls than one per entry,
 * and far cheaper than tf.dropout's seeded generator (which dominated a 90k x 1280 epoch).
 */
export function dropoutMask(prng: Prng, size: number, rate: number): Float32Array {
  const threshold = Math.min(256, Math.max(1, Math.round((1 - rate) * 256)));
  const scale = 256 / threshold;
  const mask = new Float32Array(size);
  for (let i = 0; i < size; i += 4) {
    const r = prng.nextUint32();
    const end = Math.min(size, i + 4);
    for (let j = i, shift = 0; j < end; j++, shift += 8) {
      mask[j] = ((r >>> shift) & 0xff) < threshold ? scale : 0;
    }
  }
  return mask;
}
