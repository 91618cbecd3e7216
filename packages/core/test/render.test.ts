// renderCutout on small synthetic cutouts (no model): every option with
// results known exactly, or by construction where a blur is involved.
import sharp from "sharp";
import { describe, expect, it, vi } from "vitest";
import { CutoutError } from "../src/errors.js";
import type { PixelImage } from "../src/image.js";
import { resizePixels } from "../src/matte/resize.js";
import { encodeRendered } from "../src/node/encode.js";
import { sharpResize } from "../src/node/sharp-resize.js";
import { type RemoveOptions, resolveOptions } from "../src/options.js";
import { DEFAULT_MAX_PNG_PIXELS, outputSize, type RenderDeps, type Rendered, renderCutout } from "../src/render.js";

type Px = readonly [number, number, number, number];
interface Cut {
  rgba: Uint8Array;
  alpha: Uint8Array;
  width: number;
  height: number;
}

const CLEAR: Px = [0, 0, 0, 0];

/** A cutout painted pixel by pixel (null: transparent); RGB is 0 wherever alpha is, as the engine's is. */
function synth(width: number, height: number, paint: (x: number, y: number) => Px | null): Cut {
  const rgba = new Uint8Array(width * height * 4);
  const alpha = new Uint8Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const p = paint(x, y);
      if (!p || p[3] === 0) continue;
      rgba.set(p, (y * width + x) * 4);
      alpha[y * width + x] = p[3];
    }
  return { rgba, alpha, width, height };
}

/** Paints `color` inside [x0, x1) x [y0, y1). */
const rect =
  (x0: number, y0: number, x1: number, y1: number, color: Px) =>
  (x: number, y: number): Px | null =>
    x >= x0 && x < x1 && y >= y0 && y < y1 ? color : null;

/** An RGB photo: `paint` everywhere, the cutout's own colour where it is opaque. */
function photoOf(cut: Cut, paint: (x: number, y: number) => readonly [number, number, number] = () => [90, 90, 90]): PixelImage {
  const data = new Uint8Array(cut.width * cut.height * 3);
  for (let y = 0; y < cut.height; y++)
    for (let x = 0; x < cut.width; x++) {
      const i = y * cut.width + x;
      data.set(cut.alpha[i] === 255 ? cut.rgba.subarray(i * 4, i * 4 + 3) : paint(x, y), i * 3);
    }
  return { data, width: cut.width, height: cut.height, channels: 3 };
}

const noImage = () => Promise.reject(new Error("no background image in this test"));
const DEPS: RenderDeps = { resize: sharpResize, loadImage: noImage };

function render(
  cut: Cut,
  options: RemoveOptions = {},
  more: { photo?: PixelImage; deps?: Partial<RenderDeps>; maxPngPixels?: number } = {},
): Promise<Rendered> {
  return renderCutout(
    more.photo ?? photoOf(cut),
    cut,
    resolveOptions(options).canonical,
    { ...DEPS, ...more.deps },
    more.maxPngPixels ?? DEFAULT_MAX_PNG_PIXELS,
  );
}

/** The channel values of pixel (x, y). */
function at(r: { pixels: Uint8Array; width: number; channels: number }, x: number, y: number): number[] {
  const i = (y * r.width + x) * r.channels;
  return [...r.pixels.subarray(i, i + r.channels)];
}

const alphaAt = (r: Rendered, x: number, y: number) => r.matte[y * r.width + x] as number;

/** Every pixel of a 4-channel render, row by row, as [r, g, b, a] tuples. */
function pixelsOf(r: Rendered): number[][] {
  expect(r.channels).toBe(4);
  const out: number[][] = [];
  for (let y = 0; y < r.height; y++) for (let x = 0; x < r.width; x++) out.push(at(r, x, y));
  return out;
}

/** The expected 4-channel picture: `paint` per pixel, transparent where it gives null. */
function picture(width: number, height: number, paint: (x: number, y: number) => Px | null): number[][] {
  const out: number[][] = [];
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out.push([...(paint(x, y) ?? CLEAR)]);
  return out;
}

async function rejection(promise: Promise<unknown>): Promise<CutoutError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CutoutError);
  return error as CutoutError;
}

