import { describe, expect, it } from "vitest";
import { SNAP, UNSETTLED } from "../src/matte/guided-filter.js";
import { kernels } from "../src/wasm/kernels.js";

// The kernels that work two, four or eight values at a time (SIMD) against
// their arithmetic one value at a time, written out here in JavaScript (f64,
// rounded with Math.fround wherever a kernel stores f32). Sizes run through
// both the lanes and the one-at-a-time tails. The whole refinement is also
// checked against the TypeScript reference in refine-tiles.test.ts, but a
// lane that is wrong only in a rare case (a block that differs from its
// diagonal neighbour alone, say) can pass that.

const f32 = Math.fround;

/** A deterministic stream of numbers in [0, 1). */
function stream(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x100000000;
  };
}

/** Lays arrays out in kernel memory; returns their offsets and a way to read any of them back. */
function staged(...arrays: (Float32Array | Float64Array | Uint8Array | Uint16Array)[]) {
  const k = kernels();
  const layout = k.staging();
  const at = arrays.map((array) => layout.take(array.byteLength));
  k.reserve(layout.bytes);
  for (const [i, array] of arrays.entries()) k.copyIn(at[i] as number, array);
  return {
    k,
    at,
    f32: (i: number, n: number) => new Float32Array(k.buffer, at[i], n).slice(),
    f64: (i: number, n: number) => new Float64Array(k.buffer, at[i], n).slice(),
    u16: (i: number, n: number) => new Uint16Array(k.buffer, at[i], n).slice(),
  };
}

