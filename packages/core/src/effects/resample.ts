import { type Bytes, toByte } from "./types.js";

/**
 * Resizes un-premultiplied RGBA with a triangle (bilinear) filter whose support
 * widens with the reduction factor, so downscaling averages every source pixel
 * instead of skipping some (no aliasing), and upscaling is plain bilinear with
 * pixel-centre alignment. Done premultiplied so transparent pixels do not
 * darken the subject's edge. Synchronous and portable, unlike a host resizer,
 * whose alpha handling varies.
 */
export function resampleRgba(rgba: Bytes, width: number, height: number, newW: number, newH: number): Uint8Array {
  const pre = new Float32Array(width * height * 4);
  for (let j = 0; j < pre.length; j += 4) {
    const a = rgba[j + 3];
    pre[j] = rgba[j] * a;
    pre[j + 1] = rgba[j + 1] * a;
    pre[j + 2] = rgba[j + 2] * a;
    pre[j + 3] = a;
  }
  // Horizontal then vertical, each a weighted sum over the taps of one axis.
  const xs = taps(width, newW);
  const mid = new Float32Array(newW * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < newW; x++) {
      const o = (y * newW + x) * 4;
      for (let t = xs.start[x]; t < xs.start[x + 1]; t++) {
        const s = (y * width + xs.index[t]) * 4;
        const w = xs.weight[t];
        mid[o] += pre[s] * w;
        mid[o + 1] += pre[s + 1] * w;
        mid[o + 2] += pre[s + 2] * w;
        mid[o + 3] += pre[s + 3] * w;
      }
    }
  }
  const ys = taps(height, newH);
  const out = new Uint8Array(newW * newH * 4);
  const acc = new Float64Array(4);
  for (let y = 0; y < newH; y++) {
    for (let x = 0; x < newW; x++) {
      acc.fill(0);
      for (let t = ys.start[y]; t < ys.start[y + 1]; t++) {
        const s = (ys.index[t] * newW + x) * 4;
        const w = ys.weight[t];
        acc[0] += mid[s] * w;
        acc[1] += mid[s + 1] * w;
        acc[2] += mid[s + 2] * w;
        acc[3] += mid[s + 3] * w;
      }
      const alpha = toByte(acc[3]);
      if (alpha === 0) continue;
      const o = (y * newW + x) * 4;
      out[o] = toByte(acc[0] / acc[3]);
      out[o + 1] = toByte(acc[1] / acc[3]);
      out[o + 2] = toByte(acc[2] / acc[3]);
      out[o + 3] = alpha;
    }
  }
  return out;
}

/** For each destination index, the source indices and normalized triangle weights (CSR layout). */
function taps(src: number, dst: number): { start: Int32Array; index: Int32Array; weight: Float32Array } {
  const scale = src / dst;
  const support = Math.max(1, scale);
  const index: number[] = [];
  const weight: number[] = [];
  const start = new Int32Array(dst + 1);
  for (let i = 0; i < dst; i++) {
    start[i] = index.length;
    const centre = (i + 0.5) * scale;
    const lo = Math.max(0, Math.floor(centre - support));
    const hi = Math.min(src - 1, Math.ceil(centre + support));
    let total = 0;
    const first = index.length;
    for (let j = lo; j <= hi; j++) {
      const w = 1 - Math.abs(j + 0.5 - centre) / support;
      if (w <= 0) continue;
      index.push(j);
      weight.push(w);
      total += w;
    }
    for (let k = first; k < weight.length; k++) weight[k] = (weight[k] as number) / total;
  }
  start[dst] = index.length;
  return { start, index: Int32Array.from(index), weight: Float32Array.from(weight) };
}