describe("bg_color", () => {
  // Two columns of 50% blue, one opaque green column, the rest transparent.
  const cut = synth(6, 2, (x) => (x === 2 || x === 3 ? [0, 0, 255, 128] : x === 4 ? [0, 200, 0, 255] : null));

  it("blends 50% alpha exactly (compositeOver's half-up rounding), keeps opaque pixels and fills transparent ones", async () => {
    const r = await render(cut, { bgColor: "#ff0000" });
    expect([r.width, r.height, r.channels, r.format]).toEqual([6, 2, 4, "png"]);
    const row = [
      [255, 0, 0, 255],
      [255, 0, 0, 255],
      [127, 0, 128, 255],
      [127, 0, 128, 255],
      [0, 200, 0, 255],
      [255, 0, 0, 255],
    ];
    expect(pixelsOf(r)).toEqual([...row, ...row]);
    expect([...r.matte].every((a) => a === 255)).toBe(true);
  });

  it("keeps a translucent colour translucent where nothing covers it, and blends over it with half-up rounding", async () => {
    const r = await render(cut, { bgColor: "rgba(255, 0, 0, 0.5)" });
    expect(at(r, 0, 0)).toEqual([255, 0, 0, 128]);
    expect(at(r, 4, 1)).toEqual([0, 200, 0, 255]);
    // compositeOver's documented example: (255,0,0,128) over (0,0,255,128) is (170,0,85,192); blue is 84.78.
    const over = await render(
      synth(2, 1, (x) => (x === 0 ? [255, 0, 0, 128] : [0, 0, 0, 254])),
      { bgColor: "rgba(0, 0, 255, 0.5)" },
    );
    expect(at(over, 0, 0)).toEqual([170, 0, 85, 192]);
    // Almost opaque is not opaque: 254 over blue still lets 1/255 of it through.
    expect(at(over, 1, 0)).toEqual([0, 0, 1, 255]);
  });
});

describe("bg_gradient", () => {
  it("runs along the CSS line with pixel-centre samples: exact stop colour at its position, linear between", async () => {
    // 90deg on a 5 px wide canvas: pixel centres at t = 0.1, 0.3, 0.5, 0.7, 0.9.
    const cut = synth(5, 3, rect(2, 0, 3, 1, [9, 9, 9, 255]));
    const r = await render(cut, { bgGradient: "linear-gradient(90deg, #ff0000, #00ff00 50%, #0000ff)" });
    const row = (y: number) => [0, 1, 2, 3, 4].map((x) => at(r, x, y));
    expect(row(2)).toEqual([
      [204, 51, 0, 255],
      [102, 153, 0, 255],
      [0, 255, 0, 255],
      [0, 153, 102, 255],
      [0, 51, 204, 255],
    ]);
    expect(row(1)).toEqual(row(2));
    expect(at(r, 2, 0)).toEqual([9, 9, 9, 255]);
  });

  it("runs top to bottom for a bare list of stops, the end pixels half a pixel in from the end colours", async () => {
    const r = await render(
      synth(3, 4, () => null),
      { bgGradient: "#ffffff, #000000" },
    );
    // t = 0.125, 0.375, 0.625, 0.875 down the rows; every column the same.
    for (let x = 0; x < 3; x++) expect([0, 1, 2, 3].map((y) => at(r, x, y)[0])).toEqual([223, 159, 96, 32]);
  });
});

describe("bg_blur", () => {
  // A 100x60 photo, red left half and blue right half, a green subject across the seam.
  const cut = synth(100, 60, rect(40, 20, 60, 40, [0, 200, 0, 255]));
  const photo = photoOf(cut, (x) => (x < 50 ? [200, 0, 0] : [0, 0, 200]));
  const isSubject = (x: number, y: number) => x >= 40 && x < 60 && y >= 20 && y < 40;

  it("keeps the subject's pixels and replaces only the background, without smearing the subject into it", async () => {
    // Radius 50 on a 100 px photo: sigma 5 px.
    const r = await render(cut, { bgBlur: 50 }, { photo });
    for (let y = 0; y < 60; y++)
      for (let x = 0; x < 100; x++) {
        const p = at(r, x, y);
        if (isSubject(x, y)) expect(p).toEqual([0, 200, 0, 255]);
        else {
          expect(p[3]).toBe(255);
          // Normalized convolution: the green under the subject never reaches the background.
          expect(p[1]).toBe(0);
        }
      }
    // Far from the seam and the subject the photo is flat, so blurring leaves it as it was...
    expect(at(r, 5, 5)).toEqual([200, 0, 0, 255]);
    expect(at(r, 95, 55)).toEqual([0, 0, 200, 255]);
    // ...and at the seam red and blue mix.
    const seam = at(r, 50, 5);
    expect(seam[0]).toBeGreaterThan(50);
    expect(seam[2]).toBeGreaterThan(50);
    expect(at(r, 50, 5)).not.toEqual(at(await render(cut, { bgBlur: 1 }, { photo }), 50, 5));
  });

  it("after a crop, is the same blurred background cut to the crop", async () => {
    const full = await render(cut, { bgBlur: 50 }, { photo });
    const cropped = await render(cut, { bgBlur: 50, crop: true, cropMargin: "10px" }, { photo });
    expect([cropped.width, cropped.height]).toEqual([40, 40]);
    for (let y = 0; y < 40; y++) for (let x = 0; x < 40; x++) expect(at(cropped, x, y)).toEqual(at(full, x + 30, y + 10));
  });

  it("counts what roi removes as background: it shows, blurred, behind the subject", async () => {
    // A yellow object the model took for subject, outside the region of interest.
    const two = synth(100, 60, (x, y) =>
      isSubject(x, y) ? [0, 200, 0, 255] : x >= 80 && x < 100 && y >= 0 && y < 20 ? [200, 200, 0, 255] : null,
    );
    const r = await render(
      two,
      { bgBlur: 10, roi: "0% 0% 70% 100%" },
      { photo: photoOf(two, (x) => (x < 50 ? [200, 0, 0] : [0, 0, 200])) },
    );
    // Sigma 1 px: the middle of the 20 px object is still its own colour.
    expect(at(r, 90, 10)).toEqual([200, 200, 0, 255]);
  });
});

