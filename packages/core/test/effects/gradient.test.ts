import { describe, expect, it } from "vitest";
import { linearGradient } from "../../src/effects/gradient.js";
import type { GradientStop } from "../../src/options/canonical.js";

const red = [255, 0, 0, 255] as const;
const blue = [0, 0, 255, 255] as const;
const redToBlue: GradientStop[] = [
  { color: red, at: 0.1 },
  { color: blue, at: 0.9 },
];
const pixels = (data: Uint8Array) => Array.from({ length: data.length / 4 }, (_, i) => [...data.subarray(i * 4, i * 4 + 4)]);

describe("linearGradient", () => {
  // On 5 pixels the centres sit at t = 0.1, 0.3, 0.5, 0.7, 0.9, so stops at 0.1 and 0.9 land on pixel centres.
  const column = [
    [255, 0, 0, 255],
    [191, 0, 64, 255], // t = 0.3: a quarter of the way, 191.25 / 63.75
    [128, 0, 128, 255], // midpoint: 127.5 rounds up
    [64, 0, 191, 255],
    [0, 0, 255, 255],
  ];

  it("180deg runs top to bottom with exact stop colours and midpoint", () => {
    expect(pixels(linearGradient(1, 5, 180, redToBlue))).toEqual(column);
  });

  it("90deg runs left to right, 0deg bottom to top, 270deg right to left", () => {
    expect(pixels(linearGradient(5, 1, 90, redToBlue))).toEqual(column);
    expect(pixels(linearGradient(1, 5, 0, redToBlue))).toEqual([...column].reverse());
    expect(pixels(linearGradient(5, 1, 270, redToBlue))).toEqual([...column].reverse());
  });

  it("uses stops at 0 and 1 at the image's edges, sampling pixel centres", () => {
    const stops: GradientStop[] = [
      { color: red, at: 0 },
      { color: blue, at: 1 },
    ];
    // t = 0.125, 0.375, 0.625, 0.875.
    expect(pixels(linearGradient(1, 4, 180, stops))).toEqual([
      [223, 0, 32, 255],
      [159, 0, 96, 255],
      [96, 0, 159, 255],
      [32, 0, 223, 255],
    ]);
  });

  it("makes the gradient line as long as CSS does, so a 45deg gradient reaches the corners", () => {
    // 9x3 at 45deg: the line is (9 + 3) * sin 45 long, so t = 0.5 + (dx - dy) / 12 over pixel-centre offsets:
    // bottom-left 1/12, top-right 11/12, the centre 0.5. The diagonal (9.49) would put the corners at 0.13 and 0.87.
    const stops: GradientStop[] = [
      { color: red, at: 1 / 12 },
      { color: blue, at: 11 / 12 },
    ];
    const out = pixels(linearGradient(9, 3, 45, stops));
    expect(out[2 * 9 + 0]).toEqual([255, 0, 0, 255]);
    expect(out[0 * 9 + 8]).toEqual([0, 0, 255, 255]);
    expect(out[1 * 9 + 4]).toEqual([128, 0, 128, 255]);
    // One pixel in from the corner: t = 0.5 + (-4 + 0) / 12 = 1/6, a tenth of the way: 229.5 / 25.5.
    expect(out[2 * 9 + 1]).toEqual([230, 0, 26, 255]);
    // On a 5x5 square the main diagonal is at t = 0.5.
    const square = pixels(linearGradient(5, 5, 45, redToBlue));
    for (const i of [0, 6, 12, 18, 24]) expect(square[i]).toEqual([128, 0, 128, 255]);
  });

  it("interpolates premultiplied, so fading to transparent keeps the colour", () => {
    const stops: GradientStop[] = [
      { color: red, at: 0.1 },
      { color: [0, 0, 0, 0], at: 0.9 },
    ];
    const out = pixels(linearGradient(1, 5, 180, stops));
    expect(out[2]).toEqual([255, 0, 0, 128]);
    expect(out[4]).toEqual([0, 0, 0, 0]);
  });

  it("is flat outside the first and last stops, and raises backwards stops like CSS", () => {
    const inner: GradientStop[] = [
      { color: red, at: 0.3 },
      { color: blue, at: 0.7 },
    ];
    const flat = pixels(linearGradient(1, 5, 180, inner));
    expect(flat[0]).toEqual([255, 0, 0, 255]);
    expect(flat[1]).toEqual([255, 0, 0, 255]);
    expect(flat[4]).toEqual([0, 0, 255, 255]);
    const backwards: GradientStop[] = [
      { color: red, at: 0.5 },
      { color: blue, at: 0.2 },
    ];
    const hard = pixels(linearGradient(1, 5, 180, backwards));
    expect(hard[1]).toEqual([255, 0, 0, 255]);
    expect(hard[3]).toEqual([0, 0, 255, 255]);
  });

  it("paints one stop as a solid colour and rejects no stops", () => {
    expect(pixels(linearGradient(2, 1, 30, [{ color: [1, 2, 3, 255], at: 0.5 }]))).toEqual([
      [1, 2, 3, 255],
      [1, 2, 3, 255],
    ]);
    expect(() => linearGradient(1, 1, 0, [])).toThrow(RangeError);
  });
});
