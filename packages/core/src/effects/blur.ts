import type { PixelImage } from "../image.js";
import { blurChannels } from "./box-blur.js";
import { type Bytes, toByte } from "./types.js";

/**
 * Gaussian-like blur of un-premultiplied RGBA with standard deviation `radius`
 * pixels (as CSS `filter: blur()`), done on premultiplied values so transparent
 * pixels (RGB 0) do not darken their neighbours. Image edges are renormalized.
 */
export function blurRgba(rgba: Bytes, width: number, height: number, radius: number): Uint8Array {
  const f = new Float32Array(width * height * 4);
  for (let j = 0; j < f.length; j += 4) {
    const a = rgba[j + 3];
    f[j] = rgba[j] * a;
    f[j + 1] = rgba[j + 1] * a;
    f[j + 2] = rgba[j + 2] * a;
    f[j + 3] = a;
  }
  blurChannels(f, width, height, 4, radius);
  const out = new Uint8Array(f.length);
  for (let j = 0; j < f.length; j += 4) {
    const a = f[j + 3];
    const alpha = toByte(a);
    if (alpha === 0) continue;
    out[j] = toByte(f[j] / a);
    out[j + 1] = toByte(f[j + 1] / a);
    out[j + 2] = toByte(f[j + 2] / a);
    out[j + 3] = alpha;
  }
  return out;
}

/**
 * Below this blurred background weight a pixel has little background near it and
 * is blended towards the coarser level, fully so at 0, so no seam shows.
 */
const BLEND = 0.05;

/** Weighted channels on some grid: R·w, G·w, B·w, w, and for RGBA photos m (see blurredBackground). */
interface Level {
  data: Float32Array;
  width: number;
  height: number;
  channels: 4 | 5;
}

/**
 * The photo's background, blurred, as un-premultiplied RGBA the photo's size.
 *
 * The subject (`alpha`, one byte a pixel) is cut out by normalized convolution,
 * blur(I·(1−α)) / blur(1−α), so its colour does not smear into the background;
 * an RGBA photo's own alpha also weights its pixels (and its blurred alpha is
 * the output's). `radius` is the Gaussian's standard deviation for a 1000 px
 * image and is scaled by max(w, h) / 1000, so radius 20 looks the same on a
 * thumbnail and on a 25 MP photo.
 *
 * Speed: a blur of sigma >= 8 px runs on a grid k = floor(sigma / 4) times
 * coarser (block averages in, bilinear out), which the blur makes invisible,
 * so large radii cost less, never more. Where the subject is wider than the
 * blur reaches, the hole is filled from a pyramid of 4x coarser levels,
 * blended in as the background weight falls below 5%; a photo with no
 * background at all is simply blurred.
 */
export function blurredBackground(photo: PixelImage, alpha: Bytes, radius: number): Uint8Array {
  const sigma = (Math.max(0, radius) * Math.max(photo.width, photo.height)) / 1000;
  const k = Math.max(1, Math.floor(sigma / 4));
  // Block averaging in and bilinear out already blur by variances (k² − 1) / 12 and k² / 6; the blur adds the rest.
  const coarseSigma = k === 1 ? sigma : Math.sqrt(Math.max(0, sigma * sigma - (k * k - 1) / 12 - (k * k) / 6)) / k;
  const result =
    normalizedBlur(weightedSums(photo, alpha, k, false), coarseSigma) ?? normalizedBlur(weightedSums(photo, alpha, k, true), coarseSigma);
  const out = new Uint8Array(photo.width * photo.height * 4);
  if (!result) return out;
  const { width, height } = photo;
  const rows = k > 1 ? rowReader(result, width, k) : null;
  const ys = axis(height, result.height, k);
  for (let y = 0, o = 0; y < height; y++) {
    // Bilinear: two coarse rows already widened to full width, blended per row; at k = 1 the result is read in place.
    const a = rows ? rows(ys.i0[y]) : result.data;
    const b = rows ? rows(ys.i1[y]) : result.data;
    const t = ys.t[y];
    for (let x = 0, p = rows ? 0 : o; x < width; x++, o += 4, p += 4) {
      const opacity = toByte((a[p + 3] + (b[p + 3] - a[p + 3]) * t) * 255);
      if (opacity === 0) continue;
      out[o] = toByte(a[p] + (b[p] - a[p]) * t);
      out[o + 1] = toByte(a[p + 1] + (b[p + 1] - a[p + 1]) * t);
      out[o + 2] = toByte(a[p + 2] + (b[p + 2] - a[p + 2]) * t);
      out[o + 3] = opacity;
    }
  }
  return out;
}

