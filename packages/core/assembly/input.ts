// The model's input tensor, a row at a time (see toInputTensor in src/matte/preprocess.ts).
import { getU8, setF32 } from "./memory";

/**
 * One output row of the planar float input: source rows `top` and `bottom`
 * (channels bytes a pixel) resized across (xs0, xs1 i32 and xw f32 per output
 * column; each rounded to f32, as a resized row is stored) and blended down
 * by wy, or, unless `resampled`, row `top` as it is; then v * k - b per
 * channel, into three planes of `width` f32 one after another at `out`.
 */
export function inputRow(
  top: usize,
  bottom: usize,
  channels: i32,
  xs0: usize,
  xs1: usize,
  xw: usize,
  width: i32,
  wy: f64,
  resampled: bool,
  k0: f64,
  k1: f64,
  k2: f64,
  b0: f64,
  b1: f64,
  b2: f64,
  out: usize,
): void {
  for (let x = 0; x < width; x++) {
    let r: f64;
    let g: f64;
    let b: f64;
    if (resampled) {
      const i = load<i32>(xs0 + ((<usize>x) << 2)) * channels;
      const j = load<i32>(xs1 + ((<usize>x) << 2)) * channels;
      const w = <f64>load<f32>(xw + ((<usize>x) << 2));
      r = blend(across(top, i, j, w), across(bottom, i, j, w), wy);
      g = blend(across(top, i + 1, j + 1, w), across(bottom, i + 1, j + 1, w), wy);
      b = blend(across(top, i + 2, j + 2, w), across(bottom, i + 2, j + 2, w), wy);
    } else {
      r = getU8(top, x * channels);
      g = getU8(top, x * channels + 1);
      b = getU8(top, x * channels + 2);
    }
    setF32(out, x, r * k0 - b0);
    setF32(out, width + x, g * k1 - b1);
    setF32(out, 2 * width + x, b * k2 - b2);
  }
}

/** Byte i blended towards byte j by w, rounded to f32. */
function across(row: usize, i: i32, j: i32, w: f64): f64 {
  const a = getU8(row, i);
  return <f64>(<f32>(a + (getU8(row, j) - a) * w));
}

function blend(top: f64, bottom: f64, wy: f64): f64 {
  return top + (bottom - top) * wy;
}
