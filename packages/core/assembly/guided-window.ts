// The colour guided filter's fit over one rectangle (see src/matte/guided-window.ts,
// which stages the rectangle's reach in and the coefficients out).
import { getF32, getF64, setF32, setF64, windowInverse } from "./memory";
import { slideColumns, slideRow, startColumns } from "./window-sums";

/** Per pixel: the sums of R, G, B, p, Rp, Gp, Bp, RR, RG, RB, GG, GB, BB over its window. */
const MOMENTS: i32 = 13;

/**
 * Bytes of working memory fitWindow needs for a rectangle whose inner area
 * (the rectangle grown by r) is innerWidth x innerHeight, read from reachHeight
 * rows, and whose own width is rectWidth.
 */
export function windowWorkBytes(innerWidth: i32, innerHeight: i32, reachHeight: i32, rectWidth: i32): i32 {
  const rows = innerWidth * MOMENTS * (reachHeight + 1) * 4;
  const sums = innerWidth * MOMENTS * 8;
  const line = innerWidth * 4 * 4;
  const smooth = rectWidth * 4 * (innerHeight + 1) * 4;
  const across = innerWidth * 8;
  const acc = 4 * 8;
  return rows + sums + line + smooth + across + acc;
}

/**
 * Fits matte p against the guide's colours over rectangle [rx0, rx1) x [ry0, ry1)
 * of a width x height image and writes its smoothed coefficients into the
 * image-sized planes aR, aG, aB and b (one after another at `out`). p is the
 * whole matte (f32); the guide (channels bytes a pixel) holds the rectangle
 * grown by 2r and cut to the image, from (gx0, gy0), stride pixels a row.
 * Coefficients are needed r pixels around the rectangle, for the second box;
 * moments r beyond that.
 */
export function fitWindow(
  guide: usize,
  p: usize,
  channels: i32,
  gx0: i32,
  gy0: i32,
  stride: i32,
  width: i32,
  height: i32,
  r: i32,
  eps: f64,
  rx0: i32,
  ry0: i32,
  rx1: i32,
  ry1: i32,
  out: usize,
  work: usize,
): void {
  const ix0 = max(0, rx0 - r);
  const iy0 = max(0, ry0 - r);
  const ix1 = min(width, rx1 + r);
  const iy1 = min(height, ry1 + r);
  const qy1 = min(height, iy1 + r);
  const innerWidth = ix1 - ix0;
  const rectWidth = rx1 - rx0;
  const rows = work;
  const rowStride = innerWidth * MOMENTS;
  const rowZeros = (qy1 - gy0) * rowStride;
  const sums = rows + ((<usize>(rowZeros + rowStride)) << 2);
  const line = sums + ((<usize>rowStride) << 3);
  const smooth = line + ((<usize>innerWidth) << 4);
  const smoothStride = rectWidth * 4;
  const smoothZeros = (iy1 - iy0) * smoothStride;
  const across = smooth + ((<usize>(smoothZeros + smoothStride)) << 2);
  const acc = across + ((<usize>innerWidth) << 3);
  // The rows of zeros past the ends are read as rows that enter or leave from outside the image.
  memory.fill(rows + ((<usize>rowZeros) << 2), 0, (<usize>rowStride) << 2);
  memory.fill(smooth + ((<usize>smoothZeros) << 2), 0, (<usize>smoothStride) << 2);
  sumRows(guide, p, channels, gx0, gy0, stride, width, r, ix0, ix1, qy1, rows);
  for (let x = ix0; x < ix1; x++) setF64(across, x - ix0, windowInverse(x, r, width));
  let q = 0;
  // Rows before the first one's window is complete; then, per row, row y + r enters and row y - r - 1 leaves.
  startColumns(sums, rows, rowStride, min(height, iy0 + r) - gy0);
  for (let y = iy0; y < iy1; y++) {
    const e = y + r < height ? (y + r - gy0) * rowStride : rowZeros;
    const l = y - r - 1 >= gy0 ? (y - r - 1 - gy0) * rowStride : rowZeros;
    slideColumns(sums, rows + ((<usize>e) << 2), rows + ((<usize>l) << 2), rowStride);
    solveRow(sums, across, windowInverse(y, r, height), rowStride, eps, line);
    slideRow(line, 4, innerWidth, r, rx0 - ix0, rx1 - ix0, smooth + ((<usize>q) << 2), acc);
    q += smoothStride;
  }
  sumColumns(smooth, smoothZeros, sums, across, width, height, r, rx0, ry0, rx1, ry1, iy0, out);
}