describe("SIMD kernels match their arithmetic one value at a time", () => {
  it("settleBlocks: a block keeps its level only where its right, lower and diagonal neighbours share it", () => {
    const next = stream(11);
    for (const [width, height] of [
      [1, 1],
      [8, 2],
      [9, 3],
      [17, 4],
      [26, 5],
    ] as const) {
      // Few distinct levels, so that every pattern of agreement turns up, diagonal-only differences included.
      const levels = Uint16Array.from({ length: width * height }, () => [0, 255, UNSETTLED][Math.floor(next() * 1.4)] as number);
      const expected = new Uint16Array(width * height);
      for (let y = 0; y < height; y++) {
        const below = Math.min(y + 1, height - 1);
        for (let x = 0; x < width; x++) {
          const x1 = Math.min(x + 1, width - 1);
          const v = levels[y * width + x];
          const same = v === levels[y * width + x1] && v === levels[below * width + x] && v === levels[below * width + x1];
          expected[y * width + x] = same ? (v as number) : UNSETTLED;
        }
      }
      const s = staged(levels, new Uint16Array(width * height));
      s.k.exports.settleBlocks(s.at[0] as number, s.at[1] as number, width, height, UNSETTLED);
      expect(s.u16(1, width * height)).toEqual(expected);
    }
  });

  it("pixelLevels: 0, 255 or unsettled from the range a pixel's colour can take", () => {
    const next = stream(5);
    const n = 301;
    // Weights of both signs, exact zeros (a cell the fit skipped), and offsets around both snaps.
    const weight = () => (next() < 0.3 ? 0 : (next() - 0.5) * 0.02);
    const [aR, aG, aB] = [0, 1, 2].map(() => Float32Array.from({ length: n }, weight));
    const b = Float32Array.from(
      { length: n },
      () => ([SNAP, 1 - SNAP, 0.5, 0, 1][Math.floor(next() * 5)] as number) + (next() - 0.5) * 0.01,
    );
    const toAlpha = (q: number) => {
      const v = (q - SNAP) * (1 / (1 - 2 * SNAP));
      return v <= 0 ? 0 : v >= 1 ? 255 : Math.trunc(v * 255 + 0.5);
    };
    const expected = Uint16Array.from({ length: n }, (_, i) => {
      const [r, g, bl] = [aR[i], aG[i], aB[i]] as [number, number, number];
      let lo = b[i] as number;
      let hi = lo;
      if (r !== 0 || g !== 0 || bl !== 0) {
        // As the kernel's scalar loop has it (Math.min(-0, 0) would be -0).
        // biome-ignore lint/complexity/useMathMinMax: the kernel's comparison, written out
        lo += (r < 0 ? r : 0) + (g < 0 ? g : 0) + (bl < 0 ? bl : 0);
        // biome-ignore lint/complexity/useMathMinMax: the kernel's comparison, written out
        hi += (r > 0 ? r : 0) + (g > 0 ? g : 0) + (bl > 0 ? bl : 0);
      }
      return toAlpha(hi) === 0 ? 0 : toAlpha(lo) === 255 ? 255 : UNSETTLED;
    });
    expect(new Set(expected)).toEqual(new Set([0, 255, UNSETTLED]));
    const s = staged(aR as Float32Array, aG as Float32Array, aB as Float32Array, b, new Uint16Array(n));
    const [r, g, bl, off, out] = s.at as [number, number, number, number, number];
    // From an odd start, so that the lanes begin off the buffer's first value.
    s.k.exports.pixelLevels(r, g, bl, off, out, 1, n, SNAP, UNSETTLED);
    expect(s.u16(4, n).subarray(1)).toEqual(expected.subarray(1));
  });

  it("slideColumns and slideRow: running sums in f64, stored as f32", () => {
    const next = stream(3);
    for (const count of [1, 6, 13, 401]) {
      // Sums far larger than the values that enter and leave, so that adding before subtracting rounds differently.
      const sums = Float64Array.from({ length: count }, () => next() * 4000);
      const enter = Float32Array.from({ length: count }, () => next() / 3);
      const leave = Float32Array.from({ length: count }, () => next() / 7);
      const expected = Float64Array.from(sums, (v, i) => v + (enter[i] as number) - (leave[i] as number));
      const s = staged(sums, enter, leave);
      s.k.exports.slideColumns(s.at[0] as number, s.at[1] as number, s.at[2] as number, count);
      expect(s.f64(0, count)).toEqual(expected);
    }
    for (const [terms, w, r, from, to] of [
      [4, 23, 3, 3, 20],
      [7, 31, 5, 0, 31],
      [1, 9, 2, 1, 8],
    ] as const) {
      const line = Float32Array.from({ length: w * terms }, () => next());
      const expected: number[] = [];
      const acc = new Float64Array(terms);
      for (let x = -r; x < to; x++) {
        for (let t = 0; t < terms; t++) {
          let v = acc[t] as number;
          if (x + r < w) v += line[(x + r) * terms + t] as number;
          if (x - r - 1 >= 0) v -= line[(x - r - 1) * terms + t] as number;
          acc[t] = v;
          if (x >= from) expected.push(f32(v));
        }
      }
      const s = staged(line, new Float32Array((to - from) * terms), new Float64Array(terms));
      s.k.exports.slideRow(s.at[0] as number, terms, w, r, from, to, s.at[1] as number, s.at[2] as number);
      expect([...s.f32(1, (to - from) * terms)]).toEqual(expected);
    }
  });

  it("resizeRow (same width) and unitAlpha", () => {
    const next = stream(9);
    for (const [width, snap] of [
      [7, SNAP],
      [64, SNAP],
      [9, 0],
    ] as const) {
      const top = Float32Array.from({ length: width }, () => next() * 1.1 - 0.05);
      const bottom = Float32Array.from({ length: width }, () => next() * 1.1 - 0.05);
      const wy = 0.375;
      const k = 1 / (1 - 2 * snap);
      const expected = Float32Array.from(top, (t, x) => {
        const v = t + ((bottom[x] as number) - t) * wy;
        return snap <= 0 ? v : Math.min(1, Math.max(0, (f32(v) - snap) * k));
      });
      const s = staged(top, bottom, new Float32Array(width));
      s.k.exports.resizeRow(s.at[0] as number, s.at[1] as number, wy, 0, 0, 0, true, width, snap, s.at[2] as number);
      expect(s.f32(2, width)).toEqual(expected);
    }
    const bytes = Uint8Array.from({ length: 257 }, (_, i) => (i * 101) & 255);
    const s = staged(bytes, new Float32Array(bytes.length));
    s.k.exports.unitAlpha(s.at[0] as number, bytes.length, s.at[1] as number);
    expect(s.f32(1, bytes.length)).toEqual(Float32Array.from(bytes, (v) => v / 255));
  });

  it("settledCells: a cell is settled at 0 or 1 where the matte around it stays that close", () => {
    const next = stream(21);
    const [width, height, cellWidth, cellHeight, reach, spread, tolerance] = [37, 29, 8, 6, 3, 0.5, 0.01];
    // Mostly flat at 0 or 1, with two stray values and a soft band: every level turns up.
    const p = Float32Array.from({ length: width * height }, (_, i) => {
      const x = i % width;
      const base = x < 12 ? 0 : x > 24 ? 1 : (x - 12) / 12;
      if (i === 3 * width + 2 || i === 20 * width + 33) return 0.5;
      return base + (x < 12 ? next() * 0.003 : x > 24 ? -next() * 0.003 : 0);
    });
    const columns = Math.ceil(width / cellWidth);
    const rows = Math.ceil(height / cellHeight);
    const expected = new Int8Array(columns * rows);
    for (let row = 0; row < rows; row++) {
      for (let column = 0; column < columns; column++) {
        const y0 = Math.max(0, row * cellHeight - reach);
        const y1 = Math.min(height, Math.min((row + 1) * cellHeight, height) + reach);
        const x0 = Math.max(0, column * cellWidth - reach);
        const x1 = Math.min(width, Math.min((column + 1) * cellWidth, width) + reach);
        let a = Number.POSITIVE_INFINITY;
        let b = Number.NEGATIVE_INFINITY;
        for (let y = y0; y < y1; y++) {
          for (let x = x0; x < x1; x++) {
            a = Math.min(a, p[y * width + x] as number);
            b = Math.max(b, p[y * width + x] as number);
          }
        }
        const colour = (b - a) * spread;
        expected[row * columns + column] =
          Math.max(b, -a) + colour <= tolerance ? 0 : Math.max(1 - a, b - 1) + colour <= tolerance ? 1 : -1;
      }
    }
    expect(new Set(expected)).toEqual(new Set([0, 1, -1]));
    const s = staged(p, new Float32Array(width), new Float32Array(width), new Uint8Array(columns * rows));
    const [pAt, lo, hi, levels] = s.at as [number, number, number, number];
    s.k.exports.settledCells(pAt, width, height, cellWidth, cellHeight, columns, reach, spread, tolerance, lo, hi, levels);
    expect(new Int8Array(s.k.buffer, levels, columns * rows).slice()).toEqual(expected);
  });

  it("valueRange and stretchRange: the prediction's range, and the prediction stretched to it", () => {
    const next = stream(17);
    for (const n of [0, 3, 4, 1025]) {
      const data = Float32Array.from({ length: n }, () => 0.1 + next() * 0.8);
      const lo = data.reduce((a, v) => Math.min(a, v), Number.POSITIVE_INFINITY);
      const hi = data.reduce((a, v) => Math.max(a, v), Number.NEGATIVE_INFINITY);
      const s = staged(data, new Float64Array(2));
      s.k.exports.valueRange(s.at[0] as number, n, s.at[1] as number);
      expect([...s.f64(1, 2)]).toEqual([lo, hi]);
      if (n === 0) continue;
      const k = 1 / (hi - lo);
      s.k.exports.stretchRange(s.at[0] as number, n, lo, k);
      expect(s.f32(0, n)).toEqual(Float32Array.from(data, (v) => (v - lo) * k));
    }
  });
});
