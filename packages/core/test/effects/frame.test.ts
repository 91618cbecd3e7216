import { describe, expect, it } from "vitest";
import { applyRoi, cropToBox, placeOnCanvas } from "../../src/effects/frame.js";
import { resampleRgba } from "../../src/effects/resample.js";

/** Pixel i of a w x h image is (i + 1, 0, 0, 255): the red byte names the pixel. */
function numbered(width: number, height: number): Uint8Array {
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set([i + 1, 0, 0, 255], i * 4);
  return data;
}
const reds = (data: Uint8Array) => Array.from({ length: data.length / 4 }, (_, i) => data[i * 4]);

/** A w x h transparent image with an opaque (v, v, v) block at `box`. */
function block(width: number, height: number, box: { left: number; top: number; width: number; height: number }, v = 200): Uint8Array {
  const data = new Uint8Array(width * height * 4);
  for (let y = box.top; y < box.top + box.height; y++)
    for (let x = box.left; x < box.left + box.width; x++) data.set([v, v, v, 255], (y * width + x) * 4);
  return data;
}

describe("cropToBox", () => {
  it("crops to the box with no margin", () => {
    const out = cropToBox(numbered(4, 4), 4, 4, { left: 1, top: 1, width: 2, height: 2 }, { top: 0, right: 0, bottom: 0, left: 0 });
    expect(out.width).toBe(2);
    expect(out.height).toBe(2);
    expect(reds(out.data as Uint8Array)).toEqual([6, 7, 10, 11]);
  });

  it("grows the crop by the margins and pads past the image with transparency", () => {
    const out = cropToBox(numbered(4, 4), 4, 4, { left: 1, top: 1, width: 2, height: 2 }, { top: 1, right: 2, bottom: 0, left: 1 });
    expect([out.width, out.height]).toEqual([5, 3]);
    // Column 4 lies outside the 4-wide image.
    expect(reds(out.data as Uint8Array)).toEqual([1, 2, 3, 4, 0, 5, 6, 7, 8, 0, 9, 10, 11, 12, 0]);
    expect(out.data[4 * 4 + 3]).toBe(0);
  });
});

describe("placeOnCanvas", () => {
  const subject = { left: 0, top: 0, width: 2, height: 2 };

  it("is the identity with original scale and position on an image-sized canvas", () => {
    const box = { left: 3, top: 1, width: 2, height: 3 };
    const src = block(6, 5, box);
    const out = placeOnCanvas(src, 6, 5, box, 6, 5, "original", { kind: "original" });
    expect([...out.data]).toEqual([...src]);
    expect(out.box).toEqual(box);
  });

  it("centres, and places at x% y% of the free space", () => {
    const src = block(6, 6, subject);
    expect(placeOnCanvas(src, 6, 6, subject, 6, 6, "original", { kind: "center" }).box).toEqual({ left: 2, top: 2, width: 2, height: 2 });
    expect(placeOnCanvas(src, 6, 6, subject, 6, 6, "original", { kind: "percent", x: 100, y: 0 }).box).toEqual({
      left: 4,
      top: 0,
      width: 2,
      height: 2,
    });
    const out = placeOnCanvas(src, 6, 6, subject, 6, 6, "original", { kind: "percent", x: 25, y: 50 });
    expect(out.box).toEqual({ left: 1, top: 2, width: 2, height: 2 });
    const alpha = Array.from({ length: 36 }, (_, i) => out.data[i * 4 + 3]);
    expect(alpha.flatMap((a, i) => (a ? [i] : []))).toEqual([13, 14, 19, 20]);
  });

  it("scales the subject relative to the canvas (scale 1 touches the nearer edges)", () => {
    // 2x2 subject on 8x4: factor 1 * min(8/2, 4/2) = 2, so 4x4 centred at x = 2.
    const out = placeOnCanvas(block(2, 2, subject), 2, 2, subject, 8, 4, 1, { kind: "center" });
    expect(out.box).toEqual({ left: 2, top: 0, width: 4, height: 4 });
    for (let y = 0; y < 4; y++)
      for (let x = 0; x < 8; x++) {
        const px = [...out.data.subarray((y * 8 + x) * 4, (y * 8 + x) * 4 + 4)];
        expect(px).toEqual(x >= 2 && x < 6 ? [200, 200, 200, 255] : [0, 0, 0, 0]);
      }
  });

  it("copies without resampling when the scale works out to 1, and keeps the centre for position original", () => {
    const box = { left: 2, top: 3, width: 4, height: 4 };
    const src = numbered(8, 8);
    const half = placeOnCanvas(src, 8, 8, box, 8, 8, 0.5, { kind: "center" });
    expect(half.box).toEqual({ left: 2, top: 2, width: 4, height: 4 });
    expect(reds(half.data).slice(2 * 8 + 2, 2 * 8 + 6)).toEqual([27, 28, 29, 30]);
    // Scale 0.4 on a 10x10 canvas makes the 2x2 subject 4x4; its centre (7, 7) stays put.
    const moved = placeOnCanvas(
      block(10, 10, { left: 6, top: 6, width: 2, height: 2 }),
      10,
      10,
      { left: 6, top: 6, width: 2, height: 2 },
      10,
      10,
      0.4,
      {
        kind: "original",
      },
    );
    expect(moved.box).toEqual({ left: 5, top: 5, width: 4, height: 4 });
  });

  it("cuts what falls off the canvas", () => {
    const out = placeOnCanvas(numbered(2, 2), 2, 2, subject, 3, 3, "original", { kind: "percent", x: 0, y: 0 });
    expect(reds(out.data)).toEqual([1, 2, 0, 3, 4, 0, 0, 0, 0]);
    const small = placeOnCanvas(numbered(3, 3), 3, 3, { left: 0, top: 0, width: 3, height: 3 }, 2, 2, "original", {
      kind: "percent",
      x: 100,
      y: 100,
    });
    expect(small.box.left).toBe(-1);
    expect(reds(small.data)).toEqual([5, 6, 8, 9]);
  });
});