/**
 * Rows of a four-float level widened to `width` by linear interpolation, with
 * the last two kept: rows are asked for in order, so each is widened once.
 */
function rowReader(level: Level, width: number, k: number): (row: number) => Float32Array {
  const xs = axis(width, level.width, k);
  const keys = [-1, -1];
  const bufs = [new Float32Array(width * 4), new Float32Array(width * 4)];
  return (row) => {
    const hit = keys.indexOf(row);
    if (hit >= 0) return bufs[hit] as Float32Array;
    const slot = (keys[0] as number) < (keys[1] as number) ? 0 : 1;
    const buf = bufs[slot] as Float32Array;
    const d = level.data;
    const base = row * level.width * 4;
    for (let x = 0, o = 0; x < width; x++, o += 4) {
      const i = base + xs.i0[x] * 4;
      const j = base + xs.i1[x] * 4;
      const t = xs.t[x];
      for (let ch = 0; ch < 4; ch++) buf[o + ch] = d[i + ch] + (d[j + ch] - d[i + ch]) * t;
    }
    keys[slot] = row;
    return buf;
  };
}

/** k x k block averages of the weighted channels, m = 1 − α (1 when ignoring the subject), w = m · photo alpha. */
function weightedSums(photo: PixelImage, alpha: Bytes, k: number, ignoreSubject: boolean): Level {
  const { width, height, channels: pc, data: src } = photo;
  const c = pc === 4 ? 5 : 4;
  const sw = Math.ceil(width / k);
  const sh = Math.ceil(height / k);
  const data = new Float32Array(sw * sh * c);
  for (let y = 0; y < height; y++) {
    const row = Math.floor(y / k) * sw;
    for (let x = 0, bx = 0, step = 0; x < width; x++) {
      const i = y * width + x;
      const j = i * pc;
      const m = ignoreSubject ? 1 : 1 - alpha[i] / 255;
      const w = pc === 4 ? m * (src[j + 3] / 255) : m;
      const o = (row + bx) * c;
      data[o] += src[j] * w;
      data[o + 1] += src[j + 1] * w;
      data[o + 2] += src[j + 2] * w;
      data[o + 3] += w;
      if (c === 5) data[o + 4] += m;
      if (++step === k) {
        step = 0;
        bx++;
      }
    }
  }
  if (k > 1) {
    for (let by = 0; by < sh; by++) {
      const rows = Math.min(k, height - by * k);
      for (let bx = 0; bx < sw; bx++) {
        const inv = 1 / (rows * Math.min(k, width - bx * k));
        for (let ch = 0, o = (by * sw + bx) * c; ch < c; ch++) data[o + ch] *= inv;
      }
    }
  }
  return { data, width: sw, height: sh, channels: c };
}

/**
 * Blurs a level and normalizes it into colour (0..255) and alpha (0..1), four
 * floats a pixel. Where the blurred background weight is below BLEND, the
 * pixel is blended with the same blur on a 4x coarser level (so 4x wider),
 * recursively; null when the level holds no background at all.
 */
