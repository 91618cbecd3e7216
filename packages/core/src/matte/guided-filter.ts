import type { PixelImage, Plane } from "../image.js";
import { boxFilter } from "./box-filter.js";
import { axisWeights } from "./resize.js";

/** Linear model q = aR*R + aG*G + aB*B + b, per pixel, at the resolution it was fitted. */
export interface GuidedCoefficients {
  aR: Float32Array;
  aG: Float32Array;
  aB: Float32Array;
  b: Float32Array;
  width: number;
  height: number;
}

/**
 * Fits the colour guided filter (He, Sun and Tang, 2013) of matte `p` with the
 * RGB guide. Inside a window the output is a linear function of the guide's
 * colour, so edges in the matte snap to edges in the photo. Fitting at a
 * reduced size and applying the coefficients at full size is the Fast Guided
 * Filter (He and Sun, 2015): full resolution costs one multiply-add per pixel.
 */
export function fitGuidedFilter(guide: PixelImage, p: Plane, radius: number, eps: number): GuidedCoefficients {
  const { width, height } = p;
  if (guide.width !== width || guide.height !== height) {
    throw new RangeError(`guide is ${guide.width}x${guide.height} but matte is ${width}x${height}`);
  }
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
  const box = (a: Float32Array) => boxFilter(a, width, height, radius);
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
    // Covariance of the guide (regularised by eps) and of guide with matte.
    const srr = mRR[i] - r * r + eps;
    const srg = mRG[i] - r * g;
    const srb = mRB[i] - r * bl;
    const sgg = mGG[i] - g * g + eps;
    const sgb = mGB[i] - g * bl;
    const sbb = mBB[i] - bl * bl + eps;
    const cr = mRP[i] - r * mp;
    const cg = mGP[i] - g * mp;
    const cb = mBP[i] - bl * mp;
    // Symmetric 3x3 inverse by cofactors.
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

/**
 * Evaluates fitted coefficients on an image of any size (bilinearly
 * upsampling them), giving an 8-bit alpha plane at that size. Most of a photo
 * is plainly subject or plainly background: where all four coefficient
 * samples say so, the pixel is written without evaluating the model.
 */
export function applyGuidedFilter(coefficients: GuidedCoefficients, image: PixelImage): Uint8Array {
  const { width, height, channels } = image;
  const cw = coefficients.width;
  const { aR, aG, aB, b } = coefficients;
  const settled = settledBlocks(coefficients);
  const { xs0, xs1, xw } = axisWeights(cw, width);
  const { xs0: ys0, xs1: ys1, xw: yw } = axisWeights(coefficients.height, height);
  const px = image.data;
  const out = new Uint8Array(width * height);
  const k = 1 / 255;
  for (let y = 0; y < height; y++) {
    const r0 = ys0[y] * cw;
    const r1 = ys1[y] * cw;
    const wy = yw[y];
    const w00y = 1 - wy;
    let o = y * width;
    let j = o * channels;
    for (let x = 0; x < width; x++, o++, j += channels) {
      const i00 = r0 + xs0[x];
      const known = settled[i00];
      if (known !== UNSETTLED) {
        out[o] = known;
        continue;
      }
      const wx = xw[x];
      const i01 = r0 + xs1[x];
      const i10 = r1 + xs0[x];
      const i11 = r1 + xs1[x];
      const w00 = (1 - wx) * w00y;
      const w01 = wx * w00y;
      const w10 = (1 - wx) * wy;
      const w11 = wx * wy;
      const cb = b[i00] * w00 + b[i01] * w01 + b[i10] * w10 + b[i11] * w11;
      const cr = aR[i00] * w00 + aR[i01] * w01 + aR[i10] * w10 + aR[i11] * w11;
      const cg = aG[i00] * w00 + aG[i01] * w01 + aG[i10] * w10 + aG[i11] * w11;
      const cbl = aB[i00] * w00 + aB[i01] * w01 + aB[i10] * w10 + aB[i11] * w11;
      const q = (cr * px[j] + cg * px[j + 1] + cbl * px[j + 2]) * k + cb;
      // Uint8Array assignment truncates; round and clamp explicitly.
      out[o] = q <= 0 ? 0 : q >= 1 ? 255 : (q * 255 + 0.5) | 0;
    }
  }
  return out;
}

const UNSETTLED = 256;

/**
 * For each coefficient cell, the 8-bit output shared by every pixel
 * interpolated from it and its right, lower and diagonal neighbours, or
 * UNSETTLED. A cell is settled when all four have almost no colour
 * dependence and an offset almost exactly 0 or 1 (each within a quarter of
 * a level), so the output rounds to the same value whatever the pixel.
 */
function settledBlocks(c: GuidedCoefficients): Uint16Array {
  const { width, height, aR, aG, aB, b } = c;
  const level = new Uint16Array(width * height);
  const tiny = 0.25 / 255 / 3;
  const margin = 0.25 / 255;
  for (let i = 0; i < level.length; i++) {
    const flat = Math.abs(aR[i]) < tiny && Math.abs(aG[i]) < tiny && Math.abs(aB[i]) < tiny;
    level[i] = !flat ? UNSETTLED : Math.abs(b[i]) < margin ? 0 : Math.abs(b[i] - 1) < margin ? 255 : UNSETTLED;
  }
  const out = new Uint16Array(width * height);
  for (let y = 0; y < height; y++) {
    const y1 = Math.min(y + 1, height - 1);
    for (let x = 0; x < width; x++) {
      const x1 = Math.min(x + 1, width - 1);
      const v = level[y * width + x];
      out[y * width + x] = v === level[y * width + x1] && v === level[y1 * width + x] && v === level[y1 * width + x1] ? v : UNSETTLED;
    }
  }
  return out;
}
