import { describe, expect, it } from "vitest";
import { rotateRgba } from "../../src/effects/rotate.js";

// A 3x2 image whose pixels are named by their red byte:
//   A B C
//   D E F
const [A, B, C, D, E, F] = [1, 2, 3, 4, 5, 6];
const src = new Uint8Array(6 * 4);
for (const [i, v] of [A, B, C, D, E, F].entries()) src.set([v, 10 * v, 255 - v, 100 + v], i * 4);
const reds = (data: Uint8Array) => Array.from({ length: data.length / 4 }, (_, i) => data[i * 4]);

describe("rotateRgba", () => {
  it("turns 90deg counter-clockwise exactly: the top-right corner goes to the top-left", () => {
    const out = rotateRgba(src, 3, 2, 90, true);
    expect([out.width, out.height]).toEqual([2, 3]);
    expect(reds(out.data as Uint8Array)).toEqual([C, F, B, E, A, D]);
    // Whole pixels move: every byte, alpha included, is preserved.
    expect([...out.data.subarray(0, 4)]).toEqual([C, 10 * C, 255 - C, 100 + C]);
  });

  it("turns 180 and 270 (= -90) exactly", () => {
    expect(reds(rotateRgba(src, 3, 2, 180, true).data as Uint8Array)).toEqual([F, E, D, C, B, A]);
    const cw = rotateRgba(src, 3, 2, 270, true);
    expect([cw.width, cw.height]).toEqual([2, 3]);
    expect(reds(cw.data as Uint8Array)).toEqual([D, A, E, B, F, C]);
    expect([...rotateRgba(src, 3, 2, -90, true).data]).toEqual([...cw.data]);
    expect([...rotateRgba(src, 3, 2, 450, true).data]).toEqual([...rotateRgba(src, 3, 2, 90, true).data]);
  });

  it("returns the original bytes after four quarter turns, and for 0 and 360", () => {
    let img = { data: src as Uint8Array, width: 3, height: 2 };
    for (let i = 0; i < 4; i++) {
      const next = rotateRgba(img.data, img.width, img.height, 90, true);
      img = { data: next.data as Uint8Array, width: next.width, height: next.height };
    }
    expect([img.width, img.height]).toEqual([3, 2]);
    expect([...img.data]).toEqual([...src]);
    expect([...rotateRgba(src, 3, 2, 0, false).data]).toEqual([...src]);
    expect([...rotateRgba(src, 3, 2, 360, true).data]).toEqual([...src]);
  });

  it("keeps the canvas size without expand, centring and filling", () => {
    // The 2x3 rotated image sits at x = 0, y = floor(-0.5) = -1 on the 3x2 canvas; column 2 is fill.
    const out = rotateRgba(src, 3, 2, 90, false, [9, 9, 9, 255]);
    expect([out.width, out.height]).toEqual([3, 2]);
    expect(reds(out.data as Uint8Array)).toEqual([B, E, 9, A, D, 9]);
    expect([...out.data.subarray(2 * 4, 3 * 4)]).toEqual([9, 9, 9, 255]);
  });

  it("grows the canvas to the rotated bounding box at 45deg and fills the corners", () => {
    const flat = new Uint8Array(10 * 10 * 4);
    for (let i = 0; i < 100; i++) flat.set([50, 100, 150, 255], i * 4);
    const out = rotateRgba(flat, 10, 10, 45, true, [1, 2, 3, 255]);
    // 10 * (cos 45 + sin 45) = 14.14, rounded up.
    expect([out.width, out.height]).toEqual([15, 15]);
    expect([...out.data.subarray((7 * 15 + 7) * 4, (7 * 15 + 7) * 4 + 4)]).toEqual([50, 100, 150, 255]);
    expect([...out.data.subarray(0, 4)]).toEqual([1, 2, 3, 255]);
    const kept = rotateRgba(flat, 10, 10, 45, false);
    expect([kept.width, kept.height]).toEqual([10, 10]);
    expect(kept.data[3]).toBe(0);
    expect([...kept.data.subarray((5 * 10 + 5) * 4, (5 * 10 + 5) * 4 + 4)]).toEqual([50, 100, 150, 255]);
  });

  it("anti-aliases the rotated edge without a dark fringe and keeps the area", () => {
    const red = new Uint8Array(20 * 20 * 4);
    for (let i = 0; i < 400; i++) red.set([255, 0, 0, 255], i * 4);
    const out = rotateRgba(red, 20, 20, 30, true);
    let area = 0;
    let soft = 0;
    for (let i = 0; i < out.data.length; i += 4) {
      const a = out.data[i + 3];
      area += a / 255;
      if (a > 0) expect([out.data[i], out.data[i + 1], out.data[i + 2]]).toEqual([255, 0, 0]);
      if (a > 0 && a < 255) soft++;
    }
    expect(soft).toBeGreaterThan(0);
    expect(Math.abs(area - 400) / 400).toBeLessThan(0.02);
  });

  it("turns counter-clockwise at arbitrary angles too", () => {
    // A mark on the right edge ends up near the top after 80deg, as after an exact 90deg.
    const img = new Uint8Array(21 * 21 * 4);
    for (let y = 9; y < 12; y++) for (let x = 17; x < 20; x++) img.set([255, 255, 255, 255], (y * 21 + x) * 4);
    const out = rotateRgba(img, 21, 21, 80, false);
    let sx = 0;
    let sy = 0;
    let mass = 0;
    for (let i = 0; i < 21 * 21; i++) {
      const a = out.data[i * 4 + 3];
      sx += (i % 21) * a;
      sy += Math.floor(i / 21) * a;
      mass += a;
    }
    expect(sy / mass).toBeLessThan(5);
    expect(Math.abs(sx / mass - 10)).toBeLessThan(3);
  });
});
