import type { PixelImage } from "../image.js";

export interface Normalization {
  mean: readonly [number, number, number];
  std: readonly [number, number, number];
}

/**
 * Interleaved 8-bit RGB(A) to a planar NCHW float tensor: (v/255 - mean) / std.
 * Alpha, if present, is ignored; callers flatten transparent inputs first.
 */
export function toInputTensor(image: PixelImage, norm: Normalization): Float32Array {
  const { width, height, channels, data } = image;
  const n = width * height;
  const out = new Float32Array(3 * n);
  for (let c = 0; c < 3; c++) {
    const scale = 1 / (255 * norm.std[c]);
    const shift = norm.mean[c] / norm.std[c];
    const base = c * n;
    for (let i = 0, j = c; i < n; i++, j += channels) out[base + i] = data[j] * scale - shift;
  }
  return out;
}