describe("resampleRgba", () => {
  it("averages premultiplied, so a transparent neighbour does not darken", () => {
    // Naive averaging would give (128, 0, 0, 128).
    expect([...resampleRgba(Uint8Array.from([255, 0, 0, 255, 0, 0, 0, 0]), 2, 1, 1, 1)]).toEqual([255, 0, 0, 128]);
  });
  it("keeps a constant image constant up and down", () => {
    const src = block(5, 3, { left: 0, top: 0, width: 5, height: 3 }, 77);
    for (const [w, h] of [
      [13, 7],
      [2, 1],
    ]) {
      const out = resampleRgba(src, 5, 3, w as number, h as number);
      for (let i = 0; i < out.length; i += 4) expect([...out.subarray(i, i + 4)]).toEqual([77, 77, 77, 255]);
    }
  });
  it("downscales by averaging every source pixel (no skipped pixels)", () => {
    // A 1-pixel line in 4 columns: nearest or plain bilinear sampling at 4:1 would miss it or weigh it unevenly.
    const src = new Uint8Array(4 * 4);
    for (let x = 0; x < 4; x++) src.set([255, 255, 255, x === 1 ? 255 : 0], x * 4);
    // Triangle of half-width 4 around x = 2: weights 0.625, 0.875, 0.875, 0.625 over a total of 3.
    expect([...resampleRgba(src, 4, 1, 1, 1)]).toEqual([255, 255, 255, 74]);
    src.fill(0);
    src.set([255, 255, 255, 255], 0);
    expect([...resampleRgba(src, 4, 1, 1, 1)]).toEqual([255, 255, 255, 53]);
  });
});

describe("applyRoi", () => {
  it("zeroes alpha outside [x1, x2) x [y1, y2)", () => {
    const out = applyRoi(new Uint8Array(12).fill(255), 4, 3, { x1: 1, y1: 1, x2: 3, y2: 2 });
    expect([...out]).toEqual([0, 0, 0, 0, 0, 255, 255, 0, 0, 0, 0, 0]);
  });
  it("clamps a region past the image and clears whole RGBA pixels with 4 channels", () => {
    const rgba = numbered(2, 2);
    const out = applyRoi(rgba, 2, 2, { x1: -5, y1: 1, x2: 10, y2: 10 }, 4);
    expect([...out]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 255, 4, 0, 0, 255]);
    expect([...applyRoi(rgba, 2, 2, { x1: 2, y1: 0, x2: 1, y2: 2 }, 4)]).toEqual(new Array(16).fill(0));
  });
});