describe("bg_image", () => {
  it("is cover-fitted: scaled to fill, centred, the overflow cut (no resize when one side already fits)", async () => {
    // 8x4 onto a 4x4 canvas: scale 1, two columns cut off on each side.
    const backdrop: PixelImage = {
      data: Uint8Array.from({ length: 8 * 4 * 3 }, (_, i) => (i % 3 === 0 ? ((i / 3) % 8) * 30 : i % 3 === 1 ? 100 : 0)),
      width: 8,
      height: 4,
      channels: 3,
    };
    const loadImage = vi.fn(async () => backdrop);
    const resize = vi.fn(() => Promise.reject(new Error("no resize needed")));
    const cut = synth(4, 4, rect(0, 0, 1, 1, [1, 2, 3, 255]));
    const r = await render(cut, { bgImage: "backdrop.png" }, { deps: { loadImage, resize } });
    expect(loadImage).toHaveBeenCalledWith("backdrop.png");
    expect(resize).not.toHaveBeenCalled();
    expect(pixelsOf(r)).toEqual(picture(4, 4, (x, y) => (x === 0 && y === 0 ? [1, 2, 3, 255] : [(x + 2) * 30, 100, 0, 255])));
  });

  it("scales a small image up to cover the canvas, then crops the middle", async () => {
    // 2x1 (red, blue) onto 4x4: scaled x4 to 8x4 by the pure bilinear resizer, columns 2..5 kept.
    const backdrop: PixelImage = { data: Uint8Array.of(255, 0, 0, 0, 0, 255), width: 2, height: 1, channels: 3 };
    const r = await render(
      synth(4, 4, () => null),
      { bgImage: Uint8Array.of(1, 2, 3) },
      { deps: { loadImage: async () => backdrop, resize: resizePixels } },
    );
    const red = [223, 159, 96, 32];
    expect(pixelsOf(r)).toEqual(picture(4, 4, (x) => [red[x] as number, 0, 255 - (red[x] as number), 255]));
  });

  it("passes bytes through to the host's loader", async () => {
    const bytes = Uint8Array.of(1, 2, 3);
    const loadImage = vi.fn(
      async (_source: Uint8Array | string): Promise<PixelImage> => ({
        data: new Uint8Array(3 * 2 * 3).fill(7),
        width: 3,
        height: 2,
        channels: 3,
      }),
    );
    const r = await render(
      synth(3, 2, () => null),
      { bgImage: bytes },
      { deps: { loadImage } },
    );
    expect(loadImage.mock.calls[0]?.[0]).toEqual(bytes);
    expect(at(r, 1, 1)).toEqual([7, 7, 7, 255]);
  });
});

