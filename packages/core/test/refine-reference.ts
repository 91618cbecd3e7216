/**
 * The refinement as it was before it learned to skip settled tiles: every
 * stage over the whole working image. Kept verbatim, only to check the
 * tiled engine against (test/refine-tiles.test.ts, scripts/profile-refine.ts).
 */
import type { PixelImage, Plane } from "../src/image.js";
import { applyForeground, type ColourEstimate } from "../src/matte/foreground.js";
import { applyGuidedFilter, type GuidedCoefficients, snapMatte } from "../src/matte/guided-filter.js";
import { resizePlane } from "../src/matte/resize.js";
import { guidedRadius } from "../src/pipeline.js";

export function referenceBoxFilter(src: Float32Array, width: number, height: number, radius: number): Float32Array {
  const r = Math.max(0, Math.floor(radius));
  const tmp = new Float32Array(width * height);
  const out = new Float32Array(width * height);
  const rowInverse = windowInverses(width, r);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let sum = 0;
    const first = Math.min(r, width - 1);
    for (let x = 0; x <= first; x++) sum += src[row + x];
    const steady = width - r - 1;
    for (let x = 0; x < width; x++) {
      tmp[row + x] = sum * rowInverse[x];
      if (x < steady) sum += src[row + x + r + 1];
      if (x >= r) sum -= src[row + x - r];
    }
  }
  const columnInverse = windowInverses(height, r);
  const sums = new Float64Array(width);
  const firstRow = Math.min(r, height - 1);
  for (let y = 0; y <= firstRow; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) sums[x] += tmp[row + x];
  }
  for (let y = 0; y < height; y++) {
    const inv = columnInverse[y];
    const row = y * width;
    for (let x = 0; x < width; x++) out[row + x] = sums[x] * inv;
    if (y + r + 1 < height) {
      const add = (y + r + 1) * width;
      for (let x = 0; x < width; x++) sums[x] += tmp[add + x];
    }
    if (y >= r) {
      const sub = (y - r) * width;
      for (let x = 0; x < width; x++) sums[x] -= tmp[sub + x];
    }
  }
  return out;
}

function windowInverses(size: number, r: number): Float64Array {
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++) out[i] = 1 / (Math.min(i + r, size - 1) - Math.max(i - r, 0) + 1);
  return out;
}

export function referenceFit(guide: PixelImage, p: Plane, radius: number, eps: number): GuidedCoefficients {
  const { width, height } = p;
  const n = width * height;
  const ch = guide.channels;
  const R = new Float32Array(n);
  const G = new Float32Array(n);
  const B = new Float32Array(n);
  for (let i = 0, j = 0; i < n; i++, j += ch) {
    R[i] = guide.data[j] / 255;
    G[i] = guide.data[j + 1] / 255;
    B[i] = guide.data[j + 2] / 255;
  }
  const P = p.data;
  const box = (a: Float32Array) => referenceBoxFilter(a, width, height, radius);
  const product = (a: Float32Array, b: Float32Array) => {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = a[i] * b[i];
    return out;
  };
  const mR = box(R);
  const mG = box(G);
  const mB = box(B);
  const mP = box(P);
  const mRP = box(product(R, P));
  const mGP = box(product(G, P));
  const mBP = box(product(B, P));
  const mRR = box(product(R, R));
  const mRG = box(product(R, G));
  const mRB = box(product(R, B));
  const mGG = box(product(G, G));
  const mGB = box(product(G, B));
  const mBB = box(product(B, B));
  const aR = new Float32Array(n);
  const aG = new Float32Array(n);
  const aB = new Float32Array(n);
  const b = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const r = mR[i];
    const g = mG[i];
    const bl = mB[i];
    const mp = mP[i];
    const srr = mRR[i] - r * r + eps;
    const srg = mRG[i] - r * g;
    const srb = mRB[i] - r * bl;
    const sgg = mGG[i] - g * g + eps;
    const sgb = mGB[i] - g * bl;
    const sbb = mBB[i] - bl * bl + eps;
    const cr = mRP[i] - r * mp;
    const cg = mGP[i] - g * mp;
    const cb = mBP[i] - bl * mp;
    const i00 = sgg * sbb - sgb * sgb;
    const i01 = srb * sgb - srg * sbb;
    const i02 = srg * sgb - srb * sgg;
    const i11 = srr * sbb - srb * srb;
    const i12 = srb * srg - srr * sgb;
    const i22 = srr * sgg - srg * srg;
    const det = srr * i00 + srg * i01 + srb * i02;
    const inv = 1 / det;
    const ar = (i00 * cr + i01 * cg + i02 * cb) * inv;
    const ag = (i01 * cr + i11 * cg + i12 * cb) * inv;
    const ab = (i02 * cr + i12 * cg + i22 * cb) * inv;
    aR[i] = ar;
    aG[i] = ag;
    aB[i] = ab;
    b[i] = mp - ar * r - ag * g - ab * bl;
  }
  return { aR: box(aR), aG: box(aG), aB: box(aB), b: box(b), width, height };
}

