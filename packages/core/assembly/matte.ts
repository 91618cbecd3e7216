// The model's matte at working size, and which cells of it are settled
// (see src/matte/guided-filter.ts: workingMatte and settledCells).
import { getF32, setF32 } from "./memory";

/**
 * One row of a bilinear resize (resizePlane in src/matte/resize.ts), from
 * source rows `top` and `bottom` blended by wy, into `out`; with `snap` above
 * 0, snapped like snapMatte (values within it of 0 or 1 go there, the rest
 * stretched). xs0, xs1 (i32) and xw (f32) are per output column.
 */
export function resizeRow(
  top: usize,
  bottom: usize,
  wy: f64,
  xs0: usize,
  xs1: usize,
  xw: usize,
  sameWidth: bool,
  width: i32,
  snap: f64,
  out: usize,
): void {
  const k = 1 / (1 - 2 * snap);
  let x = 0;
  if (sameWidth) {
    // Two columns at a time in f64 lanes: the same operations, in the same order, as one at a time.
    const w = f64x2.splat(wy);
    const lo = f64x2.splat(snap);
    const stretch = f64x2.splat(k);
    const zero = f64x2.splat(0);
    const one = f64x2.splat(1);
    for (; x + 2 <= width; x += 2) {
      const at = (<usize>x) << 2;
      const t = f64x2.promote_low_f32x4(v128.load64_zero(top + at));
      let v = f64x2.add(t, f64x2.mul(f64x2.sub(f64x2.promote_low_f32x4(v128.load64_zero(bottom + at)), t), w));
      if (snap > 0) {
        const s = f64x2.mul(f64x2.sub(f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(v)), lo), stretch);
        v = f64x2.min(one, f64x2.max(zero, s));
      }
      v128.store64_lane(out + at, f32x4.demote_f64x2_zero(v), 0);
    }
  }
  for (; x < width; x++) {
    let v: f64;
    if (sameWidth) {
      const t = getF32(top, x);
      v = t + (getF32(bottom, x) - t) * wy;
    } else {
      const x0 = load<i32>(xs0 + ((<usize>x) << 2));
      const x1 = load<i32>(xs1 + ((<usize>x) << 2));
      const wx = getF32(xw, x);
      const t0 = getF32(top, x0);
      const b0 = getF32(bottom, x0);
      const t = t0 + (getF32(top, x1) - t0) * wx;
      const b = b0 + (getF32(bottom, x1) - b0) * wx;
      v = t + (b - t) * wy;
    }
    if (snap <= 0) {
      setF32(out, x, v);
      continue;
    }
    // Rounded to f32 as the resized plane was stored, then snapped.
    const s = (<f64>(<f32>v) - snap) * k;
    setF32(out, x, min(1, max(0, s)));
  }
}

/**
 * Per cell of cellWidth x cellHeight (columns a row), into `levels` (i8): 0 or
 * 1 where the matte p (width x height, f32) within `reach` pixels of the cell
 * stays within `tolerance` of that constant once the colour term
 * (range * spread) is added, else -1. `lo` and `hi` are width f32 each.
 */
