/**
 * Mean over a (2r+1)x(2r+1) window, shrunk at the borders so edges are not
 * darkened. Running sums make the cost O(1) per pixel whatever the radius,
 * which the guided filter and foreground estimation rely on.
 */
export function boxFilter(src: Float32Array, width: number, height: number, radius: number): Float32Array {
  const r = Math.max(0, Math.floor(radius));
  const tmp = new Float32Array(width * height);
  const out = new Float32Array(width * height);
  const rowInverse = windowInverses(width, r);
  // Horizontal pass: running sums along each row; the window's pixel count depends only on x.
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let sum = 0;
    const first = Math.min(r, width - 1);
    for (let x = 0; x <= first; x++) sum += src[row + x];
    const steady = width - r - 1; // x below this still has a pixel entering on the right
    for (let x = 0; x < width; x++) {
      tmp[row + x] = sum * rowInverse[x];
      if (x < steady) sum += src[row + x + r + 1];
      if (x >= r) sum -= src[row + x - r];
    }
  }
  // Vertical pass on whole rows at a time, so memory is read sequentially.
  const columnInverse = windowInverses(height, r);
  const sums = new Float64Array(width);
  const firstRow = Math.min(r, height - 1);
  for (let y = 0; y <= firstRow; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) sums[x] += tmp[row + x];
  }
  for (let y = 0; y < height; y++) {
    const inv = columnInverse[y];
    const row = y * width;
    for (let x = 0; x < width; x++) out[row + x] = sums[x] * inv;
    if (y + r + 1 < height) {
      const add = (y + r + 1) * width;
      for (let x = 0; x < width; x++) sums[x] += tmp[add + x];
    }
    if (y >= r) {
      const sub = (y - r) * width;
      for (let x = 0; x < width; x++) sums[x] -= tmp[sub + x];
    }
  }
  return out;
}

/** 1 / (number of pixels in the clipped window) at each position along an axis. */
function windowInverses(size: number, r: number): Float64Array {
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++) out[i] = 1 / (Math.min(i + r, size - 1) - Math.max(i - r, 0) + 1);
  return out;
}
