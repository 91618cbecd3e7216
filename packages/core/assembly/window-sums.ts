// Running box sums, shared by the guided filter's fit and Blur-Fusion: each
// pass sums `terms` values per pixel over a window, along the rows and then
// down the columns, in O(1) per pixel whatever the radius.
import { getF32, getF64, setF32, setF64 } from "./memory";

/**
 * One row of `terms` values per position (w positions at `line`, f32), summed
 * over [x - r, x + r] cut to the row, for positions [from, to), into `out`
 * (f32). `acc` holds `terms` f64.
 */
export function slideRow(line: usize, terms: i32, w: i32, r: i32, from: i32, to: i32, out: usize, acc: usize): void {
  memory.fill(acc, 0, (<usize>terms) << 3);
  let o = 0;
  // Position x + r enters and x - r - 1 leaves.
  for (let x = -r; x < to; x++) {
    const e = x + r;
    const l = x - r - 1;
    for (let t = 0; t < terms; t++) {
      let s = getF64(acc, t);
      if (e < w) s += getF32(line, e * terms + t);
      if (l >= 0) s -= getF32(line, l * terms + t);
      setF64(acc, t, s);
      if (x >= from) setF32(out, o + t, s);
    }
    if (x >= from) o += terms;
  }
}

/** Starts the column sums: `sums` (count f64) = the sum of the first `rows` rows at `first` (count f32 each). */
export function startColumns(sums: usize, first: usize, count: i32, rows: i32): void {
  memory.fill(sums, 0, (<usize>count) << 3);
  for (let y = 0, j = 0; y < rows; y++) {
    for (let i = 0; i < count; i++, j++) setF64(sums, i, getF64(sums, i) + getF32(first, j));
  }
}

/** Moves the column sums down a row: row `enter` comes in and row `leave` goes out (count f32 each). */
export function slideColumns(sums: usize, enter: usize, leave: usize, count: i32): void {
  for (let i = 0; i < count; i++) setF64(sums, i, getF64(sums, i) + getF32(enter, i) - getF32(leave, i));
}
