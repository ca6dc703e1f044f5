// Half-precision conversions of the stage-2 block cache.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodeHalf,
  encodeHalf,
  fromHalfBits,
  toHalfBits,
} from '../../src/main/ml-host/pipeline/float16';

void describe('float16', () => {
  void it('encodes known values bit-exactly', () => {
    const cases: [number, number][] = [
      [0, 0x0000],
      [-0, 0x8000],
      [1, 0x3c00],
      [-2, 0xc000],
      [0.5, 0x3800],
      [6, 0x4600],
      [65504, 0x7bff],
      [2 ** -14, 0x0400], // smallest normal
      [2 ** -24, 0x0001], // smallest subnormal
      [1e6, 0x7c00], // overflow → +Infinity
      [-Infinity, 0xfc00],
      [1 + 2 ** -11, 0x3c00], // halfway: rounds to even (down)
      [1 + 3 * 2 ** -11, 0x3c02], // halfway: rounds to even (up)
      [2 ** -26, 0x0000], // below half the smallest subnormal
    ];
    for (const [v, bits] of cases) assert.equal(toHalfBits(v), bits, `${v}`);
    assert.ok(Number.isNaN(fromHalfBits(toHalfBits(NaN))));
  });

  void it('round-trips every half exactly and block activations within 2^-11 relative', () => {
    for (let h = 0; h < 0x10000; h++) {
      const v = fromHalfBits(h);
      if (Number.isNaN(v)) continue;
      assert.equal(toHalfBits(v), h, `0x${h.toString(16)}`);
    }
    const values = Float32Array.from({ length: 5000 }, (_, i) => Math.sin(i * 0.37) * 12);
    const back = new Float32Array(values.length + 3);
    decodeHalf(encodeHalf(values), back, 3);
    values.forEach((v, i) => {
      const err = Math.abs(back[i + 3]! - v);
      assert.ok(err <= Math.max(Math.abs(v) * 2 ** -11, 2 ** -25), `${v} → ${back[i + 3]}`);
    });
  });
});
