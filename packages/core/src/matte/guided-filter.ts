import type { PixelImage, Plane } from "../image.js";
import { type Scratch, scratchDirty, scratchZeros } from "../scratch.js";
import { type CellMask, cellMask, cellRect, flaggedRuns, grow, type Rect } from "./cells.js";
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
  /**
   * From fitGuidedFilter: the cells written without fitting (level 0 or 1, a
   * = 0 and b = level; -1 where fitted) and the rectangles that were fitted,
   * which may cover settled cells too. Lets settledBlocks fill the settled
   * cells whole instead of reading their coefficients pixel by pixel.
   */
  layout?: { cells: CellMask; levels: Int8Array; fitted: Rect[] };
}

/**
 * Fits the colour guided filter (He, Sun and Tang, 2013) of matte `p` with the
 * RGB guide. Inside a window the output is a linear function of the guide's
 * colour, so edges in the matte snap to edges in the photo. Fitting at a
 * reduced size and applying the coefficients at full size is the Fast Guided
 * Filter (He and Sun, 2015): full resolution costs one multiply-add per pixel.
 * Most of a matte is settled, plainly 0 or 1 all around: there the
 * coefficients are written without fitting, and only the rest is fitted, in
 * rectangles (guided-window.ts). With `scratch`, the coefficients are
 * borrowed from it (valid until its next fit).
 */
