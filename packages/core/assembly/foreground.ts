// Un-premultiplied RGBA from the photo, its alpha and the colour estimate
// (see applyForeground in src/matte/foreground.ts).
import { getF32, getF64, getU8, setF64 } from "./memory";

/**
 * Pixels [x0, x1) of one row: transparent ones (0, 0, 0, 0), opaque ones the
 * photo's colour, soft ones F = (I - (1 - a) B) / a, faded into the smooth
 * estimate where alpha is small (where that division amplifies noise).
 * `px` and `alpha` are the row's pixels (channels bytes each) and alpha, `out`
 * its RGBA. The estimate's six planes (F then B) are at `estimate`, ew wide,
 * `plane` values each, read through its rows r0 and r1 (already times ew)
 * blended by wy, and per column xs0, xs1 (i32) and xw (f32). `blended` holds
 * 6 f64 per estimate column.
 */
export function writeForeground(
  px: usize,
  channels: i32,
  alpha: usize,
  x0: i32,
  x1: i32,
  estimate: usize,
  plane: i32,
  r0: i32,
  r1: i32,
  wy: f64,
  xs0: usize,
  xs1: usize,
  xw: usize,
  out: usize,
  blended: usize,
): void {
  let rowBlended = false;
  for (let x = x0; x < x1; x++) {
    const j = x * channels;
    const o = <usize>(x * 4);
    const a8 = load<u8>(alpha + <usize>x);
    // Fully transparent pixels are (0, 0, 0, 0): the removed background is not kept hidden in the file.
    if (a8 === 0) {
      store<u32>(out + o, 0);
      continue;
    }
    if (a8 === 255) {
      store<u32>(
        out + o,
        <u32>load<u8>(px + <usize>j) |
          ((<u32>load<u8>(px + <usize>(j + 1))) << 8) |
          ((<u32>load<u8>(px + <usize>(j + 2))) << 16) |
          0xff000000,
      );
      continue;
    }
    // The estimate blended down to this row, from the first soft pixel on, once per call.
    if (!rowBlended) {
      const c0 = load<i32>(xs0 + ((<usize>x) << 2));
      const c1 = load<i32>(xs1 + ((<usize>(x1 - 1)) << 2));
      for (let k = 0; k < 6; k++) {
        const p = k * plane;
        for (let c = c0, v = c0 * 6 + k; c <= c1; c++, v += 6) {
          const top = getF32(estimate, p + r0 + c);
          setF64(blended, v, top + (getF32(estimate, p + r1 + c) - top) * wy);
        }
      }
      rowBlended = true;
    }
    const v0 = load<i32>(xs0 + ((<usize>x) << 2)) * 6;
    const v1 = load<i32>(xs1 + ((<usize>x) << 2)) * 6;
    const wx = getF32(xw, x);
    store<u8>(out + o + 3, a8);
    const a = <f64>a8 / 255;
    const trust = a >= 0.5 ? 1 : a * 2;
    for (let c = 0; c < 3; c++) {
      const b0 = getF64(blended, v0 + 3 + c);
      const bg = (b0 + (getF64(blended, v1 + 3 + c) - b0) * wx) * 255;
      let f = (getU8(px, j + c) - (1 - a) * bg) / a;
      f = f < 0 ? 0 : f > 255 ? 255 : f;
      if (trust < 1) {
        const f0 = getF64(blended, v0 + c);
        f = f * trust + (f0 + (getF64(blended, v1 + c) - f0) * wx) * 255 * (1 - trust);
      }
      store<u8>(out + o + <usize>c, <i32>(f + 0.5));
    }
  }
}
