// The refinement computes only the cells that need it (settled matte is
// skipped, the colour estimate only runs under soft pixels); these tests hold
// it to the whole-image computation (refine-reference.ts): alpha within one
// level, colour within two where both alphas are above 0, on real mattes
// (rembg's ISNet cutouts of the fixtures) and on edge cases.
import { join } from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import type { PixelImage, Plane } from "../src/image.js";
import { blockCells, estimateForeground, softCells } from "../src/matte/foreground.js";
import { applyGuidedFilter, fitGuidedFilter, settledBlocks, snapMatte, UNSETTLED } from "../src/matte/guided-filter.js";
import { resizePixels, resizePlane } from "../src/matte/resize.js";
import { guidedRadius, refineMatte } from "../src/pipeline.js";
import { Scratch } from "../src/scratch.js";
import { referenceEstimate, referenceFit, referenceRefine } from "./refine-reference.js";

const FIXTURES = join(import.meta.dirname, "../../../test/fixtures");

interface Diff {
  alpha: number;
  colour: number;
}

/** refineMatte against the reference: the largest alpha difference, and colour difference where both alphas are above 0. */
function refineDiff(image: PixelImage, guide: PixelImage, matte: Plane): Diff {
  const tiled = refineMatte(image, guide, matte);
  const whole = referenceRefine(image, guide, matte);
  let alpha = 0;
  let colour = 0;
  for (let i = 0; i < tiled.alpha.length; i++) {
    alpha = Math.max(alpha, Math.abs(tiled.alpha[i] - whole.alpha[i]));
    // Where one alpha is 0 its colour is cleared to black, so colour is only compared where both have one.
    if (tiled.alpha[i] === 0 || whole.alpha[i] === 0) continue;
    for (let k = i * 4; k < i * 4 + 3; k++) colour = Math.max(colour, Math.abs(tiled.rgba[k] - whole.rgba[k]));
  }
  return { alpha, colour };
}

async function rgb(pipeline: sharp.Sharp): Promise<PixelImage> {
  const { data, info } = await pipeline.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 3 };
}

/** A fixture photo at width x height, its working guide (long side 1024 at most), and the model-sized matte of its reference cutout. */
async function fixture(name: string, width: number, height: number) {
  const image = await rgb(sharp(join(FIXTURES, `${name}.jpg`)).resize(width, height, { fit: "fill" }));
  const scale = Math.min(1, 1024 / Math.max(width, height));
  const guide =
    scale === 1
      ? image
      : await rgb(
          sharp(image.data, { raw: { width, height, channels: 3 } }).resize(Math.round(width * scale), Math.round(height * scale), {
            fit: "fill",
          }),
        );
  const { data } = await sharp(join(FIXTURES, `reference/${name}.isnet-general-use.png`))
    .extractChannel(3)
    .resize(1024, 1024, { fit: "fill" })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { image, guide, matte: { data: Float32Array.from(data, (v) => v / 255), width: 1024, height: 1024 } };
}

/** Deterministic pseudo-random bytes, so a failure reproduces. */
function noise(n: number, seed: number): Uint8Array {
  let s = seed >>> 0;
  return Uint8Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s >>> 24;
  });
}

function photo(width: number, height: number, channels: 3 | 4 = 3, seed = 1): PixelImage {
  return { data: noise(width * height * channels, seed), width, height, channels };
}

function plane(width: number, height: number, value: (x: number, y: number) => number): Plane {
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = value(x, y);
  return { data, width, height };
}

describe("tiled refinement on real mattes", () => {
  it.each([
    ["car-1", 480, 360],
    ["anime-girl-1", 850, 601],
    ["car-1", 1155, 866],
    ["anime-girl-1", 1189, 841],
    ["car-1", 4000, 3000],
  ])("%s at %ix%i matches the whole-image refinement", async (name, width, height) => {
    const { image, guide, matte } = await fixture(name, width, height);
    const diff = refineDiff(image, guide, matte);
    expect(diff.alpha).toBeLessThanOrEqual(1);
    expect(diff.colour).toBeLessThanOrEqual(2);
  });

  it("fits the same coefficients where it fits, at the radius a coarse matte gets", async () => {
    const { guide, matte } = await fixture("car-1", 480, 360);
    // An 80 px matte stretched 6x: radius 15, as the refinement benchmark's coarse mattes get.
    const coarse = await sharp(Buffer.from(Uint8Array.from(matte.data, (v) => Math.round(v * 255))), {
      raw: { width: 1024, height: 1024, channels: 1 },
    })
      .resize(80, 60, { fit: "fill" })
      .resize(480, 360, { fit: "fill" })
      .raw()
      .toBuffer();
    const p = { data: Float32Array.from(coarse, (v) => v / 255), width: 480, height: 360 };
    const alpha = applyGuidedFilter(fitGuidedFilter(guide, p, 15, 1e-4), guide);
    const expected = applyGuidedFilter(referenceFit(guide, p, 15, 1e-4), guide);
    expect(maxDiff(alpha, expected)).toBeLessThanOrEqual(1);
  });
});

