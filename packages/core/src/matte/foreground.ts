import type { PixelImage } from "../image.js";
import { type Kernels, kernels, type Layout } from "../wasm/kernels.js";
import { blurFusion, type HeldPlanes } from "./blur-fusion.js";
import { type CellMask, cellMask, flaggedRuns, type Rect } from "./cells.js";
import { axisWeights } from "./resize.js";

/**
 * Cells of the small pass. Its only context is its radius (3 px at working
 * size), so cells can be small and hug the band of soft pixels; a row of
 * cells is computed in runs up to MAX_RUN wide, which keeps buffers in cache.
 */
const CELL_WIDTH = 8;
const CELL_HEIGHT = 16;
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

/** An estimate in kernel memory, whose planes are views taken when read (the memory may have grown since). */
class HeldEstimate implements ColourEstimate {
  private readonly memory = kernels();
  readonly width: number;
  readonly height: number;

  constructor(private readonly held: HeldPlanes) {
    this.width = held.width;
    this.height = held.height;
  }

  get F(): ColourEstimate["F"] {
    return [this.plane(0), this.plane(1), this.plane(2)];
  }

  get B(): ColourEstimate["B"] {
    return [this.plane(3), this.plane(4), this.plane(5)];
  }

  /** Where the six planes start in kernel memory. */
  at(): number {
    if (!this.memory.holds(this.held.name, this.held.claim)) throw new Error("this colour estimate was replaced by a later one");
    return this.held.at;
  }

  private plane(i: number): Float32Array {
    const n = this.width * this.height;
    return new Float32Array(this.memory.buffer, this.at() + i * n * 4, n);
  }
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
 * The cells of a cellsWidth x cellsHeight colour estimate that
 * `applyForeground` reads for a width x height alpha: those holding a corner
 * of the bilinear cell under a soft pixel (0 < alpha < 255). A matte is
 * mostly 0 and 255, so these are a band along the subject's edge.
 */
export function softCells(alpha: Uint8Array, width: number, height: number, cellsWidth: number, cellsHeight: number): CellMask {
  const mask = cellMask(cellsWidth, cellsHeight, CELL_WIDTH, CELL_HEIGHT);
  const { columns, flags } = mask;
  const cellOf = (size: number, cells: number, along: number) => {
    const { xs0, xs1 } = axisWeights(cells, size);
    return [xs0.map((v) => Math.floor(v / along)), xs1.map((v) => Math.floor(v / along))];
  };
  const [cx0, cx1] = cellOf(width, cellsWidth, CELL_WIDTH);
  const [cy0, cy1] = cellOf(height, cellsHeight, CELL_HEIGHT);
  // Read four pixels at a time, as one word: most words are all 0 or all 255 and are skipped whole.
  const bytes = alpha.byteOffset % 4 === 0 ? alpha : alpha.slice();
  const words = new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2);
  // The row's soft pixels mark their columns of cells here; its one or two rows of cells take them at its end.
  const hits = new Uint8Array(columns);
  for (let y = 0; y < height; y++) {
    const start = y * width;
    const end = start + width;
    let hit = false;
    for (let i = start; i < end; ) {
      let last = i;
      if ((i & 3) === 0 && i + 4 <= end) {
        const word = words[i >> 2];
        last = i + 3;
        if (word === 0 || word === -1) {
          i += 4;
          continue;
        }
      } else if (bytes[i] === 0 || bytes[i] === 255) {
        i++;
        continue;
      }
      // A mixed word marks the cells under all four pixels: a few more cells to compute, never one too few.
      for (let c = cx0[i - start]; c <= cx1[last - start]; c++) hits[c] = 1;
      hit = true;
      i = last + 1;
    }
    if (!hit) continue;
    for (let c = 0; c < columns; c++) {
      if (hits[c] === 0) continue;
      flags[cy0[y] * columns + c] = 1;
      flags[cy1[y] * columns + c] = 1;
      hits[c] = 0;
    }
  }
  return mask;
}

