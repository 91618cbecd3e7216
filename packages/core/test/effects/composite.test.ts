import { describe, expect, it } from "vitest";
import { compositeOver } from "../../src/effects/composite.js";
import { fillCanvas } from "../../src/effects/fill.js";

const image = (width: number, height: number, pixels: number[]) => ({ data: Uint8Array.from(pixels), width, height });

describe("compositeOver", () => {
  it("blends a 2-pixel subject at 50% alpha over red to the documented bytes", () => {
    const top = image(2, 1, [0, 0, 255, 128, 0, 0, 255, 128]);
    const red = image(2, 1, [255, 0, 0, 255, 255, 0, 0, 255]);
    // D = 128*255 + 255*127 = 65025; R = 255*255*127 / D = 127; B = 255*128*255 / D = 128.
    expect([...compositeOver(top, red)]).toEqual([127, 0, 128, 255, 127, 0, 128, 255]);
  });

  it("works in premultiplied space when both layers are translucent", () => {
    // D = 128*255 + 128*127 = 48896: alpha round(191.75) = 192, R = 8323200 / D = 170.2, B = 4145280 / D = 84.8.
    // An un-premultiplied lerp would give (128, 0, 127, ...).
    const out = compositeOver(image(1, 1, [255, 0, 0, 128]), image(1, 1, [0, 0, 255, 128]));
    expect([...out]).toEqual([170, 0, 85, 192]);
  });

  it("keeps a soft edge's colour over a transparent background (no dark fringe)", () => {
    expect([...compositeOver(image(1, 1, [10, 20, 30, 128]), image(1, 1, [0, 0, 0, 0]))]).toEqual([10, 20, 30, 128]);
    expect([...compositeOver(image(1, 1, [10, 20, 30, 1]), image(1, 1, [0, 0, 0, 0]))]).toEqual([10, 20, 30, 1]);
  });

  it("leaves the bottom under alpha 0 and replaces it under alpha 255", () => {
    const bottom = image(2, 1, [1, 2, 3, 4, 5, 6, 7, 8]);
    expect([...compositeOver(image(2, 1, [9, 9, 9, 0, 50, 60, 70, 255]), bottom)]).toEqual([1, 2, 3, 4, 50, 60, 70, 255]);
    expect([...bottom.data]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("places the top layer at an offset, clipping what falls outside", () => {
    const white = { data: fillCanvas(3, 3, [255, 255, 255, 255]), width: 3, height: 3 };
    const top = image(2, 2, [1, 1, 1, 255, 2, 2, 2, 255, 3, 3, 3, 255, 4, 4, 4, 255]);
    const at = (out: Uint8Array) => Array.from({ length: 9 }, (_, i) => out[i * 4]);
    expect(at(compositeOver(top, white, 1, 1))).toEqual([255, 255, 255, 255, 1, 2, 255, 3, 4]);
    expect(at(compositeOver(top, white, -1, -1))).toEqual([4, 255, 255, 255, 255, 255, 255, 255, 255]);
    expect(at(compositeOver(top, white, 2, -1))).toEqual([255, 255, 3, 255, 255, 255, 255, 255, 255]);
    expect([...compositeOver(top, white, 3, 0)]).toEqual([...white.data]);
    expect([...compositeOver(top, white, -2, -5)]).toEqual([...white.data]);
  });
});

describe("fillCanvas", () => {
  it("fills every pixel with the colour", () => {
    expect([...fillCanvas(2, 1, [1, 2, 3, 4])]).toEqual([1, 2, 3, 4, 1, 2, 3, 4]);
  });
  it("gives all zeros for a transparent colour (RGB 0 under alpha 0)", () => {
    expect([...fillCanvas(2, 1, [9, 9, 9, 0])]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });
});