describe("tiled refinement edge cases", () => {
  const cases: [string, PixelImage, Plane][] = [
    ["an all-zero matte", photo(300, 200), plane(64, 64, () => 0)],
    ["an all-one matte", photo(300, 200), plane(64, 64, () => 1)],
    [
      "a subject touching every border",
      photo(203, 151),
      plane(50, 40, (x, y) => (x < 3 || y < 2 || x > 46 || y > 37 || (x + y) % 9 < 2 ? 1 : 0)),
    ],
    ["a matte that never settles", photo(120, 90), plane(120, 90, (x, y) => ((x * 7 + y * 13) % 17) / 16)],
    ["a background of model noise", photo(257, 129), plane(257, 129, (x, y) => (x > 100 && x < 150 ? 1 : ((x * 31 + y * 17) % 11) * 1e-5))],
    ["a 1x1 image", photo(1, 1), plane(1, 1, () => 0.6)],
    ["a 3x2 image", photo(3, 2), plane(2, 2, (x) => x)],
    ["an image smaller than a cell", photo(5, 7), plane(4, 4, (x, y) => (x + y > 3 ? 1 : 0))],
    ["an image one cell wide", photo(8, 300), plane(8, 300, (_, y) => (y > 150 ? 1 : 0))],
  ];
  it.each(cases)("matches the whole-image refinement on %s", (_, image, matte) => {
    const diff = refineDiff(image, image, matte);
    expect(diff.alpha).toBe(0);
    // The cell-wise colour estimate equals the whole-image one to about 1e-4, so a soft pixel's rounding can flip by one level.
    expect(diff.colour).toBeLessThanOrEqual(1);
  });

  it("estimates colour under soft pixels that come from the photo's own transparency", () => {
    // Alpha is soft only where the input is: a matte that is settled everywhere must still get colours there.
    const image = photo(160, 120, 4, 7);
    for (let i = 3; i < image.data.length; i += 4) image.data[i] = (i >> 2) % 160 < 80 ? 255 : 90;
    const diff = refineDiff(
      image,
      image,
      plane(64, 64, () => 1),
    );
    expect(diff).toEqual({ alpha: 0, colour: 0 });
  });

  it("estimates every pixel when no cells are given, as the whole-image estimate does", () => {
    const image = photo(150, 100, 3, 3);
    const alpha = plane(150, 100, (x, y) => Math.min(1, Math.max(0, (x - 60 + ((y * 7) % 5)) / 20))).data;
    const tiled = estimateForeground(image, alpha, 40, 3);
    const whole = referenceEstimate(image, alpha, 40, 3);
    for (const key of ["F", "B"] as const) {
      for (let c = 0; c < 3; c++) expect(maxDiff(tiled[key][c], whole[key][c])).toBeLessThan(1e-4);
    }
  });

  it("keeps every pixel of a matte the same size as the guide when refining at full size", () => {
    // guide === image and matte at the guide's size: no resizing anywhere, still within one level.
    const image = photo(97, 61, 3, 5);
    const matte = plane(97, 61, (x, y) => ((x - 48) ** 2 + (y - 30) ** 2 < 400 ? 1 : 0));
    expect(refineDiff(image, image, matte).alpha).toBeLessThanOrEqual(1);
  });
});

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let most = 0;
  for (let i = 0; i < a.length; i++) most = Math.max(most, Math.abs(a[i] - b[i]));
  return most;
}

/** The same photo with an opaque alpha channel: refineMatte then takes its separate full-size passes. */
function withOpaqueAlpha(image: PixelImage): PixelImage {
  const n = image.width * image.height;
  const data = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) {
    data.set(image.data.subarray(i * 3, i * 3 + 3), i * 4);
    data[i * 4 + 3] = 255;
  }
  return { data, width: image.width, height: image.height, channels: 4 };
}

function expectSameCutout(actual: ReturnType<typeof refineMatte>, expected: ReturnType<typeof refineMatte>): void {
  expect(maxDiff(actual.alpha, expected.alpha)).toBe(0);
  expect(maxDiff(actual.rgba, expected.rgba)).toBe(0);
  expect(actual.foreground).toEqual(expected.foreground);
}

