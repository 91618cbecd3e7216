import { describe, expect, it } from "vitest";
import { blurRgba, blurredBackground } from "../../src/effects/blur.js";
import { blurChannels, boxRadii } from "../../src/effects/box-blur.js";
import type { PixelImage } from "../../src/image.js";

function rgbPhoto(width: number, height: number, paint: (x: number, y: number) => [number, number, number]): PixelImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(paint(x, y), (y * width + x) * 3);
  return { data, width, height, channels: 3 };
}

describe("boxRadii / blurChannels", () => {
  it("does nothing at sigma 0 and matches the Gaussian's variance otherwise", () => {
    expect(boxRadii(0)).toEqual([0, 0, 0]);
    // Whole-pixel boxes cannot hit every sigma: 17% off in variance at sigma 2, a few percent from 5 up.
    for (const [sigma, tolerance] of [
      [2, 0.2],
      [5, 0.1],
      [20, 0.05],
      [50, 0.02],
    ] as const) {
      const variance = boxRadii(sigma).reduce((sum, r) => sum + ((2 * r + 1) ** 2 - 1) / 12, 0);
      expect(Math.abs(variance - sigma * sigma) / (sigma * sigma)).toBeLessThan(tolerance);
    }
  });

  it("spreads an impulse with the requested standard deviation and keeps its mass (zero edges)", () => {
    const n = 201;
    const plane = new Float32Array(n * n);
    plane[100 * n + 100] = 1;
    blurChannels(plane, n, n, 1, 10, "zero");
    let mass = 0;
    let second = 0;
    for (let y = 0; y < n; y++)
      for (let x = 0; x < n; x++) {
        mass += plane[y * n + x];
        second += plane[y * n + x] * (x - 100) ** 2;
      }
    expect(mass).toBeCloseTo(1, 4);
    expect(Math.sqrt(second)).toBeGreaterThan(9.5);
    expect(Math.sqrt(second)).toBeLessThan(10.5);
  });

  it("treats the outside as zero with zero edges and renormalizes otherwise", () => {
    const zero = blurChannels(new Float32Array(9).fill(1), 9, 1, 1, 2, "zero");
    const renormalized = blurChannels(new Float32Array(9).fill(1), 9, 1, 1, 2);
    expect(zero[0]).toBeLessThan(0.5);
    for (const v of renormalized) expect(v).toBeCloseTo(1, 6);
  });

  it("blurs interleaved channels independently", () => {
    const data = new Float32Array([1, 0, 1, 0, 1, 0, 1, 0, 1, 0]);
    blurChannels(data, 5, 1, 2, 3);
    for (let x = 0; x < 5; x++) {
      expect(data[x * 2]).toBeCloseTo(1, 5);
      expect(data[x * 2 + 1]).toBeCloseTo(0, 5);
    }
  });
});

describe("blurRgba", () => {
  it("keeps a constant image exactly constant, borders included", () => {
    const src = new Uint8Array(17 * 13 * 4);
    for (let i = 0; i < src.length; i += 4) src.set([200, 100, 50, 255], i);
    expect([...blurRgba(src, 17, 13, 4)]).toEqual([...src]);
  });

  it("does not darken next to transparent pixels", () => {
    const w = 30;
    const src = new Uint8Array(w * 4 * 4);
    for (let y = 0; y < 4; y++) for (let x = 0; x < 15; x++) src.set([255, 0, 0, 255], (y * w + x) * 4);
    const out = blurRgba(src, w, 4, 3);
    let soft = 0;
    for (let i = 0; i < out.length; i += 4) {
      if (out[i + 3] === 0) expect([out[i], out[i + 1], out[i + 2]]).toEqual([0, 0, 0]);
      else expect([out[i], out[i + 1], out[i + 2]]).toEqual([255, 0, 0]);
      if (out[i + 3] > 0 && out[i + 3] < 255) soft++;
    }
    expect(soft).toBeGreaterThan(0);
    expect(out[3]).toBe(255);
    expect(out[(w - 1) * 4 + 3]).toBe(0);
  });
});