describe("shadows", () => {
  const RED: Px = [200, 50, 50, 255];
  const isBlack = (p: number[]) => p[0] === 0 && p[1] === 0 && p[2] === 0;

  it("drop: the subject's silhouette offset and at the shadow's opacity; the canvas grows only on the side it runs past", async () => {
    // A 6x6 subject at (7, 4); offset 12 down puts the shadow at rows 16..21, two past the bottom.
    const cut = synth(20, 20, rect(7, 4, 13, 10, RED));
    const r = await render(cut, { shadowType: "drop", shadowBlur: 0, shadowOffset: "0,12" });
    expect([r.width, r.height]).toEqual([20, 22]);
    expect(pixelsOf(r)).toEqual(
      picture(20, 22, (x, y) => (x >= 7 && x < 13 ? (y >= 4 && y < 10 ? RED : y >= 16 && y < 22 ? [0, 0, 0, 128] : null) : null)),
    );
    // The foreground box is the subject's, in the input's coordinates.
    expect(r.foreground).toEqual({ left: 7, top: 4, width: 6, height: 6 });
  });

  it("drop: a shadow past the left edge grows the canvas on the left, moving the subject right by as much", async () => {
    const cut = synth(20, 20, rect(7, 4, 13, 10, RED));
    const r = await render(cut, { shadowType: "drop", shadowBlur: 0, shadowOffset: "-10,0", shadowOpacity: 100 });
    expect([r.width, r.height]).toEqual([23, 20]);
    expect(pixelsOf(r)).toEqual(
      picture(23, 20, (x, y) => (y >= 4 && y < 10 ? (x >= 10 && x < 16 ? RED : x < 6 ? [0, 0, 0, 255] : null) : null)),
    );
  });

  it("drop: a blurred shadow that fits leaves the canvas as it is, and sits toward the offset", async () => {
    const cut = synth(60, 60, rect(25, 25, 35, 35, RED));
    const r = await render(cut, { shadowType: "drop" });
    expect([r.width, r.height]).toEqual([60, 60]);
    for (let y = 0; y < 60; y++)
      for (let x = 0; x < 60; x++) {
        const p = at(r, x, y);
        if (x >= 25 && x < 35 && y >= 25 && y < 35) expect(p).toEqual([...RED]);
        else if (p[3] > 0) expect(isBlack(p)).toBe(true);
      }
    // Offset (10, 10): the shadow's middle is at (40, 40), nothing reaches the opposite corner. Sigma 5 on a
    // 10 px square leaves erf(1 / sqrt 2)^2 = 47% of the 50% opacity at its centre.
    expect(alphaAt(r, 40, 40)).toBe(59);
    expect(alphaAt(r, 20, 20)).toBe(0);
    expect(alphaAt(r, 40, 40)).toBeGreaterThan(alphaAt(r, 46, 46));
  });

  it("3D: the silhouette squashed onto the ground behind the subject, leaning right, fading with height; the subject unchanged", async () => {
    // A 10x20 subject standing on row 30: its pixels land at (x + 0.35 t, 30 - 0.15 t), rows 27..29, and
    // only the part leaning out to the right (up to x 26) shows. Blur 0 leaves it crisp.
    const cut = synth(40, 40, rect(10, 10, 20, 30, RED));
    const r = await render(cut, { shadowType: "3D", shadowBlur: 0, shadowOffset: "0,0" });
    expect([r.width, r.height]).toEqual([40, 40]);
    let mass = 0;
    let sx = 0;
    for (let y = 0; y < 40; y++)
      for (let x = 0; x < 40; x++) {
        const p = at(r, x, y);
        if (x >= 10 && x < 20 && y >= 10 && y < 30) {
          expect(p).toEqual([...RED]);
          continue;
        }
        if (p[3] === 0) continue;
        expect(isBlack(p)).toBe(true);
        expect(y >= 26 && y < 30 && x >= 9 && x <= 27, `shadow at (${x}, ${y})`).toBe(true);
        mass += p[3];
        sx += p[3] * (x + 0.5);
      }
    // Leaning right: its centroid is right of the subject's (x = 15).
    expect(sx / mass).toBeGreaterThan(20);
    // Full strength (65%) at the contact line, fading to 30% of that at the far end.
    expect(alphaAt(r, 20, 29)).toBeGreaterThan(alphaAt(r, 20, 27));
    expect(alphaAt(r, 20, 27)).toBeGreaterThan(alphaAt(r, 20, 26));
    expect(Math.max(...r.matte.filter((_, i) => i % 40 >= 20))).toBeLessThanOrEqual(166);
  });

  it("3D: a subject on the bottom edge grows the canvas at the bottom only, by the little the contact line spreads", async () => {
    // Default blur 10: sigma 5 softens the far end, but the contact line keeps a sharp sigma 0.625, so it
    // spreads a pixel or so below the ground; the soft blur's 10+ px reach is not needed there.
    const cut = synth(60, 40, rect(20, 20, 30, 40, RED));
    const r = await render(cut, { shadowType: "3D", shadowOffset: "0,0" });
    expect(r.width).toBe(60);
    expect(r.height).toBeGreaterThan(40);
    expect(r.height).toBeLessThanOrEqual(43);
    for (let y = 20; y < 40; y++) for (let x = 20; x < 30; x++) expect(at(r, x, y)).toEqual([...RED]);
    expect(alphaAt(r, 25, 40)).toBeGreaterThan(0);
    expect([...Array(60).keys()].map((x) => alphaAt(r, x, r.height - 1))).toEqual(Array(60).fill(0));
  });

  it("car: an ellipse centred under the box's bottom edge, symmetric, darkest in the middle", async () => {
    // 40x20 body on row 30; the ellipse spans 92% of the width (x 11.6..48.4) and sticks out below.
    const cut = synth(60, 40, rect(10, 10, 50, 30, RED));
    const r = await render(cut, { shadowType: "car", shadowBlur: 0, shadowOffset: "0,0" });
    expect([r.width, r.height]).toEqual([60, 40]);
    for (let y = 0; y < 40; y++)
      for (let x = 0; x < 60; x++) {
        const p = at(r, x, y);
        if (x >= 10 && x < 50 && y >= 10 && y < 30) expect(p).toEqual([...RED]);
        else if (p[3] > 0) {
          expect(isBlack(p)).toBe(true);
          expect(y).toBeGreaterThanOrEqual(30);
          expect(y).toBeLessThan(35);
          expect(x).toBeGreaterThanOrEqual(9);
          expect(x).toBeLessThan(51);
        }
        // Mirror image about x = 30.
        expect(alphaAt(r, x, y)).toBe(alphaAt(r, 59 - x, y));
      }
    expect(alphaAt(r, 30, 30)).toBeGreaterThan(alphaAt(r, 45, 30));
    expect(alphaAt(r, 30, 30)).toBeGreaterThan(alphaAt(r, 30, 32));
    expect(alphaAt(r, 30, 30)).toBeLessThanOrEqual(Math.round(0.9 * 255));
  });
});

