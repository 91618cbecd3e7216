import { describe, expect, it } from "vitest";
import { coverFit } from "../../src/effects/cover.js";
import type { PixelImage, PixelResizer } from "../../src/image.js";
import { resizePixels } from "../../src/matte/resize.js";

/** Nearest-neighbour resizer that records its calls, so expected bytes are easy to write down. */
function nearest(calls: [number, number][]): PixelResizer {
  return async (image, width, height) => {
    calls.push([width, height]);
    const { channels } = image;
    const data = new Uint8Array(width * height * channels);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const sx = Math.floor((x * image.width) / width);
        const sy = Math.floor((y * image.height) / height);
        for (let k = 0; k < channels; k++) data[(y * width + x) * channels + k] = image.data[(sy * image.width + sx) * channels + k];
      }
    return { data, width, height, channels };
  };
}

const gray = (width: number, height: number, values: number[]): PixelImage => ({
  data: Uint8Array.from(values.flatMap((v) => [v, v, v])),
  width,
  height,
  channels: 3,
});

describe("coverFit", () => {
  it("returns an image already the canvas size unchanged, without resizing", async () => {
    const calls: [number, number][] = [];
    const image = gray(2, 2, [1, 2, 3, 4]);
    expect(await coverFit(image, 2, 2, nearest(calls))).toBe(image);
    expect(calls).toEqual([]);
  });

  it("crops the centre when only cropping is needed (scale 1)", async () => {
    const calls: [number, number][] = [];
    const out = await coverFit(gray(4, 2, [1, 2, 3, 4, 5, 6, 7, 8]), 2, 2, nearest(calls));
    expect(calls).toEqual([]);
    expect({ ...out, data: [...out.data].filter((_, i) => i % 3 === 0) }).toEqual({ data: [2, 3, 6, 7], width: 2, height: 2, channels: 3 });
  });

  it("scales up to cover, then crops the overflow evenly", async () => {
    const calls: [number, number][] = [];
    // 2x1 onto 4x4: scale max(2, 4) = 4 gives 8x4, cropped from x = 2; columns 2..3 come from pixel 0, 4..5 from pixel 1.
    const out = await coverFit(gray(2, 1, [10, 20]), 4, 4, nearest(calls));
    expect(calls).toEqual([[8, 4]]);
    expect(out.width).toBe(4);
    expect(out.height).toBe(4);
    expect([...out.data].filter((_, i) => i % 3 === 0)).toEqual([10, 10, 20, 20, 10, 10, 20, 20, 10, 10, 20, 20, 10, 10, 20, 20]);
  });

  it("scales down to cover and keeps RGBA channels, with the portable resizer", async () => {
    const data = new Uint8Array(8 * 4 * 4);
    for (let i = 0; i < 32; i++) data.set([50, 60, 70, 255], i * 4);
    const out = await coverFit({ data, width: 8, height: 4, channels: 4 }, 3, 3, resizePixels);
    // scale max(3/8, 3/4) = 0.75 gives 6x3, cropped from x = 1.
    expect(out).toMatchObject({ width: 3, height: 3, channels: 4 });
    expect([...out.data.subarray(0, 4)]).toEqual([50, 60, 70, 255]);
    expect(out.data.length).toBe(36);
  });
});
