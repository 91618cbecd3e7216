import type { PixelImage, Plane } from "../image.js";
import { type CellMask, cellMask, cellRect, flaggedRuns, grow } from "./cells.js";
import { GuidedWindow } from "./guided-window.js";
import { axisWeights } from "./resize.js";

/** Linear model q = aR*R + aG*G + aB*B + b, per pixel, at the resolution it was fitted. */
export interface GuidedCoefficients {
  aR: Float32Array;
  aG: Float32Array;
  aB: Float32Array;
  b: Float32Array;
  width: number;
  height: number;
}

/**
 * Fits the colour guided filter (He, Sun and Tang, 2013) of matte `p` with the
 * RGB guide. Inside a window the output is a linear function of the guide's
 * colour, so edges in the matte snap to edges in the photo. Fitting at a
 * reduced size and applying the coefficients at full size is the Fast Guided
 * Filter (He and Sun, 2015): full resolution costs one multiply-add per pixel.
 * Most of a matte is settled, plainly 0 or 1 all around: there the
 * coefficients are written without fitting, and only the rest is fitted, in
 * rectangles (guided-window.ts).
 */
export function fitGuidedFilter(guide: PixelImage, p: Plane, radius: number, eps: number): GuidedCoefficients {
  const { width, height } = p;
  if (guide.width !== width || guide.height !== height) {
    throw new RangeError(`guide is ${guide.width}x${guide.height} but matte is ${width}x${height}`);
  }
  const n = width * height;
  const out: GuidedCoefficients = {
    aR: new Float32Array(n),
    aG: new Float32Array(n),
    aB: new Float32Array(n),
    b: new Float32Array(n),
    width,
    height,
  };
  const r = Math.max(0, Math.floor(radius));
  const cells = settledCells(p, r, eps);
  cells.levels.forEach((level, t) => {
    if (level !== 1) return;
    const { x0, y0, x1, y1 } = cellRect(cells, t % cells.columns, Math.floor(t / cells.columns));
    for (let y = y0; y < y1; y++) out.b.fill(1, y * width + x0, y * width + x1);
  });
  const window = new GuidedWindow(r, eps, width, height, MAX_RUN, FIT_CELL_HEIGHT);
  for (const rect of flaggedRuns(cells, 4 * r, MAX_RUN)) window.fit(guide, p.data, rect, out);
  return out;
}

/**
 * Cells of the fit. A row of them is fitted in runs of up to MAX_RUN pixels,
 * each with 2r pixels of context all round: tall cells spread the context
 * above and below over more rows, narrow ones keep runs tight around the
 * matte's edges, and a run's buffers stay in cache. Timed on 1 MP photos
 * (scripts/profile-refine.ts); nearby sizes are within a few percent.
 */
const FIT_CELL_WIDTH = 8;
const FIT_CELL_HEIGHT = 48;
const MAX_RUN = 256;

/**
 * How far a settled cell's alpha may stray from the full fit: under one
 * 8-bit level, with room for float rounding, so alpha stays within 1/255.
 */
const SETTLED_ERROR = 0.9 / 255;

/**
 * Per cell, 0 or 1 where the matte within 2r of it (everything its fit reads)
 * is so close to that constant that the filter's output is within
 * SETTLED_ERROR of it for every colour, so the cell can be written as a = 0,
 * b = the constant without fitting it. The other cells get level -1 and are
 * flagged for fitting. Why the bound holds: each window's output is its mean
 * matte plus a.(I - mu); comparing the ridge regression with a = 0 gives
 * eps |a|^2 <= var(p) <= (range / 2)^2, and |I - mu| <= sqrt(3), so the colour
 * term is at most range * sqrt(3) / (2 sqrt(eps)). A model's matte is rarely
 * exactly 0 in the background, so this tolerance is what lets most cells settle.
 */
