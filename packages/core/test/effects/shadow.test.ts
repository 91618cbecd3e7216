import { describe, expect, it } from "vitest";
import { carShadow, contactShadow, dropShadow, type ShadowLayer, type ShadowStyle } from "../../src/effects/shadow.js";

function rect(width: number, height: number, x0: number, y0: number, x1: number, y1: number): Uint8Array {
  const alpha = new Uint8Array(width * height);
  for (let y = y0; y < y1; y++) alpha.fill(255, y * width + x0, y * width + x1);
  return alpha;
}
const black = (opacity: number, blur: number, offset: [number, number] = [0, 0]): ShadowStyle => ({
  color: [0, 0, 0, 255],
  opacity,
  offset,
  blur,
});
const alphaAt = (layer: ShadowLayer, x: number, y: number) => layer.data[(y * layer.width + x) * 4 + 3];

/** Total alpha (in pixels of full coverage) and its centroid. */
function moments(layer: ShadowLayer): { mass: number; x: number; y: number } {
  let mass = 0;
  let sx = 0;
  let sy = 0;
  for (let y = 0; y < layer.height; y++)
    for (let x = 0; x < layer.width; x++) {
      const a = alphaAt(layer, x, y) / 255;
      mass += a;
      sx += (x + 0.5) * a;
      sy += (y + 0.5) * a;
    }
  return { mass, x: sx / mass, y: sy / mass };
}

/** True when the layer's outermost rows and columns are empty: nothing was cut off. */
function borderEmpty(layer: ShadowLayer): boolean {
  for (let x = 0; x < layer.width; x++) if (alphaAt(layer, x, 0) || alphaAt(layer, x, layer.height - 1)) return false;
  for (let y = 0; y < layer.height; y++) if (alphaAt(layer, 0, y) || alphaAt(layer, layer.width - 1, y)) return false;
  return true;
}

describe("dropShadow", () => {
  it("is the alpha shifted by the offset, times opacity, in the shadow colour (no blur)", () => {
    const layer = dropShadow(rect(6, 6, 2, 2, 4, 4), 6, 6, { color: [10, 20, 30, 255], opacity: 0.5, offset: [3, 1], blur: 0 });
    // The shadow spans x 5..6, one past the 6 px image: one column of padding on the right.
    expect(layer.padding).toEqual({ top: 0, right: 1, bottom: 0, left: 0 });
    expect([layer.width, layer.height]).toEqual([7, 6]);
    const expected = new Uint8Array(7 * 6 * 4);
    for (const [x, y] of [
      [5, 3],
      [6, 3],
      [5, 4],
      [6, 4],
    ] as const)
      expected.set([10, 20, 30, 128], (y * 7 + x) * 4);
    expect([...layer.data]).toEqual([...expected]);
  });

  it("pads left and top for a negative offset, and applies the colour's alpha", () => {
    const layer = dropShadow(rect(4, 4, 1, 1, 3, 3), 4, 4, { color: [0, 0, 0, 128], opacity: 1, offset: [-4, -3], blur: 0 });
    expect(layer.padding).toEqual({ top: 2, right: 0, bottom: 0, left: 3 });
    expect([layer.width, layer.height]).toEqual([7, 6]);
    expect([alphaAt(layer, 0, 0), alphaAt(layer, 1, 1), alphaAt(layer, 2, 0), alphaAt(layer, 0, 2)]).toEqual([128, 128, 0, 0]);
  });

  it("blurs around the offset position and grows the canvas so none of it is cut", () => {
    // blur 8 is sigma 4: boxes of radius 3, 3, 4 reach 10 px; the subject ends at 20, offset 5: 15 px past the edge.
    const layer = dropShadow(rect(20, 20, 16, 16, 20, 20), 20, 20, black(1, 8, [5, 5]));
    expect(layer.padding).toEqual({ top: 0, right: 15, bottom: 15, left: 0 });
    const m = moments(layer);
    expect(Math.abs(m.mass - 16) / 16).toBeLessThan(0.03);
    expect(m.x).toBeCloseTo(18 + 5, 1);
    expect(m.y).toBeCloseTo(18 + 5, 1);
    expect(alphaAt(layer, 23, 23)).toBeLessThan(255);
    expect(borderEmpty(layer)).toBe(true);
    // A subject in the middle needs no padding.
    expect(dropShadow(rect(40, 40, 15, 15, 20, 20), 40, 40, black(1, 8, [5, 5])).padding).toEqual({ top: 0, right: 0, bottom: 0, left: 0 });
  });

  it("is empty for an empty cutout or zero opacity", () => {
    expect(dropShadow(new Uint8Array(9), 3, 3, black(1, 4)).data.every((v) => v === 0)).toBe(true);
    expect(dropShadow(rect(9, 9, 3, 3, 6, 6), 9, 9, black(0, 4)).data.every((v) => v === 0)).toBe(true);
  });
});

