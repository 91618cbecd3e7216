// Running box sums, shared by the guided filter's fit and Blur-Fusion: each
// pass sums `terms` values per pixel over a window, along the rows and then
// down the columns, in O(1) per pixel whatever the radius.
import { getF32, getF64, setF32, setF64 } from "./memory";

/**
 * One row of `terms` values per position (w positions at `line`, f32), summed
 * over [x - r, x + r] cut to the row, for positions [from, to), into `out`
 * (f32). `acc` holds `terms` f64. Two terms at a time in f64 lanes: the same
 * operations, in the same order, as one at a time.
 */
export function slideRow(line: usize, terms: i32, w: i32, r: i32, from: i32, to: i32, out: usize, acc: usize): void {
  memory.fill(acc, 0, (<usize>terms) << 3);
  const pairs = terms & ~1;
  let o = 0;
  // Position x + r enters and x - r - 1 leaves.
  for (let x = -r; x < to; x++) {
    const e = x + r;
    const l = x - r - 1;
    const enters = e < w;
    const leaves = l >= 0;
    const written = x >= from;
    const eAt = line + ((<usize>(e * terms)) << 2);
    const lAt = line + ((<usize>(l * terms)) << 2);
    for (let t = 0; t < pairs; t += 2) {
      const at = acc + ((<usize>t) << 3);
      let s = v128.load(at);
      if (enters) s = f64x2.add(s, f64x2.promote_low_f32x4(v128.load64_zero(eAt + ((<usize>t) << 2))));
      if (leaves) s = f64x2.sub(s, f64x2.promote_low_f32x4(v128.load64_zero(lAt + ((<usize>t) << 2))));
      v128.store(at, s);
      if (written) v128.store64_lane(out + ((<usize>(o + t)) << 2), f32x4.demote_f64x2_zero(s), 0);
    }
    for (let t = pairs; t < terms; t++) {
      let s = getF64(acc, t);
      if (enters) s += getF32(line, e * terms + t);
      if (leaves) s -= getF32(line, l * terms + t);
      setF64(acc, t, s);
      if (written) setF32(out, o + t, s);
    }
    if (written) o += terms;
  }
}

/** Starts the column sums: `sums` (count f64) = the sum of the first `rows` rows at `first` (count f32 each). */
export function startColumns(sums: usize, first: usize, count: i32, rows: i32): void {
  memory.fill(sums, 0, (<usize>count) << 3);
  for (let y = 0, j = 0; y < rows; y++) {
    for (let i = 0; i < count; i++, j++) setF64(sums, i, getF64(sums, i) + getF32(first, j));
  }
}

/**
 * Moves the column sums down a row: row `enter` comes in and row `leave` goes
 * out (count f32 each). Two sums at a time in f64 lanes: the same operations,
 * in the same order, as one at a time.
 */
export function slideColumns(sums: usize, enter: usize, leave: usize, count: i32): void {
  let i = 0;
  for (; i + 2 <= count; i += 2) {
    const at = sums + ((<usize>i) << 3);
    const e = f64x2.promote_low_f32x4(v128.load64_zero(enter + ((<usize>i) << 2)));
    const l = f64x2.promote_low_f32x4(v128.load64_zero(leave + ((<usize>i) << 2)));
    v128.store(at, f64x2.sub(f64x2.add(v128.load(at), e), l));
  }
  for (; i < count; i++) setF64(sums, i, getF64(sums, i) + getF32(enter, i) - getF32(leave, i));
}
