import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { PixelImage } from "../src/image.js";
import { foregroundBox } from "../src/matte/bounding-box.js";
import { boxFilter } from "../src/matte/box-filter.js";
import { applyForeground, estimateForeground } from "../src/matte/foreground.js";
import { applyGuidedFilter, fitGuidedFilter, SNAP } from "../src/matte/guided-filter.js";
import { toInputTensor } from "../src/matte/preprocess.js";
import { resizePixels, resizePlane } from "../src/matte/resize.js";
import { flattenOver } from "../src/output/flatten.js";
import { crc32, createZip } from "../src/output/zip.js";
import { modelInput, refineMatte } from "../src/pipeline.js";

/** Brute-force reference for the running-sum box filter. */
function naiveBox(src: Float32Array, w: number, h: number, r: number): Float32Array {
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let sum = 0;
      let count = 0;
      for (let yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++)
        for (let xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) {
          sum += src[yy * w + xx];
          count++;
        }
      out[y * w + x] = sum / count;
    }
  return out;
}

describe("boxFilter", () => {
  it("matches the windowed mean, borders included, for radii up to and beyond the image", () => {
    const w = 13;
    const h = 7;
    const src = Float32Array.from({ length: w * h }, (_, i) => ((i * 7919) % 97) / 97);
    for (const r of [0, 1, 3, 6, 20]) {
      const fast = boxFilter(src, w, h, r);
      const slow = naiveBox(src, w, h, r);
      for (let i = 0; i < fast.length; i++) expect(fast[i]).toBeCloseTo(slow[i], 5);
    }
  });
});

describe("resize", () => {
  it("keeps a constant plane constant and aligns pixel centres", () => {
    const plane = { data: new Float32Array(16).fill(0.25), width: 4, height: 4 };
    expect([...resizePlane(plane, 9, 3).data].every((v) => Math.abs(v - 0.25) < 1e-7)).toBe(true);
    // 2 -> 4 with centre alignment: outer pixels copy, inner pixels interpolate at 1/4 and 3/4.
    const ramp = resizePlane({ data: Float32Array.from([0, 1]), width: 2, height: 1 }, 4, 1);
    expect([...ramp.data]).toEqual([0, 0.25, 0.75, 1]);
  });

  it("resizes interleaved pixels channel by channel", async () => {
    const image: PixelImage = { data: Uint8Array.from([0, 100, 200, 255, 200, 100, 0, 255]), width: 2, height: 1, channels: 4 };
    const out = await resizePixels(image, 4, 1);
    expect([...out.data.slice(4, 8)]).toEqual([50, 100, 150, 255]);
  });
});

describe("toInputTensor", () => {
  it("writes planar (v/255 - mean) / std", () => {
    const image: PixelImage = { data: Uint8Array.from([255, 0, 51, 0, 255, 102]), width: 2, height: 1, channels: 3 };
    const t = toInputTensor(image, { mean: [0.5, 0.5, 0.5], std: [1, 1, 1] });
    expect([...t].map((v) => Number(v.toFixed(4)))).toEqual([0.5, -0.5, -0.5, 0.5, -0.3, -0.1]);
  });

  it.each([
    [37, 23, 64, 64, 3],
    [90, 70, 64, 48, 4],
    [64, 64, 64, 64, 3],
    // An odd width: the kernel's last column is computed on its own, not two at a time.
    [50, 30, 33, 41, 3],
  ] as const)("resamples %ix%i to %ix%i (%i channels) as resizePlane does each normalised channel", (w, h, tw, th, channels) => {
    let seed = 7;
    const data = Uint8Array.from({ length: w * h * channels }, () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed >>> 24;
    });
    const norm = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] } as const;
    const tensor = toInputTensor({ data, width: w, height: h, channels }, norm, tw, th);
    expect(tensor.length).toBe(3 * tw * th);
    for (let c = 0; c < 3; c++) {
      const plane = Float32Array.from({ length: w * h }, (_, i) => (data[i * channels + c] / 255 - norm.mean[c]) / norm.std[c]);
      const expected = resizePlane({ data: plane, width: w, height: h }, tw, th).data;
      for (let i = 0; i < expected.length; i++) expect(tensor[c * tw * th + i]).toBeCloseTo(expected[i], 4);
    }
  });
});

describe("modelInput", () => {
  it("resamples photos up to 2x the model's input itself, and hands larger ones to the host's resizer first", async () => {
    const session = { inputSize: [32, 32] as const, normalization: { mean: [0.5, 0.5, 0.5], std: [1, 1, 1] } as const };
    const asked: string[] = [];
    const resize = async (image: PixelImage, width: number, height: number) => {
      asked.push(`${image.width}x${image.height}->${width}x${height}`);
      return resizePixels(image, width, height);
    };
    const photo = (width: number, height: number): PixelImage => ({
      data: new Uint8Array(width * height * 3).fill(128),
      width,
      height,
      channels: 3,
    });
    expect(await modelInput(photo(64, 20), session, resize)).toHaveLength(3 * 32 * 32);
    expect(asked).toEqual([]);
    expect(await modelInput(photo(65, 20), session, resize)).toHaveLength(3 * 32 * 32);
    expect(asked).toEqual(["65x20->32x32"]);
  });
});

