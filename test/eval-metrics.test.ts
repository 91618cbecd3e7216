// Unit tests of pnpm eval's metrics (bench/src/metrics.ts, bench/src/resample.ts)
// on tiny synthetic masks whose values are worked out by hand in the comments.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type AlphaPlane,
  binarize,
  boundaryBand,
  boundaryIou,
  boundaryWidth,
  erode,
  gaussianDerivativeKernels,
  gradientError,
  gradientMagnitude,
  iou,
  mae,
  meanOf,
  mse,
  sad,
} from "../bench/src/metrics.js";
import { coarseMatte, resampleAlpha, unknownRegion } from "../bench/src/resample.js";

const plane = (width: number, height: number, values: number[] | ((x: number, y: number) => number)): AlphaPlane => {
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data[y * width + x] = typeof values === "function" ? values(x, y) : values[y * width + x];
  }
  return { data, width, height };
};

/** A w x h plane that is 1 inside the rectangle [x0, x1) x [y0, y1). */
const rect = (w: number, h: number, x0: number, y0: number, x1: number, y1: number) =>
  plane(w, h, (x, y) => (x >= x0 && x < x1 && y >= y0 && y < y1 ? 1 : 0));

describe("IoU", () => {
  it("thresholds at 0.5 inclusive", () => {
    // pred -> [1, 0, 1, 1], gt -> [1, 1, 0, 1]: intersection 2, union 4.
    expect(iou(plane(2, 2, [0.6, 0.4, 0.5, 0.9]), plane(2, 2, [1, 1, 0, 1]))).toBeCloseTo(0.5, 12);
    expect(Array.from(binarize(new Float32Array([0.49, 0.5, 0.51])))).toEqual([0, 1, 1]);
  });

  it("is 1 for identical masks and for two empty ones, 0 for disjoint ones", () => {
    const a = rect(6, 6, 1, 1, 4, 4);
    expect(iou(a, a)).toBe(1);
    expect(
      iou(
        plane(3, 3, () => 0),
        plane(3, 3, () => 0),
      ),
    ).toBe(1);
    expect(iou(rect(6, 6, 0, 0, 3, 6), rect(6, 6, 3, 0, 6, 6))).toBe(0);
  });

  it("rejects planes of different sizes", () => {
    expect(() => iou(rect(4, 4, 0, 0, 1, 1), rect(4, 5, 0, 0, 1, 1))).toThrow(RangeError);
  });
});

describe("Boundary IoU", () => {
  it("uses a band of 3% of the diagonal, at least one pixel", () => {
    expect(boundaryWidth(8, 8)).toBe(1); // 0.03 * 11.3 = 0.34
    expect(boundaryWidth(300, 400)).toBe(15); // 0.03 * 500
    expect(boundaryWidth(226, 140)).toBe(8); // 0.03 * 265.8 = 7.97
  });

  it("erodes by a (2d+1) square with the outside as background", () => {
    // A full 5x5 mask: only the 3x3 centre survives d = 1; only the centre pixel survives d = 2.
    const full = new Uint8Array(25).fill(1);
    expect(Array.from(erode(full, 5, 5, 1))).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(erode(full, 5, 5, 2)).reduce((s, v) => s + v, 0)).toBe(1);
    // The band is the mask minus its erosion: the 16 border pixels.
    expect(Array.from(boundaryBand(full, 5, 5, 1)).reduce((s, v) => s + v, 0)).toBe(16);
  });

  it("matches a brute-force erosion on random masks", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 0, max: 3 }),
        fc.infiniteStream(fc.boolean()),
        (w, h, d, bits) => {
          const it = bits[Symbol.iterator]();
          const mask = Uint8Array.from({ length: w * h }, () => (it.next().value ? 1 : 0));
          const expected = new Uint8Array(w * h);
          for (let y = 0; y < h; y++) {
            for (let x = 0; x < w; x++) {
              let all = true;
              for (let dy = -d; dy <= d && all; dy++) {
                for (let dx = -d; dx <= d && all; dx++) {
                  const xx = x + dx;
                  const yy = y + dy;
                  all = xx >= 0 && yy >= 0 && xx < w && yy < h && mask[yy * w + xx] === 1;
                }
              }
              expected[y * w + x] = all ? 1 : 0;
            }
          }
          expect(Array.from(erode(mask, w, h, d))).toEqual(Array.from(expected));
        },
      ),
    );
  });

  it("scores a one-pixel shift of a 4x4 square in an 8x8 image as 1/3", () => {
    // gt: rows 2..5, cols 2..5; pred: rows 2..5, cols 3..6; d = 1.
    // Each band is the square's 12-pixel ring. Shared: rows 2 and 5 at cols 3..5 = 6 pixels
    // (the side columns 2,5 and 3,6 do not meet). Union 12 + 12 - 6 = 18, so 6/18.
    const gt = rect(8, 8, 2, 2, 6, 6);
    const pred = rect(8, 8, 3, 2, 7, 6);
    expect(boundaryIou(pred, gt)).toBeCloseTo(1 / 3, 12);
    // Mask IoU is kinder to the same shift: 12 / 20.
    expect(iou(pred, gt)).toBeCloseTo(0.6, 12);
  });

  it("is 1 for identical masks and 0 when the bands do not meet", () => {
    const a = rect(10, 10, 2, 2, 8, 8);
    expect(boundaryIou(a, a)).toBe(1);
    expect(boundaryIou(rect(10, 10, 0, 0, 4, 10), rect(10, 10, 6, 0, 10, 10))).toBe(0);
  });
});

