// Evaluating fitted guided-filter coefficients (see src/matte/guided-filter.ts):
// which blocks are settled, and the 8-bit alpha of an image row.
import { getF32, getF64, getU8, setF64 } from "./memory";

// The constants come from src/matte/guided-filter.ts, as arguments: `snap`
// (its SNAP: alpha within it of 0 or 1 goes there) and `unsettled` (its
// UNSETTLED: a block whose pixels must be evaluated one by one).

/** The 8-bit alpha for a filter output q: snapped near 0 and 1, rounded, clamped. */
function toAlpha(q: f64, snap: f64): i32 {
  const s = (q - snap) * (1 / (1 - 2 * snap));
  return s <= 0 ? 0 : s >= 1 ? 255 : <i32>(s * 255 + 0.5);
}

/** The 8-bit output shared by every colour at coefficients [start, end): 0, 255, or UNSETTLED, into `level` (u16). */
export function pixelLevels(
  aR: usize,
  aG: usize,
  aB: usize,
  b: usize,
  level: usize,
  start: i32,
  end: i32,
  snap: f64,
  unsettled: u16,
): void {
  for (let i = start; i < end; i++) {
    const r = getF32(aR, i);
    const g = getF32(aG, i);
    const bl = getF32(aB, i);
    let lo = getF32(b, i);
    let hi = lo;
    // Cells the fit skipped have no colour weights: their output is b itself.
    if (r !== 0 || g !== 0 || bl !== 0) {
      lo += (r < 0 ? r : 0) + (g < 0 ? g : 0) + (bl < 0 ? bl : 0);
      hi += (r > 0 ? r : 0) + (g > 0 ? g : 0) + (bl > 0 ? bl : 0);
    }
    // toAlpha never decreases: the whole range is 0 when its top is, 255 when its bottom is.
    store<u16>(level + ((<usize>i) << 1), toAlpha(hi, snap) === 0 ? 0 : toAlpha(lo, snap) === 255 ? 255 : unsettled);
  }
}

/** Per block: its level where it and its right, lower and diagonal neighbours share it, else `unsettled`. */
export function settleBlocks(level: usize, out: usize, width: i32, height: i32, unsettled: u16): void {
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const below = min(y + 1, height - 1) * width;
    for (let x = 0; x < width; x++) {
      const x1 = x + 1 < width ? x + 1 : x;
      const v = load<u16>(level + ((<usize>(row + x)) << 1));
      const same =
        v === load<u16>(level + ((<usize>(row + x1)) << 1)) &&
        v === load<u16>(level + ((<usize>(below + x)) << 1)) &&
        v === load<u16>(level + ((<usize>(below + x1)) << 1));
      store<u16>(out + ((<usize>(row + x)) << 1), same ? v : unsettled);
    }
  }
}

/**
 * One output row of applyGuidedFilter: the coefficients blended between
 * coefficient rows r0 and r1 (weight wy) and along the row (xs0, xs1, xw per
 * output column; the first column each coefficient column reaches in
 * columnStart), evaluated on the row's pixels `px` into the bytes at `out`.
 * Runs of columns whose blocks are settled (in row r0 of `settled`) are filled
 * without evaluation. Each run is recorded at `runs` as (x0, x1, level or
 * `unsettled`); returns how many.
 */
export function applyRow(
  aR: usize,
  aG: usize,
  aB: usize,
  b: usize,
  settled: usize,
  cw: i32,
  r0: i32,
  r1: i32,
  wy: f64,
  xs0: usize,
  xs1: usize,
  xw: usize,
  columnStart: usize,
  px: usize,
  channels: i32,
  out: usize,
  runs: usize,
  blended: usize,
  snap: f64,
  unsettled: u16,
): i32 {
  const k: f64 = 1.0 / 255.0;
  let count = 0;
  for (let c = 0; c < cw; ) {
    const known = load<u16>(settled + ((<usize>(r0 + c)) << 1));
    let c1 = c + 1;
    while (c1 < cw && load<u16>(settled + ((<usize>(r0 + c1)) << 1)) === known) c1++;
    const x0 = load<i32>(columnStart + ((<usize>c) << 2));
    const x1 = load<i32>(columnStart + ((<usize>c1) << 2));
    if (x0 < x1 && known !== unsettled) memory.fill(out + <usize>x0, <u8>known, <usize>(x1 - x0));
    else if (x0 < x1) {
      // Blended down to the row, interleaved per column: each is then read by the several pixels between two columns.
      const last = load<i32>(xs1 + ((<usize>(x1 - 1)) << 2));
      for (let i = c, v = c * 4; i <= last; i++, v += 4) {
        const p = r0 + i;
        const q = r1 + i;
        setF64(blended, v, getF32(aR, p) + (getF32(aR, q) - getF32(aR, p)) * wy);
        setF64(blended, v + 1, getF32(aG, p) + (getF32(aG, q) - getF32(aG, p)) * wy);
        setF64(blended, v + 2, getF32(aB, p) + (getF32(aB, q) - getF32(aB, p)) * wy);
        setF64(blended, v + 3, getF32(b, p) + (getF32(b, q) - getF32(b, p)) * wy);
      }
      for (let x = x0, j = x0 * channels; x < x1; x++, j += channels) {
        const wx = getF32(xw, x);
        const v0 = load<i32>(xs0 + ((<usize>x) << 2)) * 4;
        const v1 = load<i32>(xs1 + ((<usize>x) << 2)) * 4;
        const cr = getF64(blended, v0) + (getF64(blended, v1) - getF64(blended, v0)) * wx;
        const cg = getF64(blended, v0 + 1) + (getF64(blended, v1 + 1) - getF64(blended, v0 + 1)) * wx;
        const cbl = getF64(blended, v0 + 2) + (getF64(blended, v1 + 2) - getF64(blended, v0 + 2)) * wx;
        const cb = getF64(blended, v0 + 3) + (getF64(blended, v1 + 3) - getF64(blended, v0 + 3)) * wx;
        store<u8>(out + <usize>x, toAlpha((cr * getU8(px, j) + cg * getU8(px, j + 1) + cbl * getU8(px, j + 2)) * k + cb, snap));
      }
    }
    if (x0 < x1) {
      const at = runs + <usize>count * 12;
      store<i32>(at, x0);
      store<i32>(at, x1, 4);
      store<i32>(at, known, 8);
      count++;
    }
    c = c1;
  }
  return count;
}

/**
 * Writes the cells the fit settles without fitting: per cell (levels, one
 * i8 a cell, row-major, `columns` a row; cellWidth x cellHeight pixels), b = 1
 * where the level is 1 (the planes are zero already), and into `level` (u16
 * per pixel) 255, 0 or `unsettled` for levels 1, 0 and -1.
 */
export function fillCells(
  levels: usize,
  columns: i32,
  cellWidth: i32,
  cellHeight: i32,
  width: i32,
  height: i32,
  b: usize,
  level: usize,
  unsettled: u16,
): void {
  const rows = (height + cellHeight - 1) / cellHeight;
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      const v = load<i8>(levels + <usize>(row * columns + column));
      const x0 = column * cellWidth;
      const x1 = min(x0 + cellWidth, width);
      const out: u16 = v === 1 ? 255 : v === 0 ? 0 : unsettled;
      for (let y = row * cellHeight; y < min((row + 1) * cellHeight, height); y++) {
        for (let i = y * width + x0; i < y * width + x1; i++) {
          if (v === 1) store<f32>(b + ((<usize>i) << 2), 1);
          store<u16>(level + ((<usize>i) << 1), out);
        }
      }
    }
  }
}