describe("one full-size pass (RGB photos larger than their guide)", () => {
  it.each([
    ["car-1", 1155, 866],
    ["anime-girl-1", 1189, 841],
    ["car-1", 4000, 3000],
  ])("%s at %ix%i: the same alpha, colours and box as the separate passes", async (name, width, height) => {
    const { image, guide, matte } = await fixture(name, width, height);
    expectSameCutout(refineMatte(image, guide, matte), refineMatte(withOpaqueAlpha(image), guide, matte));
  });

  it.each([
    ["an all-zero matte", plane(64, 64, () => 0)],
    ["an all-one matte", plane(64, 64, () => 1)],
    ["a subject touching every border", plane(50, 40, (x, y) => (x < 3 || y < 2 || x > 46 || y > 37 || (x + y) % 9 < 2 ? 1 : 0))],
    ["a matte that never settles", plane(120, 90, (x, y) => ((x * 7 + y * 13) % 17) / 16)],
  ])("the same as the separate passes on %s", async (_, matte) => {
    const image = photo(301, 203, 3, 11);
    const guide = await resizePixels(image, 150, 101);
    expectSameCutout(refineMatte(image, guide, matte), refineMatte(withOpaqueAlpha(image), guide, matte));
  });

  it("estimates colours on every cell the full-size alpha's soft pixels read (blockCells covers softCells)", async () => {
    for (const [name, width, height] of [
      ["car-1", 4000, 3000],
      ["anime-girl-1", 1189, 841],
    ] as const) {
      const { image, guide, matte } = await fixture(name, width, height);
      const working = resizePlane(matte, guide.width, guide.height);
      snapMatte(working.data);
      const coefficients = fitGuidedFilter(guide, working, guidedRadius(guide, matte), 1e-4);
      const soft = softCells(applyGuidedFilter(coefficients, image), width, height, guide.width, guide.height);
      const blocks = blockCells(settledBlocks(coefficients), guide.width, guide.height, UNSETTLED);
      const missed = soft.flags.filter((flag, i) => flag === 1 && blocks.flags[i] === 0).length;
      expect(soft.flags.filter((flag) => flag === 1).length, name).toBeGreaterThan(100);
      expect(missed, name).toBe(0);
    }
  });
});

describe("blockCells", () => {
  it("flags the cells of an unsettled block's bilinear corners, across cell borders", () => {
    // 32x40 blocks, cells of 8x16: block (7, 15) reads samples 7..8 across and 15..16 down.
    const settled = new Uint16Array(32 * 40);
    settled[15 * 32 + 7] = UNSETTLED;
    const mask = blockCells(settled, 32, 40, UNSETTLED);
    const flagged = [...mask.flags.keys()].filter((i) => mask.flags[i] === 1).map((i) => [i % mask.columns, Math.floor(i / mask.columns)]);
    expect(flagged).toEqual([
      [0, 0],
      [1, 0],
      [0, 1],
      [1, 1],
    ]);
    // At the last column and row, the corner is the block itself.
    const edge = new Uint16Array(32 * 40);
    edge[39 * 32 + 31] = UNSETTLED;
    expect([...blockCells(edge, 32, 40, UNSETTLED).flags].filter((f) => f === 1)).toHaveLength(1);
  });
});

describe("refinement with reused buffers (Scratch)", () => {
  it("gives what fresh buffers give, image after image of different sizes", async () => {
    const scratch = new Scratch();
    let pooled: Uint8Array | undefined;
    const rgbaBuffer = (length: number) => {
      // Dirty on purpose: the refinement must write every byte it hands back.
      if (!pooled || pooled.length < length) pooled = new Uint8Array(length).fill(77);
      return pooled.subarray(0, length);
    };
    const cases = [
      await fixture("car-1", 1155, 866),
      await fixture("anime-girl-1", 4120, 2913),
      await fixture("car-1", 480, 360),
      {
        image: photo(301, 203, 3, 11),
        guide: await resizePixels(photo(301, 203, 3, 11), 150, 101),
        matte: plane(50, 40, (x) => (x > 20 ? 1 : 0)),
      },
      await fixture("car-1", 1155, 866),
    ];
    for (const { image, guide, matte } of cases) {
      const reused = refineMatte(image, guide, { ...matte, data: matte.data.slice() }, { scratch, rgbaBuffer });
      expectSameCutout({ ...reused, rgba: reused.rgba.slice() }, refineMatte(image, guide, matte));
    }
  });
});
