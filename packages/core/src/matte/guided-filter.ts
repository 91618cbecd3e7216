import type { PixelImage, Plane } from "../image.js";
import { applyRow, settledCells as settledCellsKernel } from "../wasm/calls.js";
import { type Kernels, kernels } from "../wasm/kernels.js";
import { type CellMask, cellMask, flaggedRuns } from "./cells.js";
import type { ColourEstimate } from "./foreground.js";
import { coefficientPlanes, type GuidedCoefficients, HeldCoefficients, SNAP, UNSETTLED } from "./guided-coefficients.js";
import { GuidedWindow } from "./guided-window.js";
import { ForegroundRows } from "./held-estimate.js";
import { axisWeights } from "./resize.js";

export { type GuidedCoefficients, SNAP, UNSETTLED };

/**
 * Fits the colour guided filter (He, Sun and Tang, 2013) of matte `p` with the
 * RGB guide. Inside a window the output is a linear function of the guide's
 * colour, so edges in the matte snap to edges in the photo. Fitting at a
 * reduced size and applying the coefficients at full size is the Fast Guided
 * Filter (He and Sun, 2015): full resolution costs one multiply-add per pixel.
 * Most of a matte is settled, plainly 0 or 1 all around: there the
 * coefficients are written without fitting, and only the rest is fitted, in
 * rectangles (guided-window.ts). The coefficients live in kernel memory
 * (wasm/kernels.ts), where applyGuidedFilter reads them in place: they are
 * valid until the next fit, and reading them after it throws.
 */
export function fitGuidedFilter(guide: PixelImage, p: Plane, radius: number, eps: number): GuidedCoefficients {
  const { width, height } = p;
  if (guide.width !== width || guide.height !== height) {
    throw new RangeError(`guide is ${guide.width}x${guide.height} but matte is ${width}x${height}`);
  }
  const r = Math.max(0, Math.floor(radius));
  const k = kernels();
  // In place when workingMatte wrote it.
  const matte = k.hold("guided.matte", p.data);
  const { cells, levels } = settledCells(matte, width, height, r, eps, k);
  const fitted = flaggedRuns(cells, 4 * r, MAX_RUN);
  const out = new HeldCoefficients(width, height, { cells, levels, fitted });
  const planes = out.at(0);
  const stagedLevels = k.staging();
  const levelsAt = stagedLevels.take(levels.length);
  new Int8Array(k.reserve(stagedLevels.bytes), levelsAt, levels.length).set(levels);
  k.exports.fillCells(levelsAt, cells.columns, cells.cellWidth, cells.cellHeight, width, height, out.at(3), out.at(4), UNSETTLED);
  const window = new GuidedWindow(r, eps, width, height, matte, planes);
  for (const rect of fitted) window.fit(guide, rect);
  return out;
}

/**
 * The matte at the guide's size, snapped (snapMatte), as fitGuidedFilter
 * takes it: written by a kernel straight into kernel memory, where the fit
 * reads it in place. Valid until the next call; `data` is a view that a later
 * kernel call may invalidate, so pass it to fitGuidedFilter first.
 */
