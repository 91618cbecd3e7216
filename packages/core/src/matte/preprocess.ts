import type { PixelImage } from "../image.js";
import { axisWeights } from "./resize.js";

export interface Normalization {
  mean: readonly [number, number, number];
  std: readonly [number, number, number];
}

/**
 * Interleaved 8-bit RGB(A) to a planar NCHW float tensor of width x height
 * (the image's own size by default): (v/255 - mean) / std, resampled
 * bilinearly (pixel centres aligned, as in resizePlane) when the sizes
 * differ. Alpha, if present, is ignored; callers flatten transparent inputs
 * first. Bilinear reads two pixels a tap, so shrinking by more than
 * `MAX_DIRECT_SHRINK` would skip pixels: callers resize such images first.
 * Every value of `out` is written.
 */
export function toInputTensor(
  image: PixelImage,
  norm: Normalization,
  width = image.width,
  height = image.height,
  out = new Float32Array(3 * width * height),
): Float32Array {
  const n = width * height;
  if (out.length !== 3 * n) throw new RangeError(`out has ${out.length} values, a 3x${width}x${height} tensor ${3 * n}`);
  // v * k[c] - b[c], per channel: the normalisation as one multiply-add.
  const affine = Float64Array.from([0, 1, 2, 0, 1, 2], (c, i) => (i < 3 ? 1 / (255 * norm.std[c]) : norm.mean[c] / norm.std[c]));
  const resampled = width !== image.width || height !== image.height;
  const rows = resampled ? new HorizontalRows(image, width) : undefined;
  const { xs0: ys0, xs1: ys1, xw: yw } = axisWeights(image.height, height);
  for (let y = 0; y < height; y++) {
    const o = y * width;
    if (!rows) {
      writeRow(out, o, n, image.data, o * image.channels, image.channels, width, affine);
      continue;
    }
    blendRows(out, o, n, rows.get(ys0[y]), rows.get(ys1[y]), yw[y], width, affine);
  }
  return out;
}

/** One row of interleaved bytes into the three planes. */
function writeRow(
  out: Float32Array,
  o: number,
  n: number,
  data: ArrayLike<number>,
  j: number,
  channels: number,
  width: number,
  affine: Float64Array,
): void {
  const [k0, k1, k2, b0, b1, b2] = affine;
  for (let x = 0; x < width; x++, j += channels) {
    out[o + x] = data[j] * k0 - b0;
    out[n + o + x] = data[j + 1] * k1 - b1;
    out[2 * n + o + x] = data[j + 2] * k2 - b2;
  }
}

/** The widest shrink toInputTensor resamples by itself. */
export const MAX_DIRECT_SHRINK = 2;

/**
 * Source rows resized across to the output's width (interleaved RGB floats),
 * two kept at a time: consecutive output rows read the same one or two
 * source rows, so each is resized once.
 */
class HorizontalRows {
  private readonly xs0: Int32Array;
  private readonly xs1: Int32Array;
  private readonly xw: Float32Array;
  private readonly cache: [Float32Array, Float32Array];
  private readonly cached = [-1, -1];
  private next = 0;

  constructor(
    private readonly image: PixelImage,
    private readonly width: number,
  ) {
    ({ xs0: this.xs0, xs1: this.xs1, xw: this.xw } = axisWeights(image.width, width));
    this.cache = [new Float32Array(width * 3), new Float32Array(width * 3)];
  }

  get(sourceRow: number): Float32Array {
    if (this.cached[0] === sourceRow) return this.cache[0];
    if (this.cached[1] === sourceRow) return this.cache[1];
    const slot = this.next;
    this.next ^= 1;
    this.cached[slot] = sourceRow;
    const row = this.cache[slot];
    resizeRow(this.image.data, sourceRow * this.image.width * this.image.channels, this.image.channels, this.xs0, this.xs1, this.xw, row);
    return row;
  }
}

function resizeRow(
  data: ArrayLike<number>,
  base: number,
  channels: number,
  xs0: Int32Array,
  xs1: Int32Array,
  xw: Float32Array,
  row: Float32Array,
): void {
  for (let x = 0, o = 0; x < xw.length; x++, o += 3) {
    const a = base + xs0[x] * channels;
    const b = base + xs1[x] * channels;
    const w = xw[x];
    const r = data[a];
    const g = data[a + 1];
    const bl = data[a + 2];
    row[o] = r + (data[b] - r) * w;
    row[o + 1] = g + (data[b + 1] - g) * w;
    row[o + 2] = bl + (data[b + 2] - bl) * w;
  }
}

/** Two resized rows blended down (weight wy on the lower one) into the three planes. */
function blendRows(
  out: Float32Array,
  o: number,
  n: number,
  top: Float32Array,
  bottom: Float32Array,
  wy: number,
  width: number,
  affine: Float64Array,
): void {
  const [k0, k1, k2, b0, b1, b2] = affine;
  for (let x = 0, j = 0; x < width; x++, j += 3) {
    out[o + x] = (top[j] + (bottom[j] - top[j]) * wy) * k0 - b0;
    out[n + o + x] = (top[j + 1] + (bottom[j + 1] - top[j + 1]) * wy) * k1 - b1;
    out[2 * n + o + x] = (top[j + 2] + (bottom[j + 2] - top[j + 2]) * wy) * k2 - b2;
  }
}