describe("blurredBackground", () => {
  const green: [number, number, number] = [0, 200, 0];

  it("leaves the subject's colour out of the background, and fills under the subject", () => {
    const photo = rgbPhoto(40, 40, (x, y) => (x >= 10 && x < 30 && y >= 10 && y < 30 ? [255, 0, 0] : green));
    const alpha = new Uint8Array(40 * 40);
    for (let y = 10; y < 30; y++) alpha.fill(255, y * 40 + 10, y * 40 + 30);
    // radius 50 on a 40 px image is sigma 2; the 20 px subject is wider than that reaches, so its middle is filled too.
    const out = blurredBackground(photo, alpha, 50);
    for (let i = 0; i < out.length; i += 4) expect([out[i], out[i + 1], out[i + 2], out[i + 3]]).toEqual([0, 200, 0, 255]);
    // Without the normalisation the red would bleed: the plain blur of the same photo is red near the subject.
    const rgba = new Uint8Array(40 * 40 * 4);
    for (let i = 0; i < 40 * 40; i++) rgba.set([...photo.data.subarray(i * 3, i * 3 + 3), 255], i * 4);
    expect(blurRgba(rgba, 40, 40, 2)[(20 * 40 + 8) * 4]).toBeGreaterThan(0);
  });

  it("scales the radius with the image, so every size of one photo blurs alike", () => {
    // Sigma 5, 10 and 20 px: the larger two also run on a coarser grid (k = 2 and 5).
    const edge = (size: number) =>
      blurredBackground(
        rgbPhoto(size, size, (x) => (x < size / 2 ? [0, 0, 0] : [255, 255, 255])),
        new Uint8Array(size * size),
        50,
      );
    const small = edge(100);
    for (const size of [200, 400]) {
      const large = edge(size);
      const row = size / 2;
      for (let x = 30; x < 70; x++) {
        // The small image's pixel centre x + 0.5, on the large image's grid, interpolated between its pixels.
        const f = ((x + 0.5) * size) / 100 - 0.5;
        const i = Math.floor(f);
        const b = large[(row * size + i) * 4] * (1 - (f - i)) + large[(row * size + i + 1) * 4] * (f - i);
        expect(Math.abs(small[(50 * 100 + x) * 4] - b)).toBeLessThanOrEqual(3);
      }
    }
    // And it blurs by sigma 5 px on the small image: 2.5 px before the step a Gaussian gives 255 * (1 - Phi(0.5)) = 79.
    expect(small[(50 * 100 + 47) * 4]).toBeGreaterThan(72);
    expect(small[(50 * 100 + 47) * 4]).toBeLessThan(86);
  });

  it("weights an RGBA photo by its own alpha: transparent pixels lend no colour", () => {
    const data = new Uint8Array(40 * 4 * 4);
    for (let i = 0; i < 160; i++) data.set(i % 40 < 20 ? [10, 20, 30, 255] : [255, 255, 255, 0], i * 4);
    const out = blurredBackground({ data, width: 40, height: 4, channels: 4 }, new Uint8Array(160), 50);
    let soft = 0;
    for (let i = 0; i < 160; i++) {
      if (out[i * 4 + 3] > 0) expect([...out.subarray(i * 4, i * 4 + 3)]).toEqual([10, 20, 30]);
      if (out[i * 4 + 3] > 0 && out[i * 4 + 3] < 255) soft++;
    }
    expect(soft).toBeGreaterThan(0);
    expect(out[3]).toBe(255);
    expect(out[39 * 4 + 3]).toBe(0);
  });

  it("blurs the whole photo when it is all subject", () => {
    const photo = rgbPhoto(10, 10, () => [7, 8, 9]);
    const out = blurredBackground(photo, new Uint8Array(100).fill(255), 100);
    for (let i = 0; i < out.length; i += 4) expect([...out.subarray(i, i + 4)]).toEqual([7, 8, 9, 255]);
  });
});
