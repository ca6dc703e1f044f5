/** Backbone names become folder names (the contract's rule). */
export const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A backbone name from a file path: `…/mobilenet_v2_1.0_224_quant.tflite` → its stem. */
export function nameFromPath(path: string): string {
  const base =
    path
      .split(/[\\/]/)
      .filter((p) => p !== '')
      .pop() ?? '';
  return base
    .replace(/\.(tflite|json)$/i, '')
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 64);
}
