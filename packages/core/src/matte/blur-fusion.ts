import { type Scratch, scratchDirty } from "../scratch.js";
import { grow, type Rect } from "./cells.js";
import type { ColourEstimate } from "./foreground.js";

/** Per pixel: alpha, F * alpha for R, G, B, then B * (1 - alpha) for R, G, B. */
export const TERMS = 7;

/** Writes the TERMS values of pixels [x0, x1) of row y, one after another, into `out`. */
export type FusionRow = (y: number, x0: number, x1: number, out: Float32Array) => void;

/** The photo's colours, interleaved: channel c of pixel i is data[i * channels + c] * scale, in 0..1. */
export interface Colours {
  data: ArrayLike<number>;
  channels: number;
  scale: number;
}

/**
 * One Blur-Fusion pass over the given rectangles of a width x height image:
 * alpha-weighted box blurs of the previous foreground and background
 * estimates (whose terms `row` gives), then the foreground corrected towards
 * the photo's colour. Each rectangle is computed with `radius` pixels of
 * context, which makes it equal the whole-image pass inside; pixels outside
 * them are left at 0, for callers that never read them. With `scratch`, the
 * estimate is borrowed from it under the name `pass`, and pixels outside the
 * rectangles hold whatever was there.
 */
export function blurFusion(
  width: number,
  height: number,
  radius: number,
  alpha: Float32Array,
  colours: Colours,
  rects: Rect[],
  row: FusionRow,
  scratch?: Scratch,
  pass = "fusion",
): ColourEstimate {
  const n = width * height;
  const plane = (name: string) => scratchDirty(scratch, `${pass}.${name}`, Float32Array, n);
  const est: ColourEstimate = {
    F: [plane("F0"), plane("F1"), plane("F2")],
    B: [plane("B0"), plane("B1"), plane("B2")],
    width,
    height,
  };
  const r = Math.max(0, Math.floor(radius));
  const most = (side: (rect: Rect) => number) => rects.reduce((m, rect) => Math.max(m, side(rect)), 0);
  const rw = most((rect) => rect.x1 - rect.x0);
  const zeros = rw * Math.min(height, most((rect) => rect.y1 - rect.y0) + 2 * r) * TERMS;
  const buffers: Buffers = {
    line: scratchDirty(scratch, "fusion.line", Float32Array, Math.min(width, rw + 2 * r) * TERMS),
    rows: scratchDirty(scratch, "fusion.rows", Float32Array, zeros + rw * TERMS),
    zeros,
    sums: scratchDirty(scratch, "fusion.sums", Float64Array, rw * TERMS),
    across: scratchDirty(scratch, "fusion.across", Float64Array, rw),
  };
  // The row of zeros past the end is read as rows that enter or leave from outside the image.
  buffers.rows.fill(0, zeros);
  for (const rect of rects) {
    const win = grow(rect, r, width, height);
    sumRows(rect, win, r, row, buffers);
    sumColumns(rect, win, r, alpha, colours, buffers, est);
  }
  return est;
}

interface Buffers {
  /** One row of the window's terms. */
  line: Float32Array;
  /** Per row of the window, the terms summed along the row over [x - r, x + r], for each column of the rectangle. */
  rows: Float32Array;
  /** Where, in `rows`, a row of zeros is kept. */
  zeros: number;
  /** Those summed down the window too, for the current row. */
  sums: Float64Array;
  /** 1 / the number of columns in each column's window. */
  across: Float64Array;
}

function sumRows(rect: Rect, win: Rect, r: number, row: FusionRow, { line, rows }: Buffers): void {
  let o = 0;
  for (let y = win.y0; y < win.y1; y++) {
    row(y, win.x0, win.x1, line);
    // In the window's own coordinates, where the first pixel to enter is 0: pixels enter at x + r and leave at x - r - 1.
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let s4 = 0;
    let s5 = 0;
    let s6 = 0;
    const w = win.x1 - win.x0;
    for (let x = -r; x < rect.x1 - win.x0; x++) {
      const e = x + r;
      if (e < w) {
        const j = e * TERMS;
        s0 += line[j];
        s1 += line[j + 1];
        s2 += line[j + 2];
        s3 += line[j + 3];
        s4 += line[j + 4];
        s5 += line[j + 5];
        s6 += line[j + 6];
      }
      const l = x - r - 1;
      if (l >= 0) {
        const j = l * TERMS;
        s0 -= line[j];
        s1 -= line[j + 1];
        s2 -= line[j + 2];
        s3 -= line[j + 3];
        s4 -= line[j + 4];
        s5 -= line[j + 5];
        s6 -= line[j + 6];
      }
      if (x < rect.x0 - win.x0) continue;
      rows[o] = s0;
      rows[o + 1] = s1;
      rows[o + 2] = s2;
      rows[o + 3] = s3;
      rows[o + 4] = s4;
      rows[o + 5] = s5;
      rows[o + 6] = s6;
      o += TERMS;
    }
  }
}