/**
 * Each row of the reach, summed over [x - r, x + r] (cut to the image) for
 * every column x of [ix0, ix1). The 13 sums run as six pairs in f64 lanes and
 * one alone, each pair stored as the two f32 it holds, in order: per lane the
 * same operations, in the same order, as one sum at a time.
 */
function sumRows(
  guide: usize,
  p: usize,
  channels: i32,
  gx0: i32,
  gy0: i32,
  stride: i32,
  width: i32,
  r: i32,
  ix0: i32,
  ix1: i32,
  qy1: i32,
  out: usize,
): void {
  const k: f64 = 1.0 / 255.0;
  const scale = f64x2.splat(k);
  const zero = f64x2.splat(0);
  // Pixels enter at x + r and leave at x - r - 1; none leaves before the first one entered.
  const firstIn = max(0, ix0 - r);
  let o = 0;
  for (let y = gy0; y < qy1; y++) {
    const row = (y - gy0) * stride - gx0;
    const pRow = y * width;
    // (R, G), (B, p), (Rp, Gp), (Bp, RR), (RG, RB), (GG, GB), then BB.
    let s0 = zero;
    let s1 = zero;
    let s2 = zero;
    let s3 = zero;
    let s4 = zero;
    let s5 = zero;
    let sBB: f64 = 0;
    for (let x = ix0 - 2 * r; x < ix1; x++) {
      const e = x + r;
      const l = x - r - 1;
      // (R, G) and (B, p) of the pixel entering and of the one leaving; zero where there is none.
      let rgE = zero;
      let bpE = zero;
      let rgL = zero;
      let bpL = zero;
      if (e >= 0 && e < width) {
        const j = guide + <usize>((row + e) * channels);
        rgE = f64x2.mul(f64x2.replace_lane(f64x2.splat(<f64>load<u8>(j)), 1, <f64>load<u8>(j, 1)), scale);
        bpE = f64x2.replace_lane(f64x2.splat(<f64>load<u8>(j, 2) * k), 1, getF32(p, pRow + e));
      }
      if (l >= firstIn) {
        const j = guide + <usize>((row + l) * channels);
        rgL = f64x2.mul(f64x2.replace_lane(f64x2.splat(<f64>load<u8>(j)), 1, <f64>load<u8>(j, 1)), scale);
        bpL = f64x2.replace_lane(f64x2.splat(<f64>load<u8>(j, 2) * k), 1, getF32(p, pRow + l));
      }
      s0 = f64x2.add(s0, f64x2.sub(rgE, rgL));
      s1 = f64x2.add(s1, f64x2.sub(bpE, bpL));
      // (Rp, Gp): (R, G) * (p, p).
      s2 = f64x2.add(s2, f64x2.sub(f64x2.mul(rgE, i64x2.shuffle(bpE, bpE, 1, 1)), f64x2.mul(rgL, i64x2.shuffle(bpL, bpL, 1, 1))));
      // (Bp, RR): (B, R) * (p, R).
      s3 = f64x2.add(
        s3,
        f64x2.sub(
          f64x2.mul(i64x2.shuffle(bpE, rgE, 0, 2), i64x2.shuffle(bpE, rgE, 1, 2)),
          f64x2.mul(i64x2.shuffle(bpL, rgL, 0, 2), i64x2.shuffle(bpL, rgL, 1, 2)),
        ),
      );
      // (RG, RB): (R, R) * (G, B).
      s4 = f64x2.add(
        s4,
        f64x2.sub(
          f64x2.mul(i64x2.shuffle(rgE, rgE, 0, 0), i64x2.shuffle(rgE, bpE, 1, 2)),
          f64x2.mul(i64x2.shuffle(rgL, rgL, 0, 0), i64x2.shuffle(rgL, bpL, 1, 2)),
        ),
      );
      // (GG, GB): (G, G) * (G, B).
      s5 = f64x2.add(
        s5,
        f64x2.sub(
          f64x2.mul(i64x2.shuffle(rgE, rgE, 1, 1), i64x2.shuffle(rgE, bpE, 1, 2)),
          f64x2.mul(i64x2.shuffle(rgL, rgL, 1, 1), i64x2.shuffle(rgL, bpL, 1, 2)),
        ),
      );
      const bE = f64x2.extract_lane(bpE, 0);
      const bL = f64x2.extract_lane(bpL, 0);
      sBB += bE * bE - bL * bL;
      if (x < ix0) continue;
      const at = out + ((<usize>o) << 2);
      v128.store64_lane(at, f32x4.demote_f64x2_zero(s0), 0);
      v128.store64_lane(at, f32x4.demote_f64x2_zero(s1), 0, 8);
      v128.store64_lane(at, f32x4.demote_f64x2_zero(s2), 0, 16);
      v128.store64_lane(at, f32x4.demote_f64x2_zero(s3), 0, 24);
      v128.store64_lane(at, f32x4.demote_f64x2_zero(s4), 0, 32);
      v128.store64_lane(at, f32x4.demote_f64x2_zero(s5), 0, 40);
      store<f32>(at, <f32>sBB, 48);
      o += MOMENTS;
    }
  }
}