export function workingMatte(matte: Plane, width: number, height: number): Plane {
  const k = kernels();
  const { at } = k.region("guided.matte", width * height * 4);
  const rows = axisWeights(matte.height, height);
  const staging = k.staging();
  const [xs0, xs1, xw] = k.axis(staging, axisWeights(matte.width, width));
  const sw = matte.width;
  const topAt = staging.take(sw * 4);
  const bottomAt = staging.take(sw * 4);
  const buffer = k.reserve(staging.bytes);
  const top = new Float32Array(buffer, topAt, sw);
  const bottom = new Float32Array(buffer, bottomAt, sw);
  for (let y = 0; y < height; y++) {
    top.set(matte.data.subarray(rows.xs0[y] * sw, rows.xs0[y] * sw + sw));
    bottom.set(matte.data.subarray(rows.xs1[y] * sw, rows.xs1[y] * sw + sw));
    k.exports.resizeRow(topAt, bottomAt, rows.xw[y], xs0, xs1, xw, sw === width, width, MATTE_SNAP, at + y * width * 4);
  }
  return { data: new Float32Array(buffer, at, width * height), width, height };
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
function settledCells(
  matte: number,
  width: number,
  height: number,
  r: number,
  eps: number,
  k: Kernels,
): { cells: CellMask; levels: Int8Array } {
  const cells = cellMask(width, height, FIT_CELL_WIDTH, FIT_CELL_HEIGHT);
  const staging = k.staging();
  const loAt = staging.take(width * 4);
  const hiAt = staging.take(width * 4);
  const levelsAt = staging.take(cells.flags.length);
  const buffer = k.reserve(staging.bytes);
  const spread = Math.sqrt(3) / (2 * Math.sqrt(eps));
  settledCellsKernel(k, {
    matte,
    width,
    height,
    cellWidth: cells.cellWidth,
    cellHeight: cells.cellHeight,
    columns: cells.columns,
    reach: 2 * r,
    spread,
    tolerance: SETTLED_ERROR,
    lo: loAt,
    hi: hiAt,
    levels: levelsAt,
  });
  const levels = new Int8Array(buffer, levelsAt, cells.flags.length).slice();
  for (let t = 0; t < levels.length; t++) cells.flags[t] = levels[t] === -1 ? 1 : 0;
  // The mask as cellMask made it: flaggedRuns sees one shape of mask, here and in the colour estimate.
  return { cells, levels };
}

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

/**
 * Evaluates fitted coefficients on an image of any size (bilinearly
 * upsampling them), giving an 8-bit alpha plane at that size. Most of a photo
 * is plainly subject or plainly background: where all four coefficient
 * samples say so, the pixel is written without evaluating the model, a whole
 * run of such pixels at once. Every pixel of `out` is written. `onRun`, if
 * given, sees each run of a row as it is written: its alpha is `known` (0 or
 * 255) throughout, or UNSETTLED (evaluated pixel by pixel). With
 * `foreground`, each row's RGBA is written too, as applyForeground would
 * (the pipeline's one full-size pass). The arithmetic is the kernel applyRow
 * (packages/core/assembly/guided-apply.ts), a row at a time.
 */
export function applyGuidedFilter(
  coefficients: GuidedCoefficients,
  image: PixelImage,
  out: Uint8Array = new Uint8Array(image.width * image.height),
  onRun?: (y: number, x0: number, x1: number, known: number) => void,
  foreground?: { estimate: ColourEstimate; rgba: Uint8Array },
): Uint8Array {
  const { width, height, channels } = image;
  if (out.length !== width * height) throw new RangeError(`out has ${out.length} pixels, the image ${width * height}`);
  const cw = coefficients.width;
  const k = kernels();
  const staging = k.staging();
  const planes = coefficientPlanes(coefficients, k, staging);
  const { xs0, xs1, xw } = axisWeights(cw, width);
  const { xs0: ys0, xs1: ys1, xw: yw } = axisWeights(coefficients.height, height);
  // The pixels interpolated from coefficient column c start at columnStart[c] (xs0 never decreases).
  const columnStart = new Int32Array(cw + 1).fill(width);
  for (let x = width - 1; x >= 0; x--) columnStart[xs0[x]] = x;
  for (let c = cw - 1; c >= 0; c--) columnStart[c] = Math.min(columnStart[c], columnStart[c + 1]);
  const columns = k.axis(staging, { xs0, xs1, xw });
  const columnStartAt = staging.take(columnStart.byteLength);
  const pxAt = staging.take(width * channels);
  const rowAt = staging.take(width);
  const runsAt = staging.take((cw + 1) * 12);
  const blendedAt = staging.take(cw * 4 * 8);
  const colours = foreground && new ForegroundRows(k, staging, image, foreground.estimate, foreground.rgba);
  const buffer = k.reserve(staging.bytes);
  k.copyIn(columnStartAt, columnStart);
  const [aR, aG, aB, b, , settled] = planes;
  const held = { aR, aG, aB, b, settled };
  const px = new Uint8Array(buffer, pxAt, width * channels);
  const row = new Uint8Array(buffer, rowAt, width);
  const runs = new Int32Array(buffer, runsAt, (cw + 1) * 3);
  for (let y = 0; y < height; y++) {
    px.set(image.data.subarray(y * width * channels, (y + 1) * width * channels));
    const count = applyRow(k, {
      coefficients: held,
      coefficientWidth: cw,
      r0: ys0[y] * cw,
      r1: ys1[y] * cw,
      wy: yw[y],
      columns,
      columnStart: columnStartAt,
      pixels: pxAt,
      channels,
      out: rowAt,
      runs: runsAt,
      blended: blendedAt,
      snap: SNAP,
      unsettled: UNSETTLED,
    });
    out.set(row, y * width);
    colours?.write(y, pxAt, rowAt, runsAt, count);
    if (onRun) for (let i = 0; i < count * 3; i += 3) onRun(y, runs[i], runs[i + 1], runs[i + 2]);
  }
  return out;
}

/**
 * For each coefficient cell, the 8-bit output shared by every pixel
 * interpolated from it and its right, lower and diagonal neighbours, or
 * UNSETTLED. With colour channels in 0..1, a cell's output lies between b
 * plus its negative colour weights and b plus its positive ones; when that
 * whole range snaps to 0 (or to 1) for all four cells, it does for every
 * pixel between them too, since the output is linear in the coefficients.
 * The pipeline reads one fit's settled blocks up to three times (applying it
 * at full and at working size, and finding the cells to estimate colours
 * in): they are found once, and the result is valid while the fit is.
 */
export function settledBlocks(c: GuidedCoefficients): Uint16Array {
  const k = kernels();
  const planes = coefficientPlanes(c, k, k.staging());
  const blocks = new Uint16Array(k.buffer, planes[5], c.width * c.height);
  // Staged blocks are overwritten by the next kernel call.
  return c instanceof HeldCoefficients ? blocks : blocks.slice();
}