describe("SAD, MAE, MSE", () => {
  // |pred - gt| = [0, 0.5, 0, 1]; squared [0, 0.25, 0, 1].
  const pred = plane(2, 2, [0, 0.5, 1, 1]);
  const gt = plane(2, 2, [0, 1, 1, 0]);

  it("over the whole image", () => {
    expect(sad(pred, gt)).toBeCloseTo(1.5 / 1000, 12);
    expect(mae(pred, gt)).toBeCloseTo(1.5 / 4, 7);
    expect(mse(pred, gt)).toBeCloseTo(1.25 / 4, 7);
  });

  it("inside a region only", () => {
    const region = Uint8Array.from([1, 1, 0, 1]);
    expect(sad(pred, gt, region)).toBeCloseTo(1.5 / 1000, 12);
    expect(mae(pred, gt, region)).toBeCloseTo(1.5 / 3, 7);
    expect(mse(pred, gt, region)).toBeCloseTo(1.25 / 3, 7);
    expect(sad(pred, gt, Uint8Array.from([0, 0, 1, 0]))).toBe(0);
    expect(mse(pred, gt, new Uint8Array(4))).toBe(0);
  });

  it("averages each field with meanOf", () => {
    expect(
      meanOf([
        { a: 1, b: 4 },
        { a: 3, b: 0 },
      ]),
    ).toEqual({ a: 2, b: 2 });
  });
});

