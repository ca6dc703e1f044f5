// Comparing two gradients computed two ways (the app's kernels against tfjs' own): every element
// within `tolerance` of the reference's largest magnitude, and a reference that is not all zeros.
import assert from 'node:assert/strict';

export function assertClose(
  actual: Float32Array,
  expected: Float32Array,
  what: string,
  tolerance: number,
): void {
  assert.equal(actual.length, expected.length, what);
  let scale = 0;
  for (const v of expected) scale = Math.max(scale, Math.abs(v));
  assert.ok(scale > 0, `${what}: the reference gradient is all zeros`);
  for (let i = 0; i < expected.length; i++) {
    const diff = Math.abs((actual[i] as number) - (expected[i] as number));
    assert.ok(diff <= tolerance * scale, `${what}: element ${i}: ${actual[i]} vs ${expected[i]}`);
  }
}
