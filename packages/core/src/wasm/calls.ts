/**
 * Typed calls of the kernels that take a dozen or more positional arguments
 * (packages/core/assembly): each argument is named once, here, in the order
 * AssemblyScript declares it, and callers pass an object. Offsets are byte
 * addresses in kernel memory (Kernels); a rectangle is [x0, x1) x [y0, y1).
 */
import type { Rect } from "../matte/cells.js";
import type { Kernels } from "./kernels.js";

/** Where an axis' bilinear weights are (Kernels.axis): first and second source index, weight of the second. */
export type AxisAt = readonly [xs0: number, xs1: number, xw: number];

/** The guided fit's coefficient planes (aR, aG, aB, b) and its settled blocks, in kernel memory. */
export interface CoefficientsAt {
  aR: number;
  aG: number;
  aB: number;
  b: number;
  settled: number;
}

/**
 * One output row of the guided filter (guided-apply.ts): coefficient rows
 * r0 and r1 blended by wy, then columns by `columns`; settled runs written
 * whole. Returns how many runs it wrote at `runs` (start, end, level each).
 */
export function applyRow(
  k: Kernels,
  a: {
    coefficients: CoefficientsAt;
    coefficientWidth: number;
    /** Offsets (in pixels) of the two coefficient rows, and the second's weight. */
    r0: number;
    r1: number;
    wy: number;
    columns: AxisAt;
    columnStart: number;
    pixels: number;
    channels: number;
    out: number;
    runs: number;
    blended: number;
    snap: number;
    unsettled: number;
  },
): number {
  const c = a.coefficients;
  return k.exports.applyRow(
    c.aR,
    c.aG,
    c.aB,
    c.b,
    c.settled,
    a.coefficientWidth,
    a.r0,
    a.r1,
    a.wy,
    ...a.columns,
    a.columnStart,
    a.pixels,
    a.channels,
    a.out,
    a.runs,
    a.blended,
    a.snap,
    a.unsettled,
  );
}

/** One row of foreground colours (foreground.ts) for pixels [x0, x1), from the estimate's rows r0 and r1 (offsets in pixels) blended by wy. */
export function writeForeground(
  k: Kernels,
  a: {
    pixels: number;
    channels: number;
    alpha: number;
    x0: number;
    x1: number;
    runs: number;
    count: number;
    estimate: number;
    plane: number;
    r0: number;
    r1: number;
    wy: number;
    columns: AxisAt;
    out: number;
    blended: number;
  },
): void {
  k.exports.writeForeground(
    a.pixels,
    a.channels,
    a.alpha,
    a.x0,
    a.x1,
    a.runs,
    a.count,
    a.estimate,
    a.plane,
    a.r0,
    a.r1,
    a.wy,
    ...a.columns,
    a.out,
    a.blended,
  );
}

/** The guided filter's fit (guided-window.ts) over `rect`, from the guide's pixels copied in from `reach` (its top-left corner). */
export function fitWindow(
  k: Kernels,
  a: {
    guide: number;
    matte: number;
    channels: number;
    reach: { x0: number; y0: number };
    stride: number;
    width: number;
    height: number;
    radius: number;
    eps: number;
    rect: Rect;
    out: number;
    work: number;
  },
): void {
  const { rect, reach } = a;
  k.exports.fitWindow(
    a.guide,
    a.matte,
    a.channels,
    reach.x0,
    reach.y0,
    a.stride,
    a.width,
    a.height,
    a.radius,
    a.eps,
    rect.x0,
    rect.y0,
    rect.x1,
    rect.y1,
    a.out,
    a.work,
  );
}

/** One rectangle of a Blur-Fusion pass (blur-fusion.ts), on top of a first pass's estimate when `first` is given. */
export function fuseRect(
  k: Kernels,
  a: {
    width: number;
    height: number;
    radius: number;
    rect: Rect;
    alpha: number;
    colours: { at: number; bytes: boolean; channels: number; scale: number };
    first?: { at: number; width: number; plane: number; columns: AxisAt; rows: AxisAt };
    out: number;
    work: number;
  },
): void {
  const { rect, colours, first } = a;
  const none: AxisAt = [0, 0, 0];
  k.exports.fuseRect(
    first !== undefined,
    a.width,
    a.height,
    a.radius,
    rect.x0,
    rect.y0,
    rect.x1,
    rect.y1,
    a.alpha,
    colours.at,
    colours.bytes,
    colours.channels,
    colours.scale,
    first?.at ?? 0,
    first?.width ?? 0,
    first?.plane ?? 0,
    ...(first?.columns ?? none),
    ...(first?.rows ?? none),
    a.out,
    a.work,
  );
}

/** Per cell of the matte, its settled level (0, 1) or -1 (settledCells in matte.ts). */
export function settledCells(
  k: Kernels,
  a: {
    matte: number;
    width: number;
    height: number;
    cellWidth: number;
    cellHeight: number;
    columns: number;
    reach: number;
    spread: number;
    tolerance: number;
    lo: number;
    hi: number;
    levels: number;
  },
): void {
  k.exports.settledCells(
    a.matte,
    a.width,
    a.height,
    a.cellWidth,
    a.cellHeight,
    a.columns,
    a.reach,
    a.spread,
    a.tolerance,
    a.lo,
    a.hi,
    a.levels,
  );
}