/** Solves, per column, the ridge regression of p on the colour from the window sums of the moments, into `line`. */
function solveRow(sums: usize, across: usize, down: f64, rowStride: i32, eps: f64, line: usize): void {
  for (let x = 0, o = 0, q = 0; o < rowStride; x++, o += MOMENTS, q += 4) {
    const n = getF64(across, x) * down;
    const s0 = getF64(sums, o);
    const s1 = getF64(sums, o + 1);
    const s2 = getF64(sums, o + 2);
    const s3 = getF64(sums, o + 3);
    const s4 = getF64(sums, o + 4);
    const s5 = getF64(sums, o + 5);
    const s6 = getF64(sums, o + 6);
    const s7 = getF64(sums, o + 7);
    const s8 = getF64(sums, o + 8);
    const s9 = getF64(sums, o + 9);
    const s10 = getF64(sums, o + 10);
    const s11 = getF64(sums, o + 11);
    const s12 = getF64(sums, o + 12);
    const mr = s0 * n;
    const mg = s1 * n;
    const mb = s2 * n;
    const mp = s3 * n;
    // Covariance of the guide (regularised by eps) and of guide with matte.
    const cr = s4 * n - mr * mp;
    const cg = s5 * n - mg * mp;
    const cb = s6 * n - mb * mp;
    const srr = s7 * n - mr * mr + eps;
    const srg = s8 * n - mr * mg;
    const srb = s9 * n - mr * mb;
    const sgg = s10 * n - mg * mg + eps;
    const sgb = s11 * n - mg * mb;
    const sbb = s12 * n - mb * mb + eps;
    // Symmetric 3x3 inverse by cofactors.
    const i00 = sgg * sbb - sgb * sgb;
    const i01 = srb * sgb - srg * sbb;
    const i02 = srg * sgb - srb * sgg;
    const i11 = srr * sbb - srb * srb;
    const i12 = srb * srg - srr * sgb;
    const i22 = srr * sgg - srg * srg;
    const inv = 1.0 / (srr * i00 + srg * i01 + srb * i02);
    const ar = (i00 * cr + i01 * cg + i02 * cb) * inv;
    const ag = (i01 * cr + i11 * cg + i12 * cb) * inv;
    const ab = (i02 * cr + i12 * cg + i22 * cb) * inv;
    setF32(line, q, ar);
    setF32(line, q + 1, ag);
    setF32(line, q + 2, ab);
    setF32(line, q + 3, mp - ar * mr - ag * mg - ab * mb);
  }
}

/** Sums the smoothed rows down each column and writes the rectangle's mean coefficients, plane by plane. */
function sumColumns(
  smooth: usize,
  smoothZeros: i32,
  sums: usize,
  across: usize,
  width: i32,
  height: i32,
  r: i32,
  rx0: i32,
  ry0: i32,
  rx1: i32,
  ry1: i32,
  iy0: i32,
  out: usize,
): void {
  const rectWidth = rx1 - rx0;
  const stride = rectWidth * 4;
  const plane = width * height;
  for (let x = rx0; x < rx1; x++) setF64(across, x - rx0, windowInverse(x, r, width));
  startColumns(sums, smooth, stride, min(height, ry0 + r) - iy0);
  for (let y = ry0; y < ry1; y++) {
    const e = y + r < height ? (y + r - iy0) * stride : smoothZeros;
    const l = y - r - 1 >= iy0 ? (y - r - 1 - iy0) * stride : smoothZeros;
    slideColumns(sums, smooth + ((<usize>e) << 2), smooth + ((<usize>l) << 2), stride);
    const down = windowInverse(y, r, height);
    for (let i = y * width + rx0, x = 0, o = 0; o < stride; i++, x++, o += 4) {
      const n = getF64(across, x) * down;
      setF32(out, i, getF64(sums, o) * n);
      setF32(out, i + plane, getF64(sums, o + 1) * n);
      setF32(out, i + 2 * plane, getF64(sums, o + 2) * n);
      setF32(out, i + 3 * plane, getF64(sums, o + 3) * n);
    }
  }
}
