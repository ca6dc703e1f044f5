/** Raw interleaved 8-bit pixels. */
export type RawImage = { data: Buffer; width: number; height: number; channels: number };

/**
 * Halves an image with a 2x2 box filter (exact for a factor of two, so no aliasing), after a
 * centre crop to at most `maxAspect`:1. Used for the thumbnail: the importer already holds the
 * image at "shorter side 256", and this costs a fraction of another libvips resize.
 */
export function halve(image: RawImage, maxAspect = 4): RawImage {
  const { data, channels } = image;
  const cropW = Math.min(image.width, Math.floor(image.height * maxAspect));
  const cropH = Math.min(image.height, Math.floor(image.width * maxAspect));
  const left = Math.floor((image.width - cropW) / 2);
  const top = Math.floor((image.height - cropH) / 2);
  const width = Math.max(1, Math.floor(cropW / 2));
  const height = Math.max(1, Math.floor(cropH / 2));
  const out = Buffer.allocUnsafe(width * height * channels);
  const stride = image.width * channels;
  // With a 1-pixel source dimension, both taps land on the same row/column.
  const dy = cropH > 1 ? 1 : 0;
  const dx = cropW > 1 ? channels : 0;
  let o = 0;
  if (channels === 3 && dx === 3 && dy === 1) {
    // The common case (RGB, both dimensions > 1), unrolled: it runs once per imported photo.
    for (let y = 0; y < height; y++) {
      let a = (top + y * 2) * stride + left * 3;
      let b = a + stride;
      for (let x = 0; x < width; x++, a += 6, b += 6) {
        out[o++] =
          ((data[a] as number) +
            (data[a + 3] as number) +
            (data[b] as number) +
            (data[b + 3] as number) +
            2) >>
          2;
        out[o++] =
          ((data[a + 1] as number) +
            (data[a + 4] as number) +
            (data[b + 1] as number) +
            (data[b + 4] as number) +
            2) >>
          2;
        out[o++] =
          ((data[a + 2] as number) +
            (data[a + 5] as number) +
            (data[b + 2] as number) +
            (data[b + 5] as number) +
            2) >>
          2;
      }
    }
    return { data: out, width, height, channels };
  }
  for (let y = 0; y < height; y++) {
    const row0 = (top + y * 2) * stride;
    const row1 = row0 + dy * stride;
    for (let x = 0; x < width; x++) {
      const col = (left + x * 2) * channels;
      for (let c = 0; c < channels; c++) {
        const i = col + c;
        out[o++] =
          ((data[row0 + i] as number) +
            (data[row0 + i + dx] as number) +
            (data[row1 + i] as number) +
            (data[row1 + i + dx] as number) +
            2) >>
          2;
      }
    }
  }
  return { data: out, width, height, channels };
}
