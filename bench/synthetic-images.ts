import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { mulberry32 } from '../src/shared/domain/random';

export const BENCH_WIDTH = 1024;
export const BENCH_HEIGHT = 768;

/**
 * A photo-like test image: smooth colour gradients and waves plus pixel noise, so JPEG sizes
 * (~250–350 kB at quality 85) and decode costs resemble real 1024x768 photos. Every seed gives
 * different bytes, so none of the set are duplicates.
 */
export async function syntheticJpeg(seed: number): Promise<Buffer> {
  const w = BENCH_WIDTH;
  const h = BENCH_HEIGHT;
  const rnd = mulberry32(seed);
  const pixels = Buffer.alloc(w * h * 3);
  const [a, b, c] = [rnd() * 255, rnd() * 255, rnd() * 255];
  const fx = 1 + rnd() * 6;
  const fy = 1 + rnd() * 6;
  for (let y = 0; y < h; y++) {
    const cy = Math.cos((y / h) * fy * Math.PI);
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      const wave = 60 * Math.sin((x / w) * fx * Math.PI) * cy;
      const noise = (rnd() - 0.5) * 36;
      pixels[i] = a * (x / w) + wave + noise;
      pixels[i + 1] = b * (y / h) + wave + noise;
      pixels[i + 2] = c * (1 - x / w) - 0.6 * wave + noise;
    }
  }
  return sharp(pixels, { raw: { width: w, height: h, channels: 3 } })
    .jpeg({ quality: 85 })
    .toBuffer();
}

/**
 * A folder of `count` synthetic JPEGs under the OS temp dir, generated once and reused by later
 * runs (generation takes longer than the benchmark itself on a small machine).
 */
export async function syntheticPhotoFolder(
  count: number,
): Promise<{ dir: string; files: string[] }> {
  const dir = join(tmpdir(), `littleplanet-bench-${BENCH_WIDTH}x${BENCH_HEIGHT}-v1`, String(count));
  mkdirSync(dir, { recursive: true });
  const name = (i: number): string => join(dir, `photo-${String(i).padStart(5, '0')}.jpg`);
  const have = new Set(readdirSync(dir));
  const missing = Array.from({ length: count }, (_, i) => i).filter(
    (i) => !have.has(`photo-${String(i).padStart(5, '0')}.jpg`),
  );
  if (missing.length > 0) console.log(`  generating ${missing.length} synthetic photos in ${dir}…`);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < missing.length) {
      const i = missing[next++] as number;
      writeFileSync(name(i), await syntheticJpeg(1000 + i));
    }
  };
  await Promise.all([lane(), lane()]);
  const files = Array.from({ length: count }, (_, i) => name(i));
  if (!files.every((f) => existsSync(f))) throw new Error('synthetic photo generation failed');
  return { dir, files };
}