describe("crop", () => {
  const SUBJECT: Px = [1, 2, 3, 255];
  // A 10x20 subject at (10, 5) in a 30x30 image.
  const cut = synth(30, 30, rect(10, 5, 20, 25, SUBJECT));

  it.each<[string | undefined, number, number, number, number]>([
    // margin, width, height, subject left, subject top
    [undefined, 10, 20, 0, 0],
    ["2px", 14, 24, 2, 2],
    ["10%", 12, 24, 1, 2], // 10% of the subject's width (1 px) left and right, of its height (2 px) top and bottom
    ["1px 3px", 16, 22, 3, 1], // top/bottom, left/right
    ["1px 2px 3px 4px", 16, 24, 4, 1], // top, right, bottom, left
    ["12px", 34, 44, 12, 12], // past the image's edges: filled with transparent pixels
  ])("margin %s gives %ix%i with the subject at (%i, %i)", async (margin, width, height, left, top) => {
    const r = await render(cut, margin === undefined ? { crop: true } : { crop: true, cropMargin: margin });
    expect([r.width, r.height]).toEqual([width, height]);
    expect(pixelsOf(r)).toEqual(picture(width, height, rect(left, top, left + 10, top + 20, SUBJECT)));
    expect(r.foreground).toEqual({ left: 10, top: 5, width: 10, height: 20 });
  });

  it("ignores faint alpha (below 16) when finding the box", async () => {
    const faint = synth(30, 30, (x, y) => (x === 0 && y === 0 ? [9, 9, 9, 10] : rect(10, 5, 20, 25, SUBJECT)(x, y)));
    const r = await render(faint, { crop: true });
    expect([r.width, r.height]).toEqual([10, 20]);
  });
});

describe("scale and position", () => {
  const COLOR: Px = [10, 20, 30, 255];
  // A 4x4 subject at (2, 2) of a 20x20 image.
  const cut = synth(20, 20, rect(2, 2, 6, 6, COLOR));

  it.each<[RemoveOptions, number, number, number]>([
    // scale 50% of a 20 px canvas: a 10 px subject.
    [{ scale: "50%", position: "center" }, 5, 5, 10],
    [{ scale: "50%", position: "0% 100%" }, 0, 10, 10],
    [{ scale: "50%", position: "100% 0%" }, 10, 0, 10],
    [{ position: "center" }, 8, 8, 4],
    [{ scale: "100%", position: "center" }, 0, 0, 20],
  ])("%j puts a %i,%i subject of %i px on the unchanged canvas", async (options, left, top, size) => {
    const r = await render(cut, options);
    expect([r.width, r.height]).toEqual([20, 20]);
    expect(pixelsOf(r)).toEqual(picture(20, 20, rect(left, top, left + size, top + size, COLOR)));
    expect(r.foreground).toEqual({ left: 2, top: 2, width: 4, height: 4 });
  });

  it("places the cropped subject on the cropped canvas", async () => {
    const r = await render(cut, { crop: true, cropMargin: "4px", scale: "50%", position: "0% 0%" });
    expect([r.width, r.height]).toEqual([12, 12]);
    expect(pixelsOf(r)).toEqual(picture(12, 12, rect(0, 0, 6, 6, COLOR)));
  });
});

describe("roi", () => {
  const cut = synth(10, 10, () => [5, 6, 7, 255]);
  const inside = rect(2, 3, 6, 8, [5, 6, 7, 255]);

  it.each(["2px 3px 6px 8px", "20% 30% 60% 80%", "2px 30% 60% 8px"])(
    "%s keeps only the region; outside alpha and colour are 0",
    async (roi) => {
      const r = await render(cut, { roi });
      expect([r.width, r.height]).toEqual([10, 10]);
      expect(pixelsOf(r)).toEqual(picture(10, 10, inside));
      expect(r.foreground).toEqual({ left: 2, top: 3, width: 4, height: 5 });
    },
  );

  it.each([
    "50% 0% 5px 100%", // x1 = x2 = 5 px once the units meet the image
    "50% 0% 52% 100%", // 5 to 5.2 px: no whole pixel
    "20px 0px 30px 10px", // entirely right of a 10 px image
    "0% 60% 100% 4px", // y2 above y1
  ])("%s is empty on a 10x10 image: validation_error for roi", async (roi) => {
    const error = await rejection(render(cut, { roi }));
    expect([error.code, error.field]).toEqual(["validation_error", "roi"]);
  });
});