function settledCells(p: Plane, r: number, eps: number): CellMask & { levels: Int8Array } {
  const { width, height, data } = p;
  const cells = cellMask(width, height, FIT_CELL_WIDTH, FIT_CELL_HEIGHT);
  const levels = new Int8Array(cells.flags.length);
  const spread = Math.sqrt(3) / (2 * Math.sqrt(eps));
  // Separable: the range down each column of a row of cells' reach, then across each cell's reach.
  const lo = new Float32Array(width);
  const hi = new Float32Array(width);
  for (let row = 0, t = 0; t < levels.length; row++) {
    const { y0, y1 } = grow(cellRect(cells, 0, row), 2 * r, width, height);
    lo.set(data.subarray(y0 * width, y0 * width + width));
    hi.set(lo);
    for (let y = y0 + 1; y < y1; y++) {
      for (let x = 0, i = y * width; x < width; x++, i++) {
        const v = data[i];
        if (v < lo[x]) lo[x] = v;
        if (v > hi[x]) hi[x] = v;
      }
    }
    for (let column = 0; column < cells.columns; column++, t++) {
      const { x0, x1 } = grow(cellRect(cells, column, row), 2 * r, width, height);
      let a = lo[x0];
      let b = hi[x0];
      for (let x = x0 + 1; x < x1; x++) {
        if (lo[x] < a) a = lo[x];
        if (hi[x] > b) b = hi[x];
      }
      const colour = (b - a) * spread;
      levels[t] = Math.max(b, -a) + colour <= SETTLED_ERROR ? 0 : Math.max(1 - a, b - 1) + colour <= SETTLED_ERROR ? 1 : -1;
      cells.flags[t] = levels[t] === -1 ? 1 : 0;
    }
  }
  return { ...cells, levels };
}

/**
 * Alpha within this distance of 0 or 1 is snapped to it, and the rest
 * stretched linearly so the ramp stays continuous. The filter's local linear
 * model leaks a few percent of alpha into flat background beside an edge
 * (and takes a few percent off the subject): a faint halo that shows when
 * the cutout is laid on a contrasting colour. The 0.5 crossing, and so the
 * matte's shape, does not move. On the horses eval: MAE 0.0326 to 0.0312,
 * IoU and boundary IoU unchanged (docs/quality.md).
 */
export const SNAP = 0.02;

/**
 * The matte handed to the fit has values within MATTE_SNAP of 0 or 1 snapped
 * there (stretched like SNAP). A model's background is rarely exactly 0: left
 * as it is, its faint noise keeps almost every cell from settling, and the fit
 * runs over the whole photo for an output the final snap throws away. Snapped,
 * the fit runs only near the subject's edge, about twice as fast on a 1 MP
 * photo. Horses: MAE 0.0312 to 0.0308, IoU and boundary IoU unchanged;
 * dim-crops SAD reduction 25.8% to 25.7% (docs/quality.md).
 */
export const MATTE_SNAP = 0.01;

/** Snaps a matte in place: values within `t` of 0 or 1 go there, the rest is stretched linearly (0.5 stays 0.5). */
export function snapMatte(data: Float32Array, t: number = MATTE_SNAP): void {
  const k = 1 / (1 - 2 * t);
  for (let i = 0; i < data.length; i++) {
    const s = (data[i] - t) * k;
    data[i] = Math.min(1, Math.max(0, s));
  }
}

/** The 8-bit alpha for a filter output q: snapped near 0 and 1, rounded, clamped. */
function toAlpha(q: number): number {
  const s = (q - SNAP) * (1 / (1 - 2 * SNAP));
  return s <= 0 ? 0 : s >= 1 ? 255 : (s * 255 + 0.5) | 0;
}

/**
 * Evaluates fitted coefficients on an image of any size (bilinearly
 * upsampling them), giving an 8-bit alpha plane at that size. Most of a photo
 * is plainly subject or plainly background: where all four coefficient
 * samples say so, the pixel is written without evaluating the model, a whole
 * run of such pixels at once.
 */