function normalizedBlur(level: Level, sigma: number): Level | null {
  const { width, height, channels: c } = level;
  const blurred = blurChannels(level.data.slice(), width, height, c, sigma);
  const n = width * height;
  const out = new Float32Array(n * 4);
  let holes = false;
  for (let i = 0, o = 0; i < n; i++, o += c) {
    const mass = blurred[o + c - 1];
    const w = blurred[o + 3];
    if (mass < BLEND) holes = true;
    if (mass > 0 && w > 0) {
      out[i * 4] = blurred[o] / w;
      out[i * 4 + 1] = blurred[o + 1] / w;
      out[i * 4 + 2] = blurred[o + 2] / w;
      out[i * 4 + 3] = w / mass;
    }
  }
  const result: Level = { data: out, width, height, channels: 4 };
  if (!holes) return result;
  // A single pixel has nothing coarser to ask: any background at all will do.
  if (n === 1) return blurred[c - 1] > 1e-12 ? result : null;
  const coarse = normalizedBlur(shrink(level, 4), Math.max(sigma, 1));
  if (!coarse) return null;
  const xs = axis(width, coarse.width, 4);
  const ys = axis(height, coarse.height, 4);
  const px = new Float32Array(4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const mass = blurred[i * c + c - 1];
      if (mass >= BLEND) continue;
      const keep = Math.max(0, mass) / BLEND;
      sample(coarse, xs, ys, x, y, px);
      for (let ch = 0; ch < 4; ch++) out[i * 4 + ch] = out[i * 4 + ch] * keep + px[ch] * (1 - keep);
    }
  return result;
}

/** f x f block averages of a level (partial blocks at the edges averaged over what they hold). */
function shrink(level: Level, f: number): Level {
  const { width, height, channels: c, data } = level;
  const sw = Math.ceil(width / f);
  const sh = Math.ceil(height / f);
  const out = new Float32Array(sw * sh * c);
  for (let y = 0, j = 0; y < height; y++) {
    const row = ((y / f) | 0) * sw * c;
    for (let x = 0; x < width; x++, j += c) {
      const o = row + ((x / f) | 0) * c;
      for (let ch = 0; ch < c; ch++) out[o + ch] += data[j + ch];
    }
  }
  for (let by = 0; by < sh; by++)
    for (let bx = 0; bx < sw; bx++) {
      const inv = 1 / (Math.min(f, height - by * f) * Math.min(f, width - bx * f));
      for (let ch = 0; ch < c; ch++) out[(by * sw + bx) * c + ch] *= inv;
    }
  return { data: out, width: sw, height: sh, channels: c };
}

/** Bilinear lookup positions along one axis from a fine grid into one k times coarser (block centres at (i + 0.5) k). */
function axis(size: number, coarse: number, k: number): { i0: Int32Array; i1: Int32Array; t: Float32Array } {
  const i0 = new Int32Array(size);
  const i1 = new Int32Array(size);
  const t = new Float32Array(size);
  for (let x = 0; x < size; x++) {
    const f = Math.min(coarse - 1, Math.max(0, (x + 0.5) / k - 0.5));
    i0[x] = Math.floor(f);
    i1[x] = Math.min(i0[x] + 1, coarse - 1);
    t[x] = f - i0[x];
  }
  return { i0, i1, t };
}

type Axis = ReturnType<typeof axis>;

/** Bilinear sample of a four-float level at fine pixel (x, y). */
function sample(level: Level, xs: Axis, ys: Axis, x: number, y: number, px: Float32Array): void {
  const w = level.width;
  const d = level.data;
  const a = (ys.i0[y] * w + xs.i0[x]) * 4;
  const b = (ys.i0[y] * w + xs.i1[x]) * 4;
  const c = (ys.i1[y] * w + xs.i0[x]) * 4;
  const e = (ys.i1[y] * w + xs.i1[x]) * 4;
  const tx = xs.t[x];
  const ty = ys.t[y];
  for (let ch = 0; ch < 4; ch++) {
    const top = d[a + ch] + (d[b + ch] - d[a + ch]) * tx;
    const bottom = d[c + ch] + (d[e + ch] - d[c + ch]) * tx;
    px[ch] = top + (bottom - top) * ty;
  }
}