describe("angle", () => {
  // 4x2, every pixel different: (x * 50, y * 100, 7).
  const cut = synth(4, 2, (x, y) => [x * 50, y * 100, 7, 255]);
  const src = (x: number, y: number) => [x * 50, y * 100, 7, 255];

  it("90 (counter-clockwise) with expand: 2x4, the top-right corner at the top-left, bytes kept", async () => {
    const r = await render(cut, { angle: 90 });
    expect([r.width, r.height]).toEqual([2, 4]);
    expect(pixelsOf(r)).toEqual(picture(2, 4, (x, y) => src(3 - y, x) as unknown as Px));
  });

  it("-90 and 180 are exact too", async () => {
    const cw = await render(cut, { angle: -90 });
    expect(pixelsOf(cw)).toEqual(picture(2, 4, (x, y) => src(y, 1 - x) as unknown as Px));
    const half = await render(cut, { angle: 180 });
    expect(pixelsOf(half)).toEqual(picture(4, 2, (x, y) => src(3 - x, 1 - y) as unknown as Px));
  });

  it("90 without expand keeps 4x2: the rotated 2x4 centred, cut at top and bottom, the sides empty", async () => {
    const r = await render(cut, { angle: 90, expand: false });
    expect([r.width, r.height]).toEqual([4, 2]);
    // Rotated (X, Y) lands at (X + 1, Y - 1).
    expect(pixelsOf(r)).toEqual(picture(4, 2, (x, y) => (x === 0 || x === 3 ? null : (src(3 - (y + 1), x - 1) as unknown as Px))));
  });

  it("15 grows the canvas to the rotated bounding box with expand, keeps it without; corners take the background colour", async () => {
    const big = synth(20, 10, () => [0, 0, 255, 255]);
    const grown = await render(big, { angle: 15 });
    // ceil(20 cos 15 + 10 sin 15) x ceil(20 sin 15 + 10 cos 15)
    expect([grown.width, grown.height]).toEqual([22, 15]);
    expect(alphaAt(grown, 0, 0)).toBe(0);
    expect(at(grown, 11, 7)).toEqual([0, 0, 255, 255]);
    const kept = await render(big, { angle: 15, expand: false });
    expect([kept.width, kept.height]).toEqual([20, 10]);
    const filled = await render(big, { angle: 15, bgColor: "#00ff00" });
    expect([filled.width, filled.height]).toEqual([22, 15]);
    expect(at(filled, 0, 0)).toEqual([0, 255, 0, 255]);
    expect([...filled.matte].every((a) => a === 255)).toBe(true);
  });

  it("360 is no rotation", async () => {
    const r = await render(cut, { angle: 360 });
    expect(pixelsOf(r)).toEqual(picture(4, 2, (x, y) => src(x, y) as unknown as Px));
  });
});

describe("semitransparency", () => {
  // A 14x14 square at alpha 200 with a one-pixel ring at 60 around it, and a faint speck far away.
  const GREY: Px = [100, 100, 100, 200];
  const cut = synth(30, 30, (x, y) => {
    if (x >= 8 && x < 22 && y >= 8 && y < 22) return GREY;
    if (x >= 7 && x < 23 && y >= 7 && y < 23) return [100, 100, 100, 60];
    return x === 1 && y === 1 ? [100, 100, 100, 60] : null;
  });

  it("false: the interior snaps to opaque, pixels within the 2 px band of the 0.5 edge keep their soft alpha", async () => {
    const r = await render(cut, { semitransparency: false });
    // Along row 14: the edge is between x 7 (60) and 8 (200); x 8..10 are within 2 px, 11..18 beyond.
    expect([...Array(30).keys()].map((x) => alphaAt(r, x, 14))).toEqual([
      0, 0, 0, 0, 0, 0, 0, 60, 200, 200, 200, 255, 255, 255, 255, 255, 255, 255, 255, 200, 200, 200, 60, 0, 0, 0, 0, 0, 0, 0,
    ]);
    expect(at(r, 14, 14)).toEqual([100, 100, 100, 255]);
    // A faint speck away from any edge snaps to nothing, colour and all.
    expect(at(r, 1, 1)).toEqual([0, 0, 0, 0]);
  });

  it("true (the default) keeps every alpha as it was", async () => {
    const r = await render(cut);
    expect([...r.matte]).toEqual([...cut.alpha]);
    expect(at(r, 14, 14)).toEqual([...GREY]);
  });
});