export function fitGuidedFilter(guide: PixelImage, p: Plane, radius: number, eps: number, scratch?: Scratch): GuidedCoefficients {
  const { width, height } = p;
  if (guide.width !== width || guide.height !== height) {
    throw new RangeError(`guide is ${guide.width}x${guide.height} but matte is ${width}x${height}`);
  }
  const n = width * height;
  const out: GuidedCoefficients = {
    aR: scratchZeros(scratch, "guided.aR", Float32Array, n),
    aG: scratchZeros(scratch, "guided.aG", Float32Array, n),
    aB: scratchZeros(scratch, "guided.aB", Float32Array, n),
    b: scratchZeros(scratch, "guided.b", Float32Array, n),
    width,
    height,
    // Set below; present from the start so that every fit's object has one shape (a map, to V8).
    layout: undefined,
  };
  const r = Math.max(0, Math.floor(radius));
  const { cells, levels } = settledCells(p, r, eps);
  levels.forEach((level, t) => {
    if (level !== 1) return;
    const { x0, y0, x1, y1 } = cellRect(cells, t % cells.columns, Math.floor(t / cells.columns));
    for (let y = y0; y < y1; y++) out.b.fill(1, y * width + x0, y * width + x1);
  });
  const window = new GuidedWindow(r, eps, width, height, MAX_RUN, FIT_CELL_HEIGHT, scratch);
  const fitted = flaggedRuns(cells, 4 * r, MAX_RUN);
  for (const rect of fitted) window.fit(guide, p.data, rect, out);
  out.layout = { cells, levels, fitted };
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
function settledCells(p: Plane, r: number, eps: number): { cells: CellMask; levels: Int8Array } {
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
  // The mask as cellMask made it: flaggedRuns sees one shape of mask, here and in the colour estimate.
  return { cells, levels };
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
 * run of such pixels at once. Every pixel of `out` is written. `onRun`, if
 * given, sees each run of a row as it is written: its alpha is `known` (0 or
 * 255) throughout, or UNSETTLED (evaluated pixel by pixel).
 */
export function applyGuidedFilter(
  coefficients: GuidedCoefficients,
  image: PixelImage,
  out: Uint8Array = new Uint8Array(image.width * image.height),
  scratch?: Scratch,
  onRun?: (y: number, x0: number, x1: number, known: number) => void,
): Uint8Array {
  const { width, height, channels } = image;
  if (out.length !== width * height) throw new RangeError(`out has ${out.length} pixels, the image ${width * height}`);
  const cw = coefficients.width;
  const { aR, aG, aB, b } = coefficients;
  const settled = settledBlocks(coefficients, scratch);
  const { xs0, xs1, xw } = axisWeights(cw, width);
  const { xs0: ys0, xs1: ys1, xw: yw } = axisWeights(coefficients.height, height);
  // The pixels interpolated from coefficient column c start at columnStart[c] (xs0 never decreases).
  const columnStart = new Int32Array(cw + 1).fill(width);
  for (let x = width - 1; x >= 0; x--) columnStart[xs0[x]] = x;
  for (let c = cw - 1; c >= 0; c--) columnStart[c] = Math.min(columnStart[c], columnStart[c + 1]);
  const px = image.data;
  const k = 1 / 255;
  // Coefficients blended down to the current row, interleaved per column (aR, aG, aB, b): each is then
  // read by the several pixels between two columns, so a pixel costs two reads per coefficient, not four.
  const blended = new Float64Array(cw * 4);
  for (let y = 0; y < height; y++) {
    const r0 = ys0[y] * cw;
    const r1 = ys1[y] * cw;
    const wy = yw[y];
    const row = y * width;
    for (let c = 0; c < cw; ) {
      const known = settled[r0 + c];
      let c1 = c + 1;
      while (c1 < cw && settled[r0 + c1] === known) c1++;
      const x0 = columnStart[c];
      const x1 = columnStart[c1];
      if (x0 < x1 && known !== UNSETTLED) out.fill(known, row + x0, row + x1);
      else if (x0 < x1) {
        for (let i = c, v = c * 4; i <= xs1[x1 - 1]; i++, v += 4) {
          blended[v] = aR[r0 + i] + (aR[r1 + i] - aR[r0 + i]) * wy;
          blended[v + 1] = aG[r0 + i] + (aG[r1 + i] - aG[r0 + i]) * wy;
          blended[v + 2] = aB[r0 + i] + (aB[r1 + i] - aB[r0 + i]) * wy;
          blended[v + 3] = b[r0 + i] + (b[r1 + i] - b[r0 + i]) * wy;
        }
        for (let x = x0, o = row + x, j = o * channels; x < x1; x++, o++, j += channels) {
          const wx = xw[x];
          const v0 = xs0[x] * 4;
          const v1 = xs1[x] * 4;
          const cr = blended[v0] + (blended[v1] - blended[v0]) * wx;
          const cg = blended[v0 + 1] + (blended[v1 + 1] - blended[v0 + 1]) * wx;
          const cbl = blended[v0 + 2] + (blended[v1 + 2] - blended[v0 + 2]) * wx;
          const cb = blended[v0 + 3] + (blended[v1 + 3] - blended[v0 + 3]) * wx;
          out[o] = toAlpha((cr * px[j] + cg * px[j + 1] + cbl * px[j + 2]) * k + cb);
        }
      }
      if (x0 < x1) onRun?.(y, x0, x1, known);
      c = c1;
    }
  }
  return out;
}

/**
 * The pipeline reads one fit's settled blocks up to three times (applying it
 * at full and at working size, and finding the cells to estimate colours
 * in): they are found once. Fitted coefficients are not changed after
 * fitGuidedFilter returns them (with a scratch, they are dropped with the
 * next fit), so the cache cannot go stale.
 */
const settledCache = new WeakMap<GuidedCoefficients, Uint16Array>();

/**
 * For each coefficient cell, the 8-bit output shared by every pixel
 * interpolated from it and its right, lower and diagonal neighbours, or
 * UNSETTLED. With colour channels in 0..1, a cell's output lies between b
 * plus its negative colour weights and b plus its positive ones; when that
 * whole range snaps to 0 (or to 1) for all four cells, it does for every
 * pixel between them too, since the output is linear in the coefficients.
 */
export function settledBlocks(c: GuidedCoefficients, scratch?: Scratch): Uint16Array {
  let blocks = settledCache.get(c);
  if (!blocks) {
    blocks = findSettledBlocks(c, scratch);
    settledCache.set(c, blocks);
  }
  return blocks;
}

/** In settledBlocks: a block whose pixels must be evaluated one by one. */
export const UNSETTLED = 256;

function findSettledBlocks(c: GuidedCoefficients, scratch: Scratch | undefined): Uint16Array {
  const { width, height } = c;
  const level = scratchDirty(scratch, "guided.level", Uint16Array, width * height);
  if (c.layout) {
    // Cells written without fitting have a = 0 and b = their level: fill them a row of cells at a time,
    // then evaluate the fitted rectangles pixel by pixel.
    const { cells, levels, fitted } = c.layout;
    const template = new Uint16Array(width);
    for (let row = 0; row * cells.cellHeight < height; row++) {
      for (let column = 0; column < cells.columns; column++) {
        const v = levels[row * cells.columns + column];
        const x0 = column * cells.cellWidth;
        template.fill(v === 1 ? 255 : v === 0 ? 0 : UNSETTLED, x0, Math.min(x0 + cells.cellWidth, width));
      }
      for (let y = row * cells.cellHeight; y < Math.min((row + 1) * cells.cellHeight, height); y++) level.set(template, y * width);
    }
    for (const rect of fitted) {
      for (let y = rect.y0; y < rect.y1; y++) pixelLevels(c, level, y * width + rect.x0, y * width + rect.x1);
    }
  } else pixelLevels(c, level, 0, width * height);
  const out = scratchDirty(scratch, "guided.settled", Uint16Array, width * height);
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

/** The 8-bit output shared by every colour at coefficients [start, end): 0, 255, or UNSETTLED. */
function pixelLevels(c: GuidedCoefficients, level: Uint16Array, start: number, end: number): void {
  const { aR, aG, aB, b } = c;
  for (let i = start; i < end; i++) {
    const r = aR[i];
    const g = aG[i];
    const bl = aB[i];
    let lo = b[i];
    let hi = lo;
    // Cells the fit skipped have no colour weights: their output is b itself.
    if (r !== 0 || g !== 0 || bl !== 0) {
      lo += (r < 0 ? r : 0) + (g < 0 ? g : 0) + (bl < 0 ? bl : 0);
      hi += (r > 0 ? r : 0) + (g > 0 ? g : 0) + (bl > 0 ? bl : 0);
    }
    // toAlpha never decreases: the whole range is 0 when its top is, 255 when its bottom is.
    level[i] = toAlpha(hi) === 0 ? 0 : toAlpha(lo) === 255 ? 255 : UNSETTLED;
  }
}