describe("guided filter", () => {
  it("snaps a blurry matte edge to the guide's sharp edge", () => {
    // Guide: left half black, right half white. Matte: a soft ramp across the middle.
    const w = 40;
    const h = 10;
    const guide: PixelImage = { data: new Uint8Array(w * h * 3), width: w, height: h, channels: 3 };
    const matte = new Float32Array(w * h);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        guide.data.fill(x >= w / 2 ? 255 : 0, (y * w + x) * 3, (y * w + x) * 3 + 3);
        matte[y * w + x] = Math.min(1, Math.max(0, (x - 12) / 16));
      }
    const alpha = applyGuidedFilter(fitGuidedFilter(guide, { data: matte, width: w, height: h }, 4, 1e-4), guide);
    const row = [...alpha.slice(5 * w, 6 * w)];
    // The ramp rose 16 levels per pixel everywhere; now most of the rise happens where the guide's edge is.
    const steps = row.slice(1).map((v, x) => v - (row[x] as number));
    expect(steps[19]).toBeGreaterThan(3 * 16);
    expect(Math.max(...steps)).toBe(steps[19]);
    expect(steps.every((d) => d >= 0)).toBe(true);
  });

  it("reproduces a matte that is already a linear function of the guide", () => {
    const w = 16;
    const h = 16;
    const guide: PixelImage = { data: new Uint8Array(w * h * 3), width: w, height: h, channels: 3 };
    const matte = new Float32Array(w * h);
    for (let i = 0; i < w * h; i++) {
      const v = (i * 37) % 256;
      guide.data.fill(v, i * 3, i * 3 + 3);
      matte[i] = v / 255;
    }
    const alpha = applyGuidedFilter(fitGuidedFilter(guide, { data: matte, width: w, height: h }, 2, 1e-6), guide);
    for (let i = 0; i < w * h; i++) expect(Math.abs(alpha[i] - snapped(guide.data[i * 3] / 255))).toBeLessThanOrEqual(2);
  });
});

/** The documented output mapping: alpha within SNAP of 0 or 1 snaps there, the rest is stretched linearly. */
function snapped(q: number): number {
  return Math.round(Math.min(1, Math.max(0, (q - SNAP) / (1 - 2 * SNAP))) * 255);
}

describe("applyGuidedFilter", () => {
  it("snaps alpha within SNAP of 0 or 1 and keeps the 0.5 crossing where it was", () => {
    const image: PixelImage = { data: new Uint8Array([0, 0, 0]), width: 1, height: 1, channels: 3 };
    const at = (b: number) =>
      applyGuidedFilter(
        { aR: Float32Array.of(0), aG: Float32Array.of(0), aB: Float32Array.of(0), b: Float32Array.of(b), width: 1, height: 1 },
        image,
      )[0];
    expect(SNAP).toBeGreaterThan(0);
    expect(at(SNAP * 0.9)).toBe(0);
    expect(at(1 - SNAP * 0.9)).toBe(255);
    expect(at(0.5)).toBe(128);
    expect(at(0.25)).toBe(snapped(0.25));
    expect(at(0.25)).toBeLessThan(Math.round(0.25 * 255)); // the ramp is stretched, not shifted
  });

  it("gives the same alpha as evaluating every pixel, settled regions included", () => {
    // Coefficients: left third exactly background, right third exactly subject, a colour-dependent band between.
    const cw = 12;
    const ch = 4;
    const n = cw * ch;
    const c = { aR: new Float32Array(n), aG: new Float32Array(n), aB: new Float32Array(n), b: new Float32Array(n), width: cw, height: ch };
    for (let i = 0; i < n; i++) {
      const x = i % cw;
      c.b[i] = x < 4 ? 0 : x >= 8 ? 1 : 0.2;
      c.aG[i] = x >= 4 && x < 8 ? 0.5 : 0;
    }
    const w = 50;
    const h = 17;
    const image: PixelImage = { data: Uint8Array.from({ length: w * h * 3 }, (_, i) => (i * 31) % 256), width: w, height: h, channels: 3 };
    const fast = applyGuidedFilter(c, image);
    const up = (p: Float32Array) => resizePlane({ data: p, width: cw, height: ch }, w, h).data;
    const [aR, aG, aB, b] = [up(c.aR), up(c.aG), up(c.aB), up(c.b)];
    for (let i = 0; i < w * h; i++) {
      const q = (aR[i] * image.data[i * 3] + aG[i] * image.data[i * 3 + 1] + aB[i] * image.data[i * 3 + 2]) / 255 + b[i];
      expect(Math.abs(fast[i] - snapped(q)), `pixel ${i}`).toBeLessThanOrEqual(1);
    }
    expect(fast[0]).toBe(0);
    expect(fast[w - 1]).toBe(255);
  });
});