describe("size", () => {
  // 800x600 with a 200x100 subject at (100, 50).
  const cut = synth(800, 600, rect(100, 50, 300, 150, [40, 80, 120, 255]));

  it.each<[RemoveOptions, number, number]>([
    [{ size: "preview" }, 577, 433], // 0.25 MP: scale sqrt(0.25 / 0.48)
    [{ size: "medium" }, 800, 600], // 1.5 MP: never upscales
    [{ size: "auto" }, 800, 600],
    [{ size: { kind: "longSide", pixels: 100 } }, 100, 75],
    [{ size: { kind: "longSide", pixels: 1000 } }, 800, 600],
    [{ width: 400 }, 400, 300],
    [{ height: 150 }, 200, 150],
    [{ width: 400, height: 100 }, 133, 100], // aspect kept: fits inside both
    [{ width: 1600 }, 1600, 1200], // an explicit size may upscale
    [{ width: 100, height: 100, exactResize: true }, 100, 100], // distorts
  ])("%j gives %ix%i", async (options, width, height) => {
    const r = await render(cut, options);
    expect([r.width, r.height]).toEqual([width, height]);
    expect(r.pixels.length).toBe(width * height * 4);
    expect(r.foreground).toEqual({ left: 100, top: 50, width: 200, height: 100 });
  });

  it("exact_resize stretches the picture: the subject's shape changes with it", async () => {
    const r = await render(cut, { width: 80, height: 120, exactResize: true });
    expect([r.width, r.height]).toEqual([80, 120]);
    // x / 10 and y / 5: the subject covers x 10..30 and y 10..30.
    expect(at(r, 20, 20)).toEqual([40, 80, 120, 255]);
    expect(alphaAt(r, 20, 35)).toBe(0);
    expect(alphaAt(r, 35, 20)).toBe(0);
  });

  it("reports the foreground box in the input's coordinates after crop and resize", async () => {
    const r = await render(cut, { crop: true, width: 50 });
    expect([r.width, r.height]).toEqual([50, 25]);
    expect(r.foreground).toEqual({ left: 100, top: 50, width: 200, height: 100 });
  });

  it("megapixel presets stay within their budget and never upscale", () => {
    expect(outputSize(1920, 1080, { kind: "megapixels", pixels: 250_000 })).toEqual({ width: 666, height: 375 });
    for (const [w, h] of [
      [1920, 1080], // 0.25 MP: 666.7 x 375, which rounds to 667x375 = 250,125 pixels
      [800, 600],
      [4032, 3024],
      [1001, 999],
      [3333, 77],
      [20000, 1],
      [499, 501],
    ] as const) {
      for (const pixels of [250_000, 1_500_000, 4_000_000]) {
        const out = outputSize(w, h, { kind: "megapixels", pixels });
        expect(out.width * out.height, `${w}x${h} at ${pixels}`).toBeLessThanOrEqual(Math.max(pixels, w * h));
        expect(out.width).toBeLessThanOrEqual(w);
        expect(out.height).toBeLessThanOrEqual(h);
        if (w * h <= pixels) expect(out).toEqual({ width: w, height: h });
        else {
          // ...and within a pixel of the exact scale on each side.
          const s = Math.sqrt(pixels / (w * h));
          expect(Math.abs(out.width - w * s)).toBeLessThan(1);
          expect(Math.abs(out.height - h * s)).toBeLessThan(1);
        }
      }
    }
  });
});

