import type { PixelImage, Plane } from "../image.js";

/**
 * Bilinear resize of a float plane with pixel-centre alignment (the same
 * convention as sharp, canvas and PyTorch's align_corners=false), so that a
 * matte lines up with the image it was computed from.
 */
export function resizePlane(src: Plane, width: number, height: number, out = new Float32Array(width * height)): Plane {
  if (out.length !== width * height) throw new RangeError(`out has ${out.length} values, a ${width}x${height} plane ${width * height}`);
  const { xs0, xs1, xw } = axisWeights(src.width, width);
  const { xs0: ys0, xs1: ys1, xw: yw } = axisWeights(src.height, height);
  const s = src.data;
  const sw = src.width;
  for (let y = 0; y < height; y++) {
    const r0 = ys0[y] * sw;
    const r1 = ys1[y] * sw;
    const wy = yw[y];
    let o = y * width;
    if (sw === width) {
      // Same width (a 4:3 photo's 1024 px guide from the model's square matte): rows blend, columns map 1:1.
      for (let x = 0; x < width; x++, o++) out[o] = s[r0 + x] + (s[r1 + x] - s[r0 + x]) * wy;
      continue;
    }
    for (let x = 0; x < width; x++, o++) {
      const x0 = xs0[x];
      const x1 = xs1[x];
      const wx = xw[x];
      const top = s[r0 + x0] + (s[r0 + x1] - s[r0 + x0]) * wx;
      const bottom = s[r1 + x0] + (s[r1 + x1] - s[r1 + x0]) * wx;
      out[o] = top + (bottom - top) * wy;
    }
  }
  return { data: out, width, height };
}

/** Portable bilinear resize of interleaved pixels; hosts usually inject a faster one. */
export async function resizePixels(image: PixelImage, width: number, height: number): Promise<PixelImage> {
  const { channels } = image;
  const out = new Uint8Array(width * height * channels);
  const { xs0, xs1, xw } = axisWeights(image.width, width);
  const { xs0: ys0, xs1: ys1, xw: yw } = axisWeights(image.height, height);
  const s = image.data;
  const stride = image.width * channels;
  for (let y = 0; y < height; y++) {
    const r0 = ys0[y] * stride;
    const r1 = ys1[y] * stride;
    const wy = yw[y];
    for (let x = 0; x < width; x++) {
      const a = r0 + xs0[x] * channels;
      const b = r0 + xs1[x] * channels;
      const c = r1 + xs0[x] * channels;
      const d = r1 + xs1[x] * channels;
      const wx = xw[x];
      const o = (y * width + x) * channels;
      for (let k = 0; k < channels; k++) {
        const top = s[a + k] + (s[b + k] - s[a + k]) * wx;
        const bottom = s[c + k] + (s[d + k] - s[c + k]) * wx;
        out[o + k] = Math.round(top + (bottom - top) * wy);
      }
    }
  }
  return { data: out, width, height, channels };
}

/** Source indices and weights along one axis, computed once per resize rather than per pixel. */
export function axisWeights(srcSize: number, dstSize: number): { xs0: Int32Array; xs1: Int32Array; xw: Float32Array } {
  const xs0 = new Int32Array(dstSize);
  const xs1 = new Int32Array(dstSize);
  const xw = new Float32Array(dstSize);
  const scale = srcSize / dstSize;
  for (let i = 0; i < dstSize; i++) {
    let f = (i + 0.5) * scale - 0.5;
    if (f < 0) f = 0;
    if (f > srcSize - 1) f = srcSize - 1;
    const i0 = Math.floor(f);
    xs0[i] = i0;
    xs1[i] = Math.min(i0 + 1, srcSize - 1);
    xw[i] = f - i0;
  }
  return { xs0, xs1, xw };
}
