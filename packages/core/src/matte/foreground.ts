import type { PixelImage } from "../image.js";
import { type Kernels, kernels } from "../wasm/kernels.js";
import { blurFusion } from "./blur-fusion.js";
import { type CellMask, cellMask, flaggedRuns, type Rect } from "./cells.js";
import { ForegroundRows, HeldEstimate } from "./held-estimate.js";
import { axisWeights } from "./resize.js";
import { blockCells, CELL_HEIGHT, CELL_WIDTH, softCells } from "./soft-cells.js";

export { blockCells, ForegroundRows, softCells };

/** Rows of cells of the small pass are computed in runs up to MAX_RUN wide, which keeps buffers in cache. */
const MAX_RUN = 128;

/** Foreground and background colour estimates, planar RGB in 0..1. */
export interface ColourEstimate {
  F: [Float32Array, Float32Array, Float32Array];
  B: [Float32Array, Float32Array, Float32Array];
  width: number;
  height: number;
}

/**
 * Estimates the foreground and background colours behind a matte with
 * Blur-Fusion (Forte and Pitié, "Approximate Fast Foreground Colour
 * Estimation", ICIP 2021): two passes of alpha-weighted box blurs, a large one
 * then a small one. Box blurs keep it O(1) per pixel. The large pass only
 * yields smooth colour fields, so it runs at a quarter of the size, 16 times
 * cheaper, and is upsampled for the small pass. `wanted` (from `softCells`)
 * limits the small pass to the cells that will be read; the others hold
 * whatever was there. The estimate lives in kernel memory (wasm/kernels.ts):
 * it is valid until the next one, and reading it after that throws.
 */
export function estimateForeground(
  image: PixelImage,
  alpha: Float32Array,
  largeRadius: number,
  smallRadius: number,
  wanted: CellMask = cellMask(image.width, image.height, CELL_WIDTH, CELL_HEIGHT, 1),
): ColourEstimate {
  const { width, height } = image;
  if (wanted.width !== width || wanted.height !== height) {
    throw new RangeError(`cell mask is for ${wanted.width}x${wanted.height} but the image is ${width}x${height}`);
  }
  const k = kernels();
  // The alpha first: unitAlpha's view of it is lost if holding the pixels grows the memory.
  const alphaAt = k.hold("estimate.alpha", alpha);
  const pixels = k.hold("estimate.image", image.data);
  const factor = largeRadius >= 16 && width >= 64 && height >= 64 ? 4 : 1;
  const w = factor === 1 ? width : Math.round(width / factor);
  const h = factor === 1 ? height : Math.round(height / factor);
  const smallAlpha = factor === 1 ? alphaAt : shrinkAlpha(k, alphaAt, width, height, w, h);
  const smallColours = shrinkColours(k, pixels, image, w, h);
  const first = blurFusion(
    k,
    w,
    h,
    largeRadius / factor,
    smallAlpha,
    { at: smallColours, bytes: false, channels: 3, scale: 1 },
    squares(w, h, largeRadius / factor),
    undefined,
    "estimate.large",
  );
  const estimate = blurFusion(
    k,
    width,
    height,
    smallRadius,
    alphaAt,
    { at: pixels, bytes: true, channels: image.channels, scale: 1 / 255 },
    flaggedRuns(wanted, 2 * smallRadius, MAX_RUN),
    first,
    "estimate.small",
  );
  return new HeldEstimate(estimate);
}

/**
 * Alpha bytes as 0..1 floats, for estimateForeground: written by a kernel
 * where the estimate reads them, so pass the result to it straight away
 * (a later kernel call may invalidate the view).
 */
export function unitAlpha(alpha: Uint8Array): Float32Array {
  const k = kernels();
  const { at } = k.region("estimate.alpha", alpha.length * 4);
  const staging = k.staging();
  const bytes = staging.take(alpha.length);
  k.reserve(staging.bytes);
  k.copyIn(bytes, alpha);
  k.exports.unitAlpha(bytes, alpha.length, at);
  return new Float32Array(k.buffer, at, alpha.length);
}

/** The alpha at `alpha` (width x height), bilinearly resized to w x h like resizePlane, into kernel memory. */
function shrinkAlpha(k: Kernels, alpha: number, width: number, height: number, w: number, h: number): number {
  const { at } = k.region("estimate.largeAlpha", w * h * 4);
  const rows = axisWeights(height, h);
  const [xs0, xs1, xw] = k.axis(k.staging(), axisWeights(width, w));
  for (let y = 0; y < h; y++) {
    k.exports.resizeRow(
      alpha + rows.xs0[y] * width * 4,
      alpha + rows.xs1[y] * width * 4,
      rows.xw[y],
      xs0,
      xs1,
      xw,
      width === w,
      w,
      0,
      at + y * w * 4,
    );
  }
  return at;
}

/** The photo's colours (at `pixels`) at w x h, three floats a pixel in 0..1, bilinear like resizePlane (the same colours at the photo's size). */
function shrinkColours(k: Kernels, pixels: number, image: PixelImage, w: number, h: number): number {
  const { at } = k.region("estimate.largeColours", w * h * 3 * 4);
  const staging = k.staging();
  const columns = k.axis(staging, axisWeights(image.width, w));
  const rows = k.axis(staging, axisWeights(image.height, h));
  k.exports.shrinkColours(pixels, image.width, image.channels, ...columns, ...rows, w, h, at);
  return at;
}

/**
 * The large pass's rectangles: squares much wider than its radius, so its
 * context costs little, and small enough for its buffers to stay in cache.
 */
function squares(width: number, height: number, radius: number): Rect[] {
  const side = Math.max(128, 8 * Math.ceil(radius));
  return flaggedRuns(cellMask(width, height, side, side, 1), 0, side);
}

/**
 * Writes un-premultiplied RGBA at full size: transparent pixels are black,
 * opaque pixels keep the photo's colour; soft pixels get the colour that,
 * composited over the estimated background, reproduces the photo:
 * F = (I - (1 - a) * B) / a. Where alpha is small that division amplifies
 * noise, so it fades into the smooth estimate. Every byte of `out` is written.
 */
export function applyForeground(
  image: PixelImage,
  alpha: Uint8Array,
  estimate: ColourEstimate,
  out: Uint8Array = new Uint8Array(image.width * image.height * 4),
): Uint8Array {
  const { width, height, channels } = image;
  const k = kernels();
  const staging = k.staging();
  const pxAt = staging.take(width * channels);
  const alphaAt = staging.take(width);
  const rows = new ForegroundRows(k, staging, image, estimate, out);
  for (let y = 0; y < height; y++) {
    k.copyIn(pxAt, image.data.subarray(y * width * channels, (y + 1) * width * channels));
    k.copyIn(alphaAt, alpha.subarray(y * width, (y + 1) * width));
    rows.write(y, pxAt, alphaAt);
  }
  return out;
}