describe("channels and format", () => {
  // 50% blue, transparent, opaque (10, 20, 30), 50% blue.
  const cut = synth(4, 1, (x) => (x === 1 ? null : x === 2 ? [10, 20, 30, 255] : [0, 0, 255, 128]));

  it("channels alpha: one channel, the alpha itself", async () => {
    const r = await render(cut, { channels: "alpha" });
    expect([r.channels, r.format]).toEqual([1, "png"]);
    expect([...r.pixels]).toEqual([128, 0, 255, 128]);
    const png = await encodeRendered(r);
    expect((await sharp(png).metadata()).channels).toBe(1);
    expect([...(await sharp(png).toColourspace("b-w").raw().toBuffer())]).toEqual([128, 0, 255, 128]);
    // format "mask" is the same thing.
    expect([...(await render(cut, { format: "mask" })).pixels]).toEqual([128, 0, 255, 128]);
  });

  it("channels rgb: three channels, flattened over white by default and over bg_color when given", async () => {
    const white = await render(cut, { channels: "rgb" });
    expect(white.channels).toBe(3);
    expect([0, 1, 2, 3].map((x) => at(white, x, 0))).toEqual([
      [127, 127, 255],
      [255, 255, 255],
      [10, 20, 30],
      [127, 127, 255],
    ]);
    const red = await render(cut, { channels: "rgb", bgColor: "red" });
    expect([0, 1, 2, 3].map((x) => at(red, x, 0))).toEqual([
      [127, 0, 128],
      [255, 0, 0],
      [10, 20, 30],
      [127, 0, 128],
    ]);
  });

  it("flattening rounds half up", async () => {
    // 101 * 128/255 + 255 * 127/255 = 177.7 over white.
    const r = await render(
      synth(1, 1, () => [101, 0, 0, 128]),
      { channels: "rgb" },
    );
    expect([...r.pixels]).toEqual([178, 127, 127]);
  });

  it("format auto: png while any alpha is below 255, else jpg (three channels)", async () => {
    const soft = await render(cut, { format: "auto" });
    expect([soft.format, soft.channels]).toEqual(["png", 4]);
    const nearlySolid = await render(
      synth(2, 1, (x) => [1, 2, 3, x === 0 ? 254 : 255]),
      { format: "auto" },
    );
    expect([nearlySolid.format, nearlySolid.channels]).toEqual(["png", 4]);
    const opaque = await render(cut, { format: "auto", bgColor: "white" });
    expect([opaque.format, opaque.channels]).toEqual(["jpg", 3]);
    const solid = await render(
      synth(2, 2, () => [1, 2, 3, 255]),
      { format: "auto" },
    );
    expect([solid.format, solid.channels]).toEqual(["jpg", 3]);
  });

  it("jpg flattens over white", async () => {
    const r = await render(cut, { format: "jpg" });
    expect([r.format, r.channels]).toEqual(["jpg", 3]);
    expect([...r.pixels]).toEqual([127, 127, 255, 255, 255, 255, 10, 20, 30, 127, 127, 255]);
    // The matte keeps the alpha (for zip and the API's result).
    expect([...r.matte]).toEqual([128, 0, 255, 128]);
  });

  it("refuses PNG above maxPngPixels with image_too_large, pointing to webp or zip; other formats pass", async () => {
    const error = await rejection(render(cut, {}, { maxPngPixels: 3 }));
    expect(error.code).toBe("image_too_large");
    expect(error.message).toContain("webp");
    expect(error.message).toContain("zip");
    expect((await rejection(render(cut, { format: "auto" }, { maxPngPixels: 3 }))).code).toBe("image_too_large");
    expect((await render(cut, { format: "webp" }, { maxPngPixels: 3 })).format).toBe("webp");
    expect((await render(cut, { format: "zip" }, { maxPngPixels: 3 })).format).toBe("zip");
    expect((await render(cut, {}, { maxPngPixels: 4 })).format).toBe("png");
  });

  it("bmp: 32-bit BITFIELDS with a V4 header and alpha, bottom-up BGRA that decodes to the render", async () => {
    const cut2 = synth(3, 2, (x, y) => (x === 1 && y === 0 ? null : [x * 80, y * 90, 200, x === 2 ? 128 : 255]));
    const r = await render(cut2, { format: "bmp" });
    const bmp = await encodeRendered(r);
    expect(bmp.subarray(0, 2).toString("latin1")).toBe("BM");
    const header = {
      fileSize: bmp.readUInt32LE(2),
      dataOffset: bmp.readUInt32LE(10),
      headerSize: bmp.readUInt32LE(14),
      width: bmp.readInt32LE(18),
      height: bmp.readInt32LE(22),
      planes: bmp.readUInt16LE(26),
      bitCount: bmp.readUInt16LE(28),
      compression: bmp.readUInt32LE(30),
      imageSize: bmp.readUInt32LE(34),
      masks: [54, 58, 62, 66].map((o) => bmp.readUInt32LE(o)),
      colorSpace: bmp.subarray(70, 74).toString("latin1"),
    };
    expect(header).toEqual({
      fileSize: 14 + 108 + 3 * 2 * 4,
      dataOffset: 122,
      headerSize: 108,
      width: 3,
      height: 2,
      planes: 1,
      bitCount: 32,
      compression: 3,
      imageSize: 24,
      masks: [0x00ff0000, 0x0000ff00, 0x000000ff, 0xff000000],
      colorSpace: "BGRs", // "sRGB" as a little-endian FOURCC
    });
    expect(bmp.length).toBe(header.fileSize);
    expect(decodeBmp(bmp)).toEqual({ width: 3, height: 2, channels: 4, pixels: [...r.pixels] });
  });

  it("bmp: 24-bit with padded rows when the picture is opaque", async () => {
    const r = await render(
      synth(3, 2, (x, y) => [x * 80, y * 90, 200, 255]),
      { format: "bmp", channels: "rgb" },
    );
    const bmp = await encodeRendered(r);
    expect([bmp.readUInt32LE(14), bmp.readUInt16LE(28), bmp.readUInt32LE(30), bmp.readUInt32LE(34)]).toEqual([40, 24, 0, 2 * 12]);
    expect(decodeBmp(bmp)).toEqual({ width: 3, height: 2, channels: 3, pixels: [...r.pixels] });
  });
});

/** A minimal BMP reader for the two forms encodeBmp writes: rows bottom-up, BGR(A), rows padded to 4 bytes. */
function decodeBmp(bmp: Buffer): { width: number; height: number; channels: number; pixels: number[] } {
  const offset = bmp.readUInt32LE(10);
  const width = bmp.readInt32LE(18);
  const height = bmp.readInt32LE(22);
  const channels = bmp.readUInt16LE(28) / 8;
  const rowBytes = Math.ceil((width * channels) / 4) * 4;
  const pixels: number[] = [];
  for (let y = 0; y < height; y++) {
    const row = offset + (height - 1 - y) * rowBytes;
    for (let x = 0; x < width; x++) {
      const p = row + x * channels;
      pixels.push(bmp[p + 2] as number, bmp[p + 1] as number, bmp[p] as number);
      if (channels === 4) pixels.push(bmp[p + 3] as number);
    }
  }
  return { width, height, channels, pixels };
}
