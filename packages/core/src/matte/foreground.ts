import type { PixelImage } from "../image.js";
import { boxFilter } from "./box-filter.js";
import { axisWeights, resizePlane } from "./resize.js";

/** Foreground and background colour estimates, planar RGB in 0..1. */
export interface ColourEstimate {
  F: [Float32Array, Float32Array, Float32Array];
  B: [Float32Array, Float32Array, Float32Array];
  width: number;
  height: number;
}

/**
 * Estimates the foreground and background colours behind a matte with
 * Blur-Fusion (Forte and Pitié, "Approximate Fast Foreground Colour
 * Estimation", ICIP 2021): two passes of alpha-weighted box blurs, a large one
 * then a small one. Box blurs keep it O(1) per pixel. The large pass only
 * yields smooth colour fields, so it runs at a quarter of the size, 16 times
 * cheaper, and is upsampled for the small pass.
 */
export function estimateForeground(image: PixelImage, alpha: Float32Array, largeRadius: number, smallRadius: number): ColourEstimate {
  const { width, height } = image;
  const I = planes(image);
  const factor = largeRadius >= 16 && width >= 64 && height >= 64 ? 4 : 1;
  if (factor === 1) {
    const first = blurFusion(I, I, I, alpha, width, height, largeRadius);
    return blurFusion(I, first.F, first.B, alpha, width, height, smallRadius);
  }
  const w = Math.round(width / factor);
  const h = Math.round(height / factor);
  const shrink = (p: Float32Array) => resizePlane({ data: p, width, height }, w, h).data;
  const smallI = I.map(shrink);
  const first = blurFusion(smallI, smallI, smallI, shrink(alpha), w, h, largeRadius / factor);
  const grow = (p: Float32Array) => resizePlane({ data: p, width: w, height: h }, width, height).data;
  return blurFusion(I, first.F.map(grow), first.B.map(grow), alpha, width, height, smallRadius);
}

function planes(image: PixelImage): [Float32Array, Float32Array, Float32Array] {
  const { width, height, channels, data } = image;
  const n = width * height;
  const out: [Float32Array, Float32Array, Float32Array] = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  for (let i = 0, j = 0; i < n; i++, j += channels) {
    out[0][i] = data[j] / 255;
    out[1][i] = data[j + 1] / 255;
    out[2][i] = data[j + 2] / 255;
  }
  return out;
}

function blurFusion(
  I: readonly Float32Array[],
  F: readonly Float32Array[],
  B: readonly Float32Array[],
  alpha: Float32Array,
  width: number,
  height: number,
  radius: number,
): ColourEstimate {
  const n = width * height;
  const blurredAlpha = boxFilter(alpha, width, height, radius);
  const outF: Float32Array[] = [];
  const outB: Float32Array[] = [];
  const weighted = new Float32Array(n);
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < n; i++) weighted[i] = F[c][i] * alpha[i];
    const bF = boxFilter(weighted, width, height, radius);
    for (let i = 0; i < n; i++) weighted[i] = B[c][i] * (1 - alpha[i]);
    const bB = boxFilter(weighted, width, height, radius);
    const f = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const ba = blurredAlpha[i];
      const fi = bF[i] / (ba + 1e-5);
      const bi = bB[i] / (1 - ba + 1e-5);
      bB[i] = bi;
      const a = alpha[i];
      const v = fi + a * (I[c][i] - a * fi - (1 - a) * bi);
      f[i] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
    outF.push(f);
    outB.push(bB);
  }
  return { F: outF as ColourEstimate["F"], B: outB as ColourEstimate["B"], width, height };
}

/**
 * Writes un-premultiplied RGBA at full size: transparent pixels are black,
 * opaque pixels keep the photo's
 * colour; soft pixels get the colour that, composited over the estimated
 * background, reproduces the photo: F = (I - (1 - a) * B) / a. Where alpha is
 * small that division amplifies noise, so it fades into the smooth estimate.
 */
export function applyForeground(image: PixelImage, alpha: Uint8Array, estimate: ColourEstimate): Uint8Array {
  const { width, height, channels } = image;
  const out = new Uint8Array(width * height * 4);
  // Opaque pixels, most of a subject, are written as one little-endian word.
  const words = new Uint32Array(out.buffer);
  const px = image.data;
  const ew = estimate.width;
  const { xs0, xs1, xw } = axisWeights(ew, width);
  const { xs0: ys0, xs1: ys1, xw: yw } = axisWeights(estimate.height, height);
  const sample = (plane: Float32Array, r0: number, r1: number, x: number, wy: number) => {
    const wx = xw[x];
    const top = plane[r0 + xs0[x]] * (1 - wx) + plane[r0 + xs1[x]] * wx;
    const bottom = plane[r1 + xs0[x]] * (1 - wx) + plane[r1 + xs1[x]] * wx;
    return (top + (bottom - top) * wy) * 255;
  };
  for (let y = 0; y < height; y++) {
    const r0 = ys0[y] * ew;
    const r1 = ys1[y] * ew;
    const wy = yw[y];
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const j = i * channels;
      const o = i * 4;
      const a8 = alpha[i];
      // Fully transparent pixels stay (0, 0, 0, 0): the removed background is not kept hidden in the file.
      if (a8 === 0) continue;
      if (a8 === 255) {
        words[i] = (px[j] | (px[j + 1] << 8) | (px[j + 2] << 16) | 0xff000000) >>> 0;
        continue;
      }
      out[o + 3] = a8;
      const a = a8 / 255;
      const trust = a >= 0.5 ? 1 : a * 2;
      for (let c = 0; c < 3; c++) {
        const bg = sample(estimate.B[c], r0, r1, x, wy);
        let f = (px[j + c] - (1 - a) * bg) / a;
        f = f < 0 ? 0 : f > 255 ? 255 : f;
        if (trust < 1) f = f * trust + sample(estimate.F[c], r0, r1, x, wy) * (1 - trust);
        out[o + c] = (f + 0.5) | 0;
      }
    }
  }
  return out;
}
