// Evaluating fitted guided-filter coefficients (see src/matte/guided-filter.ts):
// which blocks are settled, and the 8-bit alpha of an image row.
import { getF32, getU8, setF64 } from "./memory";

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
  let i = start;
  // Two at a time in f64 lanes. pmin(0, v) is v < 0 ? v : 0 and pmax(0, v) is v > 0 ? v : 0, exactly; where all
  // three weights are 0 they add 0 to b, which is what the scalar loop's skip leaves. toAlpha(hi) is 0 exactly
  // when hi's stretched value times 255 plus 0.5 is under 1, and toAlpha(lo) 255 when it is at least 255.
  const zero = f64x2.splat(0);
  const lift = f64x2.splat(snap);
  const stretch = f64x2.splat(1 / (1 - 2 * snap));
  const bytes = f64x2.splat(255);
  const half = f64x2.splat(0.5);
  const one = f64x2.splat(1);
  for (; i + 2 <= end; i += 2) {
    const at = (<usize>i) << 2;
    const r = f64x2.promote_low_f32x4(v128.load64_zero(aR + at));
    const g = f64x2.promote_low_f32x4(v128.load64_zero(aG + at));
    const bl = f64x2.promote_low_f32x4(v128.load64_zero(aB + at));
    const base = f64x2.promote_low_f32x4(v128.load64_zero(b + at));
    const down = f64x2.add(f64x2.add(f64x2.pmin(zero, r), f64x2.pmin(zero, g)), f64x2.pmin(zero, bl));
    const up = f64x2.add(f64x2.add(f64x2.pmax(zero, r), f64x2.pmax(zero, g)), f64x2.pmax(zero, bl));
    const lo = f64x2.add(f64x2.mul(f64x2.mul(f64x2.sub(f64x2.add(base, down), lift), stretch), bytes), half);
    const hi = f64x2.add(f64x2.mul(f64x2.mul(f64x2.sub(f64x2.add(base, up), lift), stretch), bytes), half);
    const empty = f64x2.lt(hi, one);
    const full = f64x2.ge(lo, bytes);
    for (let lane = 0; lane < 2; lane++) {
      const e = lane === 0 ? i64x2.extract_lane(empty, 0) : i64x2.extract_lane(empty, 1);
      const f = lane === 0 ? i64x2.extract_lane(full, 0) : i64x2.extract_lane(full, 1);
      store<u16>(level + ((<usize>(i + lane)) << 1), e !== 0 ? 0 : f !== 0 ? 255 : unsettled);
    }
  }
  for (; i < end; i++) {
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
  const other = i16x8.splat(<i16>unsettled);
  for (let y = 0; y < height; y++) {
    const row = level + ((<usize>(y * width)) << 1);
    const below = level + ((<usize>(min(y + 1, height - 1) * width)) << 1);
    const to = out + ((<usize>(y * width)) << 1);
    let x = 0;
    // Eight blocks at a time, while each one's right neighbour is in the row.
    for (; x + 9 <= width; x += 8) {
      const at = (<usize>x) << 1;
      const v = v128.load(row + at);
      const same = v128.and(
        v128.and(i16x8.eq(v, v128.load(row + at + 2)), i16x8.eq(v, v128.load(below + at))),
        i16x8.eq(v, v128.load(below + at + 2)),
      );
      v128.store(to + at, v128.bitselect(v, other, same));
    }
    for (; x < width; x++) {
      const x1 = x + 1 < width ? x + 1 : x;
      const v = load<u16>(row + ((<usize>x) << 1));
      const same =
        v === load<u16>(row + ((<usize>x1) << 1)) &&
        v === load<u16>(below + ((<usize>x) << 1)) &&
        v === load<u16>(below + ((<usize>x1) << 1));
      store<u16>(to + ((<usize>x) << 1), same ? v : unsettled);
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
        const wx = f64x2.splat(getF32(xw, x));
        const v0 = blended + ((<usize>load<i32>(xs0 + ((<usize>x) << 2))) << 5);
        const v1 = blended + ((<usize>load<i32>(xs1 + ((<usize>x) << 2))) << 5);
        // The four coefficients blended along the row two at a time: (R, G) and (B, b).
        const rg0 = v128.load(v0);
        const rg = f64x2.add(rg0, f64x2.mul(f64x2.sub(v128.load(v1), rg0), wx));
        const bb0 = v128.load(v0, 16);
        const bb = f64x2.add(bb0, f64x2.mul(f64x2.sub(v128.load(v1, 16), bb0), wx));
        const colour = f64x2.mul(rg, f64x2.replace_lane(f64x2.splat(getU8(px, j)), 1, getU8(px, j + 1)));
        const dot = f64x2.extract_lane(colour, 0) + f64x2.extract_lane(colour, 1) + f64x2.extract_lane(bb, 0) * getU8(px, j + 2);
        store<u8>(out + <usize>x, toAlpha(dot * k + f64x2.extract_lane(bb, 1), snap));
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
