// Naming and weight layouts for the TFLite → TF.js conversion: layer names come from TFLite tensor
// scopes ('MobilenetV2/expanded_conv_3/expand/…' → 'expanded_conv_3_expand'), and kernels are
// reordered from TFLite's output-channel-first layouts to TF.js' output-channel-last ones.
import type { TfliteModel } from './schema';

/** Layer names from TFLite tensor names: 'MobilenetV2/expanded_conv_3/expand/Relu6;…' → scope. */
export class Namer {
  private readonly used = new Set<string>(['input']);
  constructor(private readonly root: string | null) {}
  make(raw: string | null, fallback: string): string {
    let base = raw === null ? fallback : (raw.split(';')[0] ?? fallback);
    if (this.root !== null && base.startsWith(`${this.root}/`))
      base = base.slice(this.root.length + 1);
    base = base.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
    if (!/^[A-Za-z]/.test(base)) base = `${fallback}_${base}`.replace(/_+$/, '');
    let name = base;
    for (let i = 2; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }
}

export function scope(name: string): string {
  const first = name.split(';')[0] ?? name;
  const i = first.lastIndexOf('/');
  return i > 0 ? first.slice(0, i) : first;
}

/** A leading scope shared by every operator output ('MobilenetV2'), stripped from layer names. */
export function commonRoot(m: TfliteModel): string | null {
  const roots = m.operators.map((o) => (m.tensors[o.outputs[0] ?? -1]?.name ?? '').split('/')[0]);
  const first = roots[0];
  return first !== undefined && first !== '' && roots.every((r) => r === first) ? first : null;
}

/** [out, h, w, in] → [h, w, in, out]. */
export function convKernel(src: Float32Array, shape: number[]): Float32Array {
  const [o = 0, h = 0, w = 0, i = 0] = shape;
  const dst = new Float32Array(src.length);
  for (let a = 0; a < o; a++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let c = 0; c < i; c++)
          dst[((y * w + x) * i + c) * o + a] = src[((a * h + y) * w + x) * i + c] ?? 0;
  return dst;
}

/** [out, in] → [in, out]. */
export function denseKernel(src: Float32Array, out: number, inp: number): Float32Array {
  const dst = new Float32Array(src.length);
  for (let a = 0; a < out; a++)
    for (let c = 0; c < inp; c++) dst[c * out + a] = src[a * inp + c] ?? 0;
  return dst;
}