/** Sums the row sums down the window and writes the rectangle's estimates. */
function sumColumns(rect: Rect, win: Rect, r: number, alpha: Float32Array, colours: Colours, buffers: Buffers, est: ColourEstimate): void {
  const { rows, sums, across, zeros } = buffers;
  const { width, height } = est;
  const [F0, F1, F2] = est.F;
  const [B0, B1, B2] = est.B;
  const { data, channels, scale } = colours;
  const stride = (rect.x1 - rect.x0) * TERMS;
  sums.fill(0, 0, stride);
  for (let x = rect.x0; x < rect.x1; x++) across[x - rect.x0] = 1 / (Math.min(x + r, width - 1) - Math.max(x - r, 0) + 1);
  // Rows before the first one's window is complete; then, per row, row y + r enters and row y - r - 1 leaves.
  for (let y = win.y0; y < Math.min(height, rect.y0 + r); y++) {
    for (let i = 0, j = (y - win.y0) * stride; i < stride; i++, j++) sums[i] += rows[j];
  }
  for (let y = rect.y0; y < rect.y1; y++) {
    // A row that is not there enters or leaves as the zeros kept past the end of `rows`.
    const e = y + r < height ? (y + r - win.y0) * stride : zeros;
    const l = y - r - 1 >= win.y0 ? (y - r - 1 - win.y0) * stride : zeros;
    const down = 1 / (Math.min(y + r, height - 1) - Math.max(y - r, 0) + 1);
    for (let x = 0, i = y * width + rect.x0, o = 0; o < stride; x++, i++, o += TERMS) {
      const t0 = sums[o] + rows[e + o] - rows[l + o];
      const t1 = sums[o + 1] + rows[e + o + 1] - rows[l + o + 1];
      const t2 = sums[o + 2] + rows[e + o + 2] - rows[l + o + 2];
      const t3 = sums[o + 3] + rows[e + o + 3] - rows[l + o + 3];
      const t4 = sums[o + 4] + rows[e + o + 4] - rows[l + o + 4];
      const t5 = sums[o + 5] + rows[e + o + 5] - rows[l + o + 5];
      const t6 = sums[o + 6] + rows[e + o + 6] - rows[l + o + 6];
      sums[o] = t0;
      sums[o + 1] = t1;
      sums[o + 2] = t2;
      sums[o + 3] = t3;
      sums[o + 4] = t4;
      sums[o + 5] = t5;
      sums[o + 6] = t6;
      const n = across[x] * down;
      const ba = t0 * n;
      // n / (ba + 1e-5) and n / (1 - ba + 1e-5), with one division.
      const under = ba + 1e-5;
      const over = 1 - ba + 1e-5;
      const d = n / (under * over);
      const toF = over * d;
      const toB = under * d;
      const a = alpha[i];
      const j = i * channels;
      const f0 = t1 * toF;
      const f1 = t2 * toF;
      const f2 = t3 * toF;
      const b0 = t4 * toB;
      const b1 = t5 * toB;
      const b2 = t6 * toB;
      // F + a (I - a F - (1 - a) B): the foreground moved to explain the photo's colour.
      F0[i] = unit(f0 + a * (data[j] * scale - a * f0 - (1 - a) * b0));
      F1[i] = unit(f1 + a * (data[j + 1] * scale - a * f1 - (1 - a) * b1));
      F2[i] = unit(f2 + a * (data[j + 2] * scale - a * f2 - (1 - a) * b2));
      B0[i] = b0;
      B1[i] = b1;
      B2[i] = b2;
    }
  }
}

function unit(v: number): number {
  return Math.min(Math.max(v, 0), 1);
}
