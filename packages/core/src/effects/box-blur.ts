/**
 * Radii of the three box filters whose succession best matches a Gaussian of
 * standard deviation `sigma` (Kovesi, "Fast almost-Gaussian filtering", 2010).
 * Three boxes are within a few percent of the Gaussian and cost O(1) per pixel.
 */
export function boxRadii(sigma: number): [number, number, number] {
  const s = Math.max(0, sigma);
  let lower = Math.floor(Math.sqrt(4 * s * s + 1));
  if (lower % 2 === 0) lower--;
  const small = Math.round((12 * s * s - 3 * lower * lower - 12 * lower - 9) / (-4 * lower - 4));
  const radius = (i: number) => ((i < small ? lower : lower + 2) - 1) / 2;
  return [radius(0), radius(1), radius(2)];
}

/** How far (in pixels) the three-box blur of `sigma` reaches: nothing moves further than this. */
export function blurReach(sigma: number): number {
  const [a, b, c] = boxRadii(sigma);
  return a + b + c;
}

/**
 * Blurs interleaved float channels in place with three box passes approximating
 * a Gaussian of standard deviation `sigma`, and returns `data`. Running sums make
 * it O(1) per pixel whatever the radius. `edges`: "renormalize" averages only the
 * pixels inside the image (a constant image stays constant, like boxFilter);
 * "zero" treats the outside as 0 (a shadow fades out instead of piling up at the border).
 */
export function blurChannels(
  data: Float32Array,
  width: number,
  height: number,
  channels: number,
  sigma: number,
  edges: "renormalize" | "zero" = "renormalize",
): Float32Array {
  if (width === 0 || height === 0) return data;
  for (const r of boxRadii(sigma)) {
    if (r === 0) continue;
    boxRows(data, width, height, channels, r, edges === "zero");
    boxColumns(data, width, height, channels, r, edges === "zero");
  }
  return data;
}

function boxRows(d: Float32Array, w: number, h: number, c: number, r: number, zero: boolean): void {
  const line = new Float32Array(w * c);
  const inv = windowInverses(w, r, zero);
  const first = Math.min(r, w - 1);
  for (let y = 0; y < h; y++) {
    const base = y * w * c;
    line.set(d.subarray(base, base + w * c));
    // One channel at a time keeps the running sum in a register.
    for (let k = 0; k < c; k++) {
      let sum = 0;
      for (let x = 0; x <= first; x++) sum += line[x * c + k];
      for (let x = 0, o = base + k; x < w; x++, o += c) {
        d[o] = sum * inv[x];
        if (x + r + 1 < w) sum += line[(x + r + 1) * c + k];
        if (x >= r) sum -= line[(x - r) * c + k];
      }
    }
  }
}

/** Vertical pass over strips of columns, so reads and writes stay row-contiguous and the scratch stays small. */
function boxColumns(d: Float32Array, w: number, h: number, c: number, r: number, zero: boolean): void {
  const strip = 64;
  const buf = new Float32Array(h * Math.min(strip, w) * c);
  const sums = new Float64Array(Math.min(strip, w) * c);
  const inv = windowInverses(h, r, zero);
  const first = Math.min(r, h - 1);
  for (let x0 = 0; x0 < w; x0 += strip) {
    const n = Math.min(strip, w - x0) * c;
    const col = x0 * c;
    for (let y = 0; y < h; y++) buf.set(d.subarray(y * w * c + col, y * w * c + col + n), y * n);
    sums.fill(0);
    for (let y = 0; y <= first; y++) for (let i = 0; i < n; i++) sums[i] += buf[y * n + i];
    for (let y = 0; y < h; y++) {
      const o = y * w * c + col;
      const k = inv[y];
      const add = y + r + 1 < h ? (y + r + 1) * n : -1;
      const sub = y >= r ? (y - r) * n : -1;
      if (add >= 0 && sub >= 0) {
        // The common middle rows, without per-element branches.
        for (let i = 0; i < n; i++) {
          const s = sums[i];
          d[o + i] = s * k;
          sums[i] = s + buf[add + i] - buf[sub + i];
        }
      } else {
        for (let i = 0; i < n; i++) {
          const s = sums[i];
          d[o + i] = s * k;
          sums[i] = s + (add >= 0 ? buf[add + i] : 0) - (sub >= 0 ? buf[sub + i] : 0);
        }
      }
    }
  }
}

/** 1 / window size at each position: the full 2r + 1, or only the part inside the image when renormalizing. */
function windowInverses(size: number, r: number, zero: boolean): Float64Array {
  const inv = new Float64Array(size);
  for (let i = 0; i < size; i++) inv[i] = zero ? 1 / (2 * r + 1) : 1 / (Math.min(i + r, size - 1) - Math.max(i - r, 0) + 1);
  return inv;
}