export function applyGuidedFilter(coefficients: GuidedCoefficients, image: PixelImage): Uint8Array {
  const { width, height, channels } = image;
  const cw = coefficients.width;
  const { aR, aG, aB, b } = coefficients;
  const settled = settledBlocksOf(coefficients);
  const { xs0, xs1, xw } = axisWeights(cw, width);
  const { xs0: ys0, xs1: ys1, xw: yw } = axisWeights(coefficients.height, height);
  // The pixels interpolated from coefficient column c start at columnStart[c] (xs0 never decreases).
  const columnStart = new Int32Array(cw + 1).fill(width);
  for (let x = width - 1; x >= 0; x--) columnStart[xs0[x]] = x;
  for (let c = cw - 1; c >= 0; c--) columnStart[c] = Math.min(columnStart[c], columnStart[c + 1]);
  const px = image.data;
  const out = new Uint8Array(width * height);
  const k = 1 / 255;
  for (let y = 0; y < height; y++) {
    const r0 = ys0[y] * cw;
    const r1 = ys1[y] * cw;
    const wy = yw[y];
    const w00y = 1 - wy;
    const row = y * width;
    for (let c = 0; c < cw; ) {
      const known = settled[r0 + c];
      let c1 = c + 1;
      if (known !== UNSETTLED) {
        while (c1 < cw && settled[r0 + c1] === known) c1++;
        if (known !== 0) out.fill(known, row + columnStart[c], row + columnStart[c1]);
        c = c1;
        continue;
      }
      for (let x = columnStart[c], o = row + x, j = o * channels; x < columnStart[c1]; x++, o++, j += channels) {
        const wx = xw[x];
        const i00 = r0 + c;
        const i01 = r0 + xs1[x];
        const i10 = r1 + c;
        const i11 = r1 + xs1[x];
        const w00 = (1 - wx) * w00y;
        const w01 = wx * w00y;
        const w10 = (1 - wx) * wy;
        const w11 = wx * wy;
        const cb = b[i00] * w00 + b[i01] * w01 + b[i10] * w10 + b[i11] * w11;
        const cr = aR[i00] * w00 + aR[i01] * w01 + aR[i10] * w10 + aR[i11] * w11;
        const cg = aG[i00] * w00 + aG[i01] * w01 + aG[i10] * w10 + aG[i11] * w11;
        const cbl = aB[i00] * w00 + aB[i01] * w01 + aB[i10] * w10 + aB[i11] * w11;
        const q = (cr * px[j] + cg * px[j + 1] + cbl * px[j + 2]) * k + cb;
        out[o] = toAlpha(q);
      }
      c = c1;
    }
  }
  return out;
}

/**
 * The pipeline applies one fit twice (at full and at working size): its
 * settled blocks are found once. Fitted coefficients are not changed after
 * fitGuidedFilter returns them, so the cache cannot go stale.
 */
const settledCache = new WeakMap<GuidedCoefficients, Uint16Array>();

function settledBlocksOf(c: GuidedCoefficients): Uint16Array {
  let blocks = settledCache.get(c);
  if (!blocks) {
    blocks = settledBlocks(c);
    settledCache.set(c, blocks);
  }
  return blocks;
}

const UNSETTLED = 256;

/**
 * For each coefficient cell, the 8-bit output shared by every pixel
 * interpolated from it and its right, lower and diagonal neighbours, or
 * UNSETTLED. With colour channels in 0..1, a cell's output lies between b
 * plus its negative colour weights and b plus its positive ones; when that
 * whole range snaps to 0 (or to 1) for all four cells, it does for every
 * pixel between them too, since the output is linear in the coefficients.
 */
function settledBlocks(c: GuidedCoefficients): Uint16Array {
  const { width, height, aR, aG, aB, b } = c;
  const level = new Uint16Array(width * height);
  for (let i = 0; i < level.length; i++) {
    const r = aR[i];
    const g = aG[i];
    const bl = aB[i];
    let lo = b[i];
    let hi = lo;
    // Cells the fit skipped (most of them) have no colour weights: their output is b itself.
    if (r !== 0 || g !== 0 || bl !== 0) {
      lo += (r < 0 ? r : 0) + (g < 0 ? g : 0) + (bl < 0 ? bl : 0);
      hi += (r > 0 ? r : 0) + (g > 0 ? g : 0) + (bl > 0 ? bl : 0);
    }
    // toAlpha never decreases: the whole range is 0 when its top is, 255 when its bottom is.
    level[i] = toAlpha(hi) === 0 ? 0 : toAlpha(lo) === 255 ? 255 : UNSETTLED;
  }
  const out = new Uint16Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const below = Math.min(y + 1, height - 1) * width;
    for (let x = 0; x < width; x++) {
      const x1 = x + 1 < width ? x + 1 : x;
      const v = level[row + x];
      out[row + x] = v === level[row + x1] && v === level[below + x] && v === level[below + x1] ? v : UNSETTLED;
    }
  }
  return out;
}