export function settledCells(
  p: usize,
  width: i32,
  height: i32,
  cellWidth: i32,
  cellHeight: i32,
  columns: i32,
  reach: i32,
  spread: f64,
  tolerance: f64,
  lo: usize,
  hi: usize,
  levels: usize,
): void {
  const rows = (height + cellHeight - 1) / cellHeight;
  for (let row = 0, t = 0; row < rows; row++) {
    // Separable: the range down each column of a row of cells' reach, then across each cell's reach.
    const y0 = max(0, row * cellHeight - reach);
    const y1 = min(height, min((row + 1) * cellHeight, height) + reach);
    memory.copy(lo, p + ((<usize>(y0 * width)) << 2), (<usize>width) << 2);
    memory.copy(hi, lo, (<usize>width) << 2);
    for (let y = y0 + 1; y < y1; y++) {
      let x = 0;
      // Four columns at a time: pmin and pmax keep the first of equal values, as the comparisons below do.
      for (const row = p + ((<usize>(y * width)) << 2); x + 4 <= width; x += 4) {
        const v = v128.load(row + ((<usize>x) << 2));
        const l = lo + ((<usize>x) << 2);
        const h = hi + ((<usize>x) << 2);
        v128.store(l, f32x4.pmin(v128.load(l), v));
        v128.store(h, f32x4.pmax(v128.load(h), v));
      }
      for (let i = y * width + x; x < width; x++, i++) {
        const v = load<f32>(p + ((<usize>i) << 2));
        if (v < load<f32>(lo + ((<usize>x) << 2))) store<f32>(lo + ((<usize>x) << 2), v);
        if (v > load<f32>(hi + ((<usize>x) << 2))) store<f32>(hi + ((<usize>x) << 2), v);
      }
    }
    for (let column = 0; column < columns; column++, t++) {
      const x0 = max(0, column * cellWidth - reach);
      const x1 = min(width, min((column + 1) * cellWidth, width) + reach);
      let a = getF32(lo, x0);
      let b = getF32(hi, x0);
      for (let x = x0 + 1; x < x1; x++) {
        if (getF32(lo, x) < a) a = getF32(lo, x);
        if (getF32(hi, x) > b) b = getF32(hi, x);
      }
      const colour = (b - a) * spread;
      const level: i8 = max(b, -a) + colour <= tolerance ? 0 : max(1 - a, b - 1) + colour <= tolerance ? 1 : -1;
      store<i8>(levels + <usize>t, level);
    }
  }
}

/**
 * The photo's colours (width pixels a row, `channels` bytes each) bilinearly
 * resized to w x h, as three f32 per pixel in 0..1, into `out`; xs0, xs1, xw
 * per output column and ys0, ys1, yw per output row (i32, i32, f32).
 */
export function shrinkColours(
  src: usize,
  width: i32,
  channels: i32,
  xs0: usize,
  xs1: usize,
  xw: usize,
  ys0: usize,
  ys1: usize,
  yw: usize,
  w: i32,
  h: i32,
  out: usize,
): void {
  const k: f64 = 1.0 / 255.0;
  for (let y = 0, o = 0; y < h; y++) {
    const r0 = load<i32>(ys0 + ((<usize>y) << 2)) * width;
    const r1 = load<i32>(ys1 + ((<usize>y) << 2)) * width;
    const wy = getF32(yw, y);
    for (let x = 0; x < w; x++) {
      const x0 = load<i32>(xs0 + ((<usize>x) << 2));
      const x1 = load<i32>(xs1 + ((<usize>x) << 2));
      const j00 = (r0 + x0) * channels;
      const j01 = (r0 + x1) * channels;
      const j10 = (r1 + x0) * channels;
      const j11 = (r1 + x1) * channels;
      const wx = getF32(xw, x);
      for (let c = 0; c < 3; c++, o++) {
        const a = <f64>load<u8>(src + <usize>(j00 + c));
        const c0 = <f64>load<u8>(src + <usize>(j10 + c));
        const top = a + (<f64>load<u8>(src + <usize>(j01 + c)) - a) * wx;
        const bottom = c0 + (<f64>load<u8>(src + <usize>(j11 + c)) - c0) * wx;
        setF32(out, o, (top + (bottom - top) * wy) * k);
      }
    }
  }
}

/** Alpha bytes as 0..1 floats: n u8 at `src` into f32 at `out`. Two at a time in f64 lanes, as exact as one at a time. */
export function unitAlpha(src: usize, n: i32, out: usize): void {
  const k = f64x2.splat(255);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const bytes = i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load16_splat(src + <usize>i)));
    v128.store64_lane(out + ((<usize>i) << 2), f32x4.demote_f64x2_zero(f64x2.div(f64x2.convert_low_i32x4_u(bytes), k)), 0);
  }
  for (; i < n; i++) setF32(out, i, <f64>load<u8>(src + <usize>i) / 255);
}
