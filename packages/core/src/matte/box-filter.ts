/**
 * Mean over a (2r+1)x(2r+1) window, shrunk at the borders so edges are not
 * darkened. Running sums make the cost O(1) per pixel whatever the radius,
 * which the guided filter and foreground estimation rely on.
 */
export function boxFilter(src: Float32Array, width: number, height: number, radius: number): Float32Array {
  const r = Math.max(0, Math.floor(radius));
  const tmp = new Float32Array(width * height);
  const out = new Float32Array(width * height);
  // Horizontal pass: sums along rows divided by the clipped window width.
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let sum = 0;
    const first = Math.min(r, width - 1);
    for (let x = 0; x <= first; x++) sum += src[row + x];
    for (let x = 0; x < width; x++) {
      const lo = x - r;
      const hi = x + r;
      tmp[row + x] = sum / (Math.min(hi, width - 1) - Math.max(lo, 0) + 1);
      if (hi + 1 < width) sum += src[row + hi + 1];
      if (lo >= 0) sum -= src[row + lo];
    }
  }
  // Vertical pass on whole rows at a time, so memory is read sequentially.
  const sums = new Float64Array(width);
  const firstRow = Math.min(r, height - 1);
  for (let y = 0; y <= firstRow; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) sums[x] += tmp[row + x];
  }
  for (let y = 0; y < height; y++) {
    const lo = y - r;
    const hi = y + r;
    const inv = 1 / (Math.min(hi, height - 1) - Math.max(lo, 0) + 1);
    const row = y * width;
    for (let x = 0; x < width; x++) out[row + x] = sums[x] * inv;
    if (hi + 1 < height) {
      const add = (hi + 1) * width;
      for (let x = 0; x < width; x++) sums[x] += tmp[add + x];
    }
    if (lo >= 0) {
      const sub = lo * width;
      for (let x = 0; x < width; x++) sums[x] -= tmp[sub + x];
    }
  }
  return out;
}
