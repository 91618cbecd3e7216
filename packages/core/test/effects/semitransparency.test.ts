import { describe, expect, it } from "vitest";
import { snapInterior } from "../../src/effects/semitransparency.js";

/**
 * 40x40: a square [5, 35) with a 2-pixel soft rim (64 then 192), a
 * semitransparent interior of 200 (above the threshold) and a 10x10 hole
 * [15, 25) of 50 (below it).
 */
function glassSquare(): Uint8Array {
  const alpha = new Uint8Array(40 * 40);
  for (let y = 0; y < 40; y++)
    for (let x = 0; x < 40; x++) {
      const e = Math.min(x - 5, 34 - x, y - 5, 34 - y);
      let v = e < 0 ? 0 : e === 0 ? 64 : e === 1 ? 192 : 200;
      if (x >= 15 && x < 25 && y >= 15 && y < 25) v = 50;
      alpha[y * 40 + x] = v;
    }
  return alpha;
}

describe("snapInterior", () => {
  it("keeps the soft rim, snaps the interior to 0 or 255", () => {
    const out = snapInterior(glassSquare(), 40, 40, 2);
    const row = (y: number, xs: number[]) => xs.map((x) => out[y * 40 + x]);
    // Row 10: background, rim 64/192 (the transition), interior within 2 px kept, beyond snapped.
    expect(row(10, [0, 4, 5, 6, 7, 8, 9, 20])).toEqual([0, 0, 64, 192, 200, 200, 255, 255]);
    // Row 20 crosses the hole: its edge keeps 200 and 50 within 2 px, its middle snaps to 0.
    expect(row(20, [11, 12, 13, 14, 15, 16, 17, 18, 20])).toEqual([255, 200, 200, 200, 50, 50, 50, 0, 0]);
  });

  it("blends over one pixel where the band ends", () => {
    // Band 1.5: x = 8 lies 2 px from the transition, half-way through the fade: (255 + 200) / 2 = 227.5.
    const out = snapInterior(glassSquare(), 40, 40, 1.5);
    expect([out[10 * 40 + 7], out[10 * 40 + 8], out[10 * 40 + 9]]).toEqual([200, 228, 255]);
  });

  it("snaps faint pixels far from any transition to 0", () => {
    const alpha = new Uint8Array(20 * 20).fill(100);
    expect(snapInterior(alpha, 20, 20).every((v) => v === 0)).toBe(true);
    expect(snapInterior(new Uint8Array(400).fill(130), 20, 20).every((v) => v === 255)).toBe(true);
  });

  it("widens the default band with the image size", () => {
    // 2000 px wide: band max(2, 3 * 2000 / 1000) = 6.
    const alpha = new Uint8Array(2000);
    alpha[999] = 100;
    alpha.fill(200, 1000);
    const out = snapInterior(alpha, 2000, 1);
    expect([out[999], out[1003], out[1006], out[1007]]).toEqual([100, 200, 200, 255]);
    // The same edge on an 80 px image keeps only 2 px.
    const small = snapInterior(alpha.subarray(960, 1040), 80, 1);
    expect([small[39], small[42], small[43]]).toEqual([100, 200, 255]);
  });
});
