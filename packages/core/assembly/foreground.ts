// Un-premultiplied RGBA from the photo, its alpha and the colour estimate
// (see applyForeground in src/matte/foreground.ts).
import { getF32, getF64, getU8, setF64 } from "./memory";

/**
 * One row: transparent pixels (0, 0, 0, 0), opaque ones the photo's colour,
 * soft ones F = (I - (1 - a) B) / a, faded into the smooth estimate where
 * alpha is small (where that division amplifies noise). `px` and `alpha` are
 * the row's pixels (channels bytes each) and alpha, `out` its RGBA. With
 * `count` runs at `runs` (x0, x1, level as applyRow records them), runs of
 * level 0 or 255 are written whole and the others pixel by pixel; with none,
 * pixels [x0, x1) are written pixel by pixel. The estimate's six planes (F
 * then B) are at `estimate`, `plane` values each, read through its rows r0
 * and r1 (already times its width) blended by wy, and per column xs0, xs1
 * (i32) and xw (f32). `blended` holds 6 f64 per estimate column.
 */
export function writeForeground(
  px: usize,
  channels: i32,
  alpha: usize,
  x0: i32,
  x1: i32,
  runs: usize,
  count: i32,
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
  if (count === 0) {
    softRun(px, channels, alpha, x0, x1, estimate, plane, r0, r1, wy, xs0, xs1, xw, out, blended);
    return;
  }
  for (let i = 0; i < count; i++) {
    const at = runs + <usize>(i * 12);
    const a = load<i32>(at);
    const b = load<i32>(at, 4);
    const level = load<i32>(at, 8);
    if (level === 0) memory.fill(out + <usize>(a * 4), 0, <usize>((b - a) * 4));
    else if (level === 255 && channels === 3) opaqueRun(px, a, b, out);
    else softRun(px, channels, alpha, a, b, estimate, plane, r0, r1, wy, xs0, xs1, xw, out, blended);
  }
}

/** Pixels [x0, x1) of an RGB row, all opaque: each the photo's colour with alpha 255, four at a time. */
function opaqueRun(px: usize, x0: i32, x1: i32, out: usize): void {
  const opaque = i32x4.splat(0xff000000);
  let x = x0;
  // 16 bytes are read for 4 pixels' 12: stop while 6 pixels remain, so no read passes the run's end.
  for (; x + 6 <= x1; x += 4) {
    const rgb = v128.load(px + <usize>(x * 3));
    const rgba = i8x16.shuffle(rgb, rgb, 0, 1, 2, 0, 3, 4, 5, 0, 6, 7, 8, 0, 9, 10, 11, 0);
    v128.store(out + <usize>(x * 4), v128.or(rgba, opaque));
  }
  for (; x < x1; x++) store<u32>(out + <usize>(x * 4), pixelWord(px, x * 3));
}

/** An RGB pixel at byte j as one opaque little-endian RGBA word. */
function pixelWord(px: usize, j: i32): u32 {
  return (
    <u32>load<u8>(px + <usize>j) | ((<u32>load<u8>(px + <usize>(j + 1))) << 8) | ((<u32>load<u8>(px + <usize>(j + 2))) << 16) | 0xff000000
  );
}

/** Pixels [x0, x1) one by one, as writeForeground describes; the estimate is blended down to the row once, from the first soft pixel on. */
function softRun(
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
      store<u32>(out + o, pixelWord(px, j));
      continue;
    }
    // The estimate blended down to this row, from the first soft pixel on, once per run.
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