describe("gradient error", () => {
  it("uses the reference 9-tap Gaussian-derivative kernels for sigma 1.4", () => {
    const { smooth, derivative, half } = gaussianDerivativeKernels(1.4);
    // half = ceil(1.4 * sqrt(-2 ln(sqrt(2 pi) * 1.4 * 0.01))) = ceil(3.62) = 4
    expect(half).toBe(4);
    expect(smooth.length).toBe(9);
    const norm = (v: Float64Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
    expect(norm(smooth)).toBeCloseTo(1, 12);
    expect(norm(derivative)).toBeCloseTo(1, 12);
    for (let i = 0; i < 9; i++) {
      expect(smooth[i]).toBeCloseTo(smooth[8 - i], 12);
      expect(derivative[i]).toBeCloseTo(-derivative[8 - i], 12);
    }
    expect(derivative[4]).toBeCloseTo(0, 12);
    expect(smooth[4]).toBeCloseTo(0.634818, 6);
  });

  it("gives 9.6838 x the slope on a linear ramp, in either direction", () => {
    // For alpha = c x: |grad| = c * (sum u^2 g(u) / sigma^2) / ||g'|| * (sum g) / ||g|| = 9.68383 c,
    // with g the 9 Gaussian samples (sigma 1.4) and g' = -u g / sigma^2.
    const c = 0.01;
    const gx = gradientMagnitude(plane(20, 20, (x) => c * x));
    const gy = gradientMagnitude(plane(20, 20, (_x, y) => c * y));
    expect(gx[10 * 20 + 10]).toBeCloseTo(0.0968383, 6);
    expect(gy[10 * 20 + 10]).toBeCloseTo(0.0968383, 6);
    // Constant alpha: no gradient anywhere, borders included.
    expect(Math.max(...gradientMagnitude(plane(7, 5, () => 0.3)))).toBeCloseTo(0, 6);
  });

  it("sums squared differences of gradient magnitudes over the region, / 1000", () => {
    // pred = ramp of slope 0.01 along x, gt = 0. Inside x, y in 4..15 (144 pixels, the
    // ramp's filter never reaches a border) each pixel adds (0.0968383)^2 = 0.00937766.
    const pred = plane(20, 20, (x) => 0.01 * x);
    const gt = plane(20, 20, () => 0);
    const region = Uint8Array.from({ length: 400 }, (_, i) =>
      i % 20 >= 4 && i % 20 <= 15 && Math.floor(i / 20) >= 4 && Math.floor(i / 20) <= 15 ? 1 : 0,
    );
    expect(gradientError(pred, gt, region)).toBeCloseTo((144 * 0.0968383 ** 2) / 1000, 8);
    expect(gradientError(pred, pred)).toBe(0);
    // Symmetric in its arguments, since only the magnitudes' difference is squared.
    expect(gradientError(gt, pred, region)).toBeCloseTo(gradientError(pred, gt, region), 12);
  });
});

describe("resampling and the refinement protocol", () => {
  it("area-averages along a shrinking axis", () => {
    // 3 -> 2: output 0 covers [0, 1.5), output 1 covers [1.5, 3).
    const r = resampleAlpha(plane(3, 1, [0, 0.3, 0.9]), 2, 1);
    expect(r.data[0]).toBeCloseTo((0 + 0.5 * 0.3) / 1.5, 6); // 0.1
    expect(r.data[1]).toBeCloseTo((0.5 * 0.3 + 0.9) / 1.5, 6); // 0.7
    // 4x4 -> 2x2: the mean of each 2x2 block.
    const b = resampleAlpha(plane(4, 4, [1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1]), 2, 2);
    expect(Array.from(b.data)).toEqual([0.75, 0, 0, 1]);
  });

  it("is bilinear, centre-aligned, along a growing axis", () => {
    // 2 -> 4: sample positions -0.25 (clamped), 0.25, 0.75, 1.25 (clamped).
    expect(Array.from(resampleAlpha(plane(2, 1, [0, 1]), 4, 1).data)).toEqual([0, 0.25, 0.75, 1]);
  });

  it("coarsens the ground truth to the long side, thresholded at 0.5", () => {
    // 8x8, left 5 columns opaque -> 4x4 by 2x2 areas: column means 1, 1, 0.5, 0 -> 1, 1, 1, 0.
    const c = coarseMatte(rect(8, 8, 0, 0, 5, 8), 4);
    expect([c.width, c.height]).toEqual([4, 4]);
    expect(Array.from(c.data.slice(0, 4))).toEqual([1, 1, 1, 0]);
    // Aspect ratio kept: 320x160 with long side 80 -> 80x40.
    const d = coarseMatte(
      plane(320, 160, () => 0.7),
      80,
    );
    expect([d.width, d.height]).toEqual([80, 40]);
    expect(d.data.every((v) => v === 1)).toBe(true);
  });

  it("reads the trimap's grey pixels as unknown", () => {
    expect(Array.from(unknownRegion(Uint8Array.from([0, 63, 64, 128, 191, 192, 255])))).toEqual([0, 0, 1, 1, 1, 0, 0]);
  });
});