/**
 * As softCells, from a guided fit's settled blocks (guided-filter.ts)
 * instead of the full-size alpha: the cells under every block whose pixels
 * may be soft, with its right and lower neighbours (the bilinear corners
 * those pixels read). A superset of softCells' cells, found without the
 * full-size alpha, so the colours can be estimated before it is written.
 */
export function blockCells(settled: Uint16Array, width: number, height: number, unsettled: number): CellMask {
  const mask = cellMask(width, height, CELL_WIDTH, CELL_HEIGHT);
  const { columns, flags } = mask;
  const hits = new Uint8Array(columns);
  for (let y = 0; y < height; y++) {
    let hit = false;
    for (let x = 0, i = y * width; x < width; x++, i++) {
      if (settled[i] !== unsettled) continue;
      hits[Math.floor(x / CELL_WIDTH)] = 1;
      hits[Math.floor(Math.min(x + 1, width - 1) / CELL_WIDTH)] = 1;
      hit = true;
    }
    if (!hit) continue;
    const rows = [Math.floor(y / CELL_HEIGHT), Math.floor(Math.min(y + 1, height - 1) / CELL_HEIGHT)];
    for (let c = 0; c < columns; c++) {
      if (hits[c] === 0) continue;
      for (const row of rows) flags[row * columns + c] = 1;
      hits[c] = 0;
    }
  }
  return mask;
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

/**
 * applyForeground a row at a time, for a caller that has each row's pixels
 * and alpha in kernel memory (applyGuidedFilter, cutting out in one pass).
 * The arithmetic is the kernel writeForeground (packages/core/assembly/foreground.ts),
 * which reads the estimate in place.
 */
export class ForegroundRows {
  private readonly estimate: number;
  private readonly plane: number;
  private readonly columns: [number, number, number];
  private readonly rows: ReturnType<typeof axisWeights>;
  private readonly rgba: number;
  private readonly blended: number;

  /** Takes what it needs from `staging`: the caller takes nothing after it. */
  constructor(
    private readonly k: Kernels,
    staging: Layout,
    private readonly image: PixelImage,
    private readonly source: ColourEstimate,
    readonly out: Uint8Array,
  ) {
    const { width, height } = image;
    if (out.length !== width * height * 4) throw new RangeError(`out has ${out.length} bytes, an RGBA image ${width * height * 4}`);
    this.plane = source.width * source.height;
    this.estimate = source instanceof HeldEstimate ? source.at() : staging.take(this.plane * 6 * 4);
    this.columns = k.axis(staging, axisWeights(source.width, width));
    this.rows = axisWeights(source.height, height);
    this.rgba = staging.take(width * 4);
    this.blended = staging.take(source.width * 6 * 8);
    k.reserve(staging.bytes);
    // An estimate made elsewhere (a test's reference) is copied in whole.
    if (!(source instanceof HeldEstimate))
      for (const [i, p] of [...source.F, ...source.B].entries()) k.copyIn(this.estimate + i * this.plane * 4, p);
  }

  /**
   * Row y, from its pixels and alpha at pxAt and alphaAt in kernel memory;
   * with `count` runs at runsAt (applyRow's), the settled runs are written whole.
   */
  write(y: number, pxAt: number, alphaAt: number, runsAt = 0, count = 0): void {
    const { width, channels } = this.image;
    const ew = this.source.width;
    const { rows } = this;
    this.k.exports.writeForeground(
      pxAt,
      channels,
      alphaAt,
      0,
      width,
      runsAt,
      count,
      this.estimate,
      this.plane,
      rows.xs0[y] * ew,
      rows.xs1[y] * ew,
      rows.xw[y],
      ...this.columns,
      this.rgba,
      this.blended,
    );
    this.out.set(new Uint8Array(this.k.buffer, this.rgba, width * 4), y * width * 4);
  }
}