describe("contactShadow", () => {
  // A 10x30 subject standing on y = 35 in a 40x40 image.
  const layer = contactShadow(rect(40, 40, 10, 5, 20, 35), 40, 40, black(1, 0));

  it("lies on the ground under the subject: squashed to a strip ending at the contact line", () => {
    expect(layer.padding).toEqual({ top: 0, right: 0, bottom: 0, left: 0 });
    let rowMax = 0;
    let best = -1;
    for (let y = 0; y < 40; y++) {
      let row = 0;
      for (let x = 0; x < 40; x++) row += alphaAt(layer, x, y);
      // Above 35 - 15% of 30 (= 30.5) minus the blur's reach nothing is painted, nor below 37.
      if (y < 27 || y >= 37) expect(row).toBe(0);
      if (row > rowMax) [rowMax, best] = [row, y];
    }
    expect(best).toBeGreaterThanOrEqual(32);
    expect(best).toBeLessThan(35);
  });

  it("is strongest at the contact line and fades and softens with distance", () => {
    expect(alphaAt(layer, 15, 34)).toBeGreaterThan(200);
    expect(alphaAt(layer, 15, 34)).toBeGreaterThan(alphaAt(layer, 19, 31) + 60);
  });

  it("leans right, away from a top-left light", () => {
    expect(moments(layer).x).toBeGreaterThan(15.5);
    expect(alphaAt(layer, 22, 31)).toBeGreaterThan(0);
    expect(alphaAt(layer, 8, 31)).toBe(0);
  });

  it("grows the canvas when the subject stands on the bottom or right edge", () => {
    const bottom = contactShadow(rect(40, 40, 30, 10, 40, 40), 40, 40, black(1, 4));
    expect(bottom.padding.bottom).toBeGreaterThan(0);
    expect(bottom.padding.right).toBeGreaterThan(0);
    expect(bottom.padding.top + bottom.padding.left).toBe(0);
    expect(borderEmpty(bottom)).toBe(true);
    expect(moments(bottom).y).toBeGreaterThan(35);
  });
});

describe("carShadow", () => {
  // A car body 40 px wide and 10 px tall whose bottom edge is at y = 30, in a 60x40 image.
  const layer = carShadow(rect(60, 40, 10, 20, 50, 30), 60, 40, black(1, 0));

  it("sits centred under the bottom edge and is symmetric", () => {
    expect(layer.padding).toEqual({ top: 0, right: 0, bottom: 0, left: 0 });
    for (let y = 0; y < 40; y++)
      for (let x = 0; x < 30; x++) expect(Math.abs(alphaAt(layer, x, y) - alphaAt(layer, 59 - x, y))).toBeLessThanOrEqual(1);
    for (let y = 0; y < 26; y++) for (let x = 0; x < 60; x++) expect(alphaAt(layer, x, y)).toBe(0);
    const m = moments(layer);
    expect(m.x).toBeCloseTo(30, 3);
    expect(Math.abs(m.y - 30)).toBeLessThan(1);
  });

  it("spans the wheels and darkens towards the ground", () => {
    expect(alphaAt(layer, 30, 29)).toBeGreaterThan(150);
    expect(alphaAt(layer, 30, 29)).toBeGreaterThan(alphaAt(layer, 30, 31));
    expect(alphaAt(layer, 30, 31)).toBeGreaterThan(alphaAt(layer, 30, 32));
    expect(alphaAt(layer, 13, 30)).toBeGreaterThan(0);
    expect(alphaAt(layer, 5, 30)).toBe(0);
  });

  it("grows the canvas for a car at the bottom edge, and follows the offset", () => {
    const low = carShadow(rect(60, 40, 10, 30, 50, 40), 60, 40, black(0.5, 6));
    expect(low.padding.bottom).toBeGreaterThan(0);
    expect(low.padding.top + low.padding.left + low.padding.right).toBe(0);
    expect(borderEmpty(low)).toBe(true);
    const shifted = carShadow(rect(60, 40, 10, 20, 50, 30), 60, 40, black(1, 0, [4, 0]));
    expect(moments(shifted).x).toBeCloseTo(34, 3);
  });
});