export function referenceEstimate(image: PixelImage, alpha: Float32Array, largeRadius: number, smallRadius: number): ColourEstimate {
  const { width, height } = image;
  const I = planes(image);
  const factor = largeRadius >= 16 && width >= 64 && height >= 64 ? 4 : 1;
  if (factor === 1) {
    const first = blurFusion(I, I, I, alpha, width, height, largeRadius);
    return blurFusion(I, first.F, first.B, alpha, width, height, smallRadius);
  }
  const w = Math.round(width / factor);
  const h = Math.round(height / factor);
  const shrink = (p: Float32Array) => resizePlane({ data: p, width, height }, w, h).data;
  const smallI = I.map(shrink);
  const first = blurFusion(smallI, smallI, smallI, shrink(alpha), w, h, largeRadius / factor);
  const grow = (p: Float32Array) => resizePlane({ data: p, width: w, height: h }, width, height).data;
  return blurFusion(I, first.F.map(grow), first.B.map(grow), alpha, width, height, smallRadius);
}

function planes(image: PixelImage): [Float32Array, Float32Array, Float32Array] {
  const { width, height, channels, data } = image;
  const n = width * height;
  const out: [Float32Array, Float32Array, Float32Array] = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  for (let i = 0, j = 0; i < n; i++, j += channels) {
    out[0][i] = data[j] / 255;
    out[1][i] = data[j + 1] / 255;
    out[2][i] = data[j + 2] / 255;
  }
  return out;
}

function blurFusion(
  I: readonly Float32Array[],
  F: readonly Float32Array[],
  B: readonly Float32Array[],
  alpha: Float32Array,
  width: number,
  height: number,
  radius: number,
): ColourEstimate {
  const n = width * height;
  const blurredAlpha = referenceBoxFilter(alpha, width, height, radius);
  const outF: Float32Array[] = [];
  const outB: Float32Array[] = [];
  const weighted = new Float32Array(n);
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < n; i++) weighted[i] = F[c][i] * alpha[i];
    const bF = referenceBoxFilter(weighted, width, height, radius);
    for (let i = 0; i < n; i++) weighted[i] = B[c][i] * (1 - alpha[i]);
    const bB = referenceBoxFilter(weighted, width, height, radius);
    const f = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const ba = blurredAlpha[i];
      const fi = bF[i] / (ba + 1e-5);
      const bi = bB[i] / (1 - ba + 1e-5);
      bB[i] = bi;
      const a = alpha[i];
      const v = fi + a * (I[c][i] - a * fi - (1 - a) * bi);
      f[i] = Math.min(Math.max(v, 0), 1);
    }
    outF.push(f);
    outB.push(bB);
  }
  return { F: outF as ColourEstimate["F"], B: outB as ColourEstimate["B"], width, height };
}

/** refineMatte (packages/core/src/pipeline.ts) with the whole-image fit and colour estimate. */
export function referenceRefine(image: PixelImage, guide: PixelImage, matte: Plane): { rgba: Uint8Array; alpha: Uint8Array } {
  const working = resizePlane(matte, guide.width, guide.height);
  snapMatte(working.data);
  const long = Math.max(guide.width, guide.height);
  const coefficients = referenceFit(guide, working, guidedRadius(guide, matte), 1e-4);
  const alpha = applyGuidedFilter(coefficients, image);
  if (image.channels === 4) multiplyAlpha(alpha, image.data);
  const guideAlpha = guide === image ? alpha : applyGuidedFilter(coefficients, guide);
  if (guide !== image && guide.channels === 4) multiplyAlpha(guideAlpha, guide.data);
  const alphaFloat = new Float32Array(guideAlpha.length);
  for (let i = 0; i < alphaFloat.length; i++) alphaFloat[i] = guideAlpha[i] / 255;
  const estimate = referenceEstimate(guide, alphaFloat, Math.max(2, Math.round(long / 22)), Math.max(1, Math.round(long / 340)));
  return { rgba: applyForeground(image, alpha, estimate), alpha };
}

function multiplyAlpha(alpha: Uint8Array, rgba: Uint8Array | Uint8ClampedArray): void {
  for (let i = 0, j = 3; i < alpha.length; i++, j += 4) {
    const a = rgba[j];
    if (a !== 255) alpha[i] = (alpha[i] * a + 127) / 255;
  }
}