describe("foreground colour estimation", () => {
  // Small radii run both passes at full size; large ones run the first pass at a quarter size.
  it.each([
    { w: 30, h: 6, large: 8, small: 2 },
    { w: 128, h: 72, large: 40, small: 3 },
  ])("removes the old background's tint from soft edges ($w x $h, radius $large)", ({ w, h, large, small }) => {
    // A red subject over a green background; one column is a 50% mix.
    const edgeX = w / 2;
    const image: PixelImage = { data: new Uint8Array(w * h * 3), width: w, height: h, channels: 3 };
    const alpha = new Uint8Array(w * h);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const a = x < edgeX ? 1 : x === edgeX ? 0.5 : 0;
        const i = y * w + x;
        image.data.set([Math.round(255 * a), Math.round(255 * (1 - a)), 0], i * 3);
        alpha[i] = Math.round(a * 255);
      }
    const estimate = estimateForeground(
      image,
      Float32Array.from(alpha, (a) => a / 255),
      large,
      small,
    );
    const rgba = applyForeground(image, alpha, estimate);
    const edge = ((h >> 1) * w + edgeX) * 4;
    // The photo holds (128, 127, 0) there; the subject's own colour is red.
    expect(rgba[edge]).toBeGreaterThan(230);
    expect(rgba[edge + 1]).toBeLessThan(25);
    expect(rgba[edge + 3]).toBe(128);
    // Opaque pixels keep the photo's colour exactly; transparent ones are cleared.
    expect([...rgba.slice(0, 4)]).toEqual([255, 0, 0, 255]);
    expect([...rgba.slice(edge + 4, edge + 8)]).toEqual([0, 0, 0, 0]);
  });
});

describe("refineMatte", () => {
  it("returns full-size alpha with the subject's box, multiplying existing transparency", () => {
    const w = 64;
    const h = 48;
    const data = new Uint8Array(w * h * 4);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const inside = x >= 20 && x < 44 && y >= 10 && y < 38;
        data.set(inside ? [250, 250, 250, 255] : [10, 10, 10, x < 4 ? 0 : 255], (y * w + x) * 4);
      }
    const image: PixelImage = { data, width: w, height: h, channels: 4 };
    // A coarse 32x32 matte of the same square, as a model would give.
    const matte = new Float32Array(32 * 32);
    for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) matte[y * 32 + x] = x >= 10 && x < 22 && y >= 7 && y < 25 ? 1 : 0;
    const out = refineMatte(image, image, { data: matte, width: 32, height: 32 });
    expect(out.width).toBe(w);
    expect(out.alpha.length).toBe(w * h);
    expect(out.alpha[24 * w + 32]).toBe(255);
    expect(out.alpha[24 * w + 2]).toBe(0);
    // A plain 2x bilinear stretch rises at most 128 levels a pixel; the refined edge jumps at the photo's edge.
    const row = [...out.alpha.slice(24 * w, 25 * w)];
    expect((row[20] as number) - (row[19] as number)).toBeGreaterThan(160);
    const box = out.foreground;
    expect(box).not.toBeNull();
    expect(Math.abs((box?.left ?? 0) - 20)).toBeLessThanOrEqual(3);
    expect(Math.abs((box?.width ?? 0) - 24)).toBeLessThanOrEqual(6);
  });
});

describe("foregroundBox", () => {
  it("finds the box, or null when empty", () => {
    const alpha = new Uint8Array(5 * 4);
    expect(foregroundBox(alpha, 5, 4)).toBeNull();
    alpha[1 * 5 + 2] = 255;
    alpha[2 * 5 + 3] = 200;
    expect(foregroundBox(alpha, 5, 4)).toEqual({ left: 2, top: 1, width: 2, height: 2 });
  });
});

describe("flattenOver", () => {
  it("blends a 50% pixel exactly", () => {
    const out = flattenOver(Uint8Array.from([0, 0, 255, 128, 10, 20, 30, 255, 9, 9, 9, 0]), [255, 0, 0, 255]);
    // 0.502 * (0,0,255) + 0.498 * (255,0,0)
    expect([...out]).toEqual([127, 0, 128, 10, 20, 30, 255, 0, 0]);
  });
});

describe("createZip", () => {
  it("computes the standard CRC-32", () => {
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
  });

  it("writes an archive that zip readers accept", () => {
    const dir = mkdtempSync(join(tmpdir(), "cutout-zip-"));
    const path = join(dir, "out.zip");
    writeFileSync(
      path,
      createZip([
        { name: "color.jpg", data: Uint8Array.from([1, 2, 3]) },
        { name: "alpha.png", data: new Uint8Array(1000).fill(7) },
      ]),
    );
    const listing = execFileSync(
      "python3",
      [
        "-c",
        "import sys,zipfile;z=zipfile.ZipFile(sys.argv[1]);assert z.testzip() is None;print([(i.filename,i.file_size) for i in z.infolist()])",
        path,
      ],
      {
        encoding: "utf8",
      },
    );
    expect(listing.trim()).toBe("[('color.jpg', 3), ('alpha.png', 1000)]");
  });
});
