// The model's input tensor, a row at a time (see toInputTensor in src/matte/preprocess.ts).
import { getU8, setF32 } from "./memory";

/**
 * One source row (channels bytes a pixel) resized across to `width` columns
 * (xs0, xs1 i32 and xw f32 per output column), each value rounded to f32 as a
 * resized row is stored: three planes of `width` f32 (R, G, B) at `out`. A
 * source row feeds two or three output rows, so it is resized once.
 */
export function resampleRow(row: usize, channels: i32, xs0: usize, xs1: usize, xw: usize, width: i32, out: usize): void {
  for (let x = 0; x < width; x++) {
    const i = load<i32>(xs0 + ((<usize>x) << 2)) * channels;
    const j = load<i32>(xs1 + ((<usize>x) << 2)) * channels;
    const w = <f64>load<f32>(xw + ((<usize>x) << 2));
    for (let c = 0; c < 3; c++) {
      const a = getU8(row, i + c);
      setF32(out, c * width + x, a + (getU8(row, j + c) - a) * w);
    }
  }
}

/**
 * One output row of the planar float input from two resized rows (resampleRow):
 * top blended towards bottom by wy, then v * k - b per channel, into three
 * planes of `width` f32 at `out`. Two values at a time in f64 lanes: the same
 * operations, in the same order, as one at a time.
 */
export function blendRows(
  top: usize,
  bottom: usize,
  width: i32,
  wy: f64,
  k0: f64,
  k1: f64,
  k2: f64,
  b0: f64,
  b1: f64,
  b2: f64,
  out: usize,
): void {
  const w = f64x2.splat(wy);
  for (let c = 0; c < 3; c++) {
    const kc = c === 0 ? k0 : c === 1 ? k1 : k2;
    const bc = c === 0 ? b0 : c === 1 ? b1 : b2;
    const k = f64x2.splat(kc);
    const b = f64x2.splat(bc);
    const base = (<usize>(c * width)) << 2;
    let x = 0;
    for (; x + 2 <= width; x += 2) {
      const at = base + ((<usize>x) << 2);
      const t = f64x2.promote_low_f32x4(v128.load64_zero(top + at));
      const d = f64x2.sub(f64x2.promote_low_f32x4(v128.load64_zero(bottom + at)), t);
      const v = f64x2.sub(f64x2.mul(f64x2.add(t, f64x2.mul(d, w)), k), b);
      v128.store64_lane(out + at, f32x4.demote_f64x2_zero(v), 0);
    }
    for (; x < width; x++) {
      const at = base + ((<usize>x) << 2);
      const t = <f64>load<f32>(top + at);
      store<f32>(out + at, <f32>((t + (<f64>load<f32>(bottom + at) - t) * wy) * kc - bc));
    }
  }
}

/** One row at its own size (no resampling): bytes v to v * k - b per channel, into three planes of `width` f32 at `out`. */
export function inputRow(row: usize, channels: i32, width: i32, k0: f64, k1: f64, k2: f64, b0: f64, b1: f64, b2: f64, out: usize): void {
  for (let x = 0; x < width; x++) {
    setF32(out, x, getU8(row, x * channels) * k0 - b0);
    setF32(out, width + x, getU8(row, x * channels + 1) * k1 - b1);
    setF32(out, 2 * width + x, getU8(row, x * channels + 2) * k2 - b2);
  }
}
