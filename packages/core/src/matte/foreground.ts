import type { PixelImage } from "../image.js";
import type { Scratch } from "../scratch.js";
import { blurFusion, type Colours, type FusionRow, TERMS } from "./blur-fusion.js";
import { type CellMask, cellMask, flaggedRuns, type Rect } from "./cells.js";
import { axisWeights, resizePlane } from "./resize.js";

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
 * limits the small pass to the cells that will be read; the others stay 0
 * (with `scratch`, from which the estimate is then borrowed, they hold
 * whatever was there).
 */
export function estimateForeground(
  image: PixelImage,
  alpha: Float32Array,
  largeRadius: number,
  smallRadius: number,
  wanted: CellMask = cellMask(image.width, image.height, CELL_WIDTH, CELL_HEIGHT, 1),
  scratch?: Scratch,
): ColourEstimate {
  const { width, height } = image;
  if (wanted.width !== width || wanted.height !== height) {
    throw new RangeError(`cell mask is for ${wanted.width}x${wanted.height} but the image is ${width}x${height}`);
  }
  const factor = largeRadius >= 16 && width >= 64 && height >= 64 ? 4 : 1;
  const w = factor === 1 ? width : Math.round(width / factor);
  const h = factor === 1 ? height : Math.round(height / factor);
  const smallAlpha = factor === 1 ? alpha : resizePlane({ data: alpha, width, height }, w, h).data;
  const smallI = shrinkColours(image, w, h);
  const small: Colours = { data: smallI, channels: 3, scale: 1 };
  const first = blurFusion(
    w,
    h,
    largeRadius / factor,
    smallAlpha,
    small,
    squares(w, h, largeRadius / factor),
    photoTerms(smallI, smallAlpha, w),
    scratch,
    "large",
  );
  const photo: Colours = { data: image.data, channels: image.channels, scale: 1 / 255 };
  return blurFusion(
    width,
    height,
    smallRadius,
    alpha,
    photo,
    flaggedRuns(wanted, 2 * smallRadius, MAX_RUN),
    upsampledTerms(first, alpha, width, height),
    scratch,
    "small",
  );
}

/** The first pass's terms: the photo's own colours stand for both the foreground and the background. */
function photoTerms(colours: Float32Array, alpha: Float32Array, width: number): FusionRow {
  return (y, x0, x1, out) => {
    for (let i = y * width + x0, o = 0; i < y * width + x1; i++, o += TERMS) {
      const a = alpha[i];
      out[o] = a;
      for (let c = 0; c < 3; c++) {
        const v = colours[i * 3 + c];
        out[o + 1 + c] = v * a;
        out[o + 4 + c] = v * (1 - a);
      }
    }
  };
}

/**
 * The second pass's terms, from the first pass's estimates upsampled
 * bilinearly to `alpha`'s size as resizePlane would: down each column once
 * per row, then along the row.
 */
function upsampledTerms(first: ColourEstimate, alpha: Float32Array, width: number, height: number): FusionRow {
  const { width: w, height: h } = first;
  const { xs0, xs1, xw } = axisWeights(w, width);
  const { xs0: ys0, xs1: ys1, xw: yw } = axisWeights(h, height);
  const planes = [...first.F, ...first.B];
  const column = new Float64Array(planes.length * w);
  return (y, x0, x1, out) => {
    const r0 = ys0[y] * w;
    const r1 = ys1[y] * w;
    const wy = yw[y];
    const c0 = xs0[x0];
    for (let k = 0; k < 6; k++) {
      const p = planes[k];
      for (let c = c0, o = k; c <= xs1[x1 - 1]; c++, o += 6) column[o] = p[r0 + c] + (p[r1 + c] - p[r0 + c]) * wy;
    }
    for (let x = x0, i = y * width + x0, o = 0; x < x1; x++, i++, o += TERMS) {
      const a = alpha[i];
      const j0 = (xs0[x] - c0) * 6;
      const j1 = (xs1[x] - c0) * 6;
      const wx = xw[x];
      out[o] = a;
      out[o + 1] = (column[j0] + (column[j1] - column[j0]) * wx) * a;
      out[o + 2] = (column[j0 + 1] + (column[j1 + 1] - column[j0 + 1]) * wx) * a;
      out[o + 3] = (column[j0 + 2] + (column[j1 + 2] - column[j0 + 2]) * wx) * a;
      out[o + 4] = (column[j0 + 3] + (column[j1 + 3] - column[j0 + 3]) * wx) * (1 - a);
      out[o + 5] = (column[j0 + 4] + (column[j1 + 4] - column[j0 + 4]) * wx) * (1 - a);
      out[o + 6] = (column[j0 + 5] + (column[j1 + 5] - column[j0 + 5]) * wx) * (1 - a);
    }
  };
}

/** The photo's colours at w x h, interleaved, bilinear like resizePlane (the same colours when the size is the photo's). */
function shrinkColours(image: PixelImage, w: number, h: number): Float32Array {
  const { width, height, channels, data } = image;
  const out = new Float32Array(w * h * 3);
  const { xs0, xs1, xw } = axisWeights(width, w);
  const { xs0: ys0, xs1: ys1, xw: yw } = axisWeights(height, h);
  const k = 1 / 255;
  for (let y = 0, o = 0; y < h; y++) {
    const r0 = ys0[y] * width;
    const r1 = ys1[y] * width;
    const wy = yw[y];
    for (let x = 0; x < w; x++) {
      const j00 = (r0 + xs0[x]) * channels;
      const j01 = (r0 + xs1[x]) * channels;
      const j10 = (r1 + xs0[x]) * channels;
      const j11 = (r1 + xs1[x]) * channels;
      const wx = xw[x];
      for (let c = 0; c < 3; c++, o++) {
        const top = data[j00 + c] + (data[j01 + c] - data[j00 + c]) * wx;
        const bottom = data[j10 + c] + (data[j11 + c] - data[j10 + c]) * wx;
        out[o] = (top + (bottom - top) * wy) * k;
      }
    }
  }
  return out;
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
 * opaque pixels keep the photo's
 * colour; soft pixels get the colour that, composited over the estimated
 * background, reproduces the photo: F = (I - (1 - a) * B) / a. Where alpha is
 * small that division amplifies noise, so it fades into the smooth estimate.
 * Every byte of `out` is written.
 */
export function applyForeground(
  image: PixelImage,
  alpha: Uint8Array,
  estimate: ColourEstimate,
  out: Uint8Array = new Uint8Array(image.width * image.height * 4),
): Uint8Array {
  const writer = new ForegroundWriter(image, estimate, out);
  for (let y = 0; y < image.height; y++) writer.write(y, 0, image.width, alpha);
  return out;
}

/**
 * applyForeground a run of pixels at a time, for a caller that knows its
 * alpha row by row (the pipeline's single full-size pass).
 */
export class ForegroundWriter {
  private readonly words: Uint32Array;
  private readonly columns: ReturnType<typeof axisWeights>;
  private readonly rows: ReturnType<typeof axisWeights>;
  /** The estimate's F and B planes blended down to the current row, interleaved per column. */
  private readonly blended: Float64Array;

  constructor(
    private readonly image: PixelImage,
    private readonly estimate: ColourEstimate,
    readonly out: Uint8Array,
  ) {
    const { width, height } = image;
    if (out.length !== width * height * 4) throw new RangeError(`out has ${out.length} bytes, an RGBA image ${width * height * 4}`);
    // Opaque and transparent pixels, most of a photo, are written as one little-endian word.
    this.words = new Uint32Array(out.buffer, out.byteOffset, out.length >> 2);
    this.columns = axisWeights(estimate.width, width);
    this.rows = axisWeights(estimate.height, height);
    this.blended = new Float64Array(estimate.width * 6);
  }

  /** Pixels [x0, x1) of row y, all of alpha `known`: 0 (cleared to black) or 255 (the photo's colour). */
  fill(y: number, x0: number, x1: number, known: 0 | 255): void {
    const row = y * this.image.width;
    if (known === 0) {
      this.words.fill(0, row + x0, row + x1);
      return;
    }
    const { words } = this;
    const { data: px, channels } = this.image;
    for (let i = row + x0, j = i * channels; i < row + x1; i++, j += channels) {
      words[i] = (px[j] | (px[j + 1] << 8) | (px[j + 2] << 16) | 0xff000000) >>> 0;
    }
  }

  /** Pixels [x0, x1) of row y, from `alpha` (the whole image's). */
  write(y: number, x0: number, x1: number, alpha: Uint8Array): void {
    const { words, out, blended } = this;
    const { data: px, channels, width } = this.image;
    const { xs0, xs1, xw } = this.columns;
    let rowBlended = false;
    for (let x = x0; x < x1; x++) {
      const i = y * width + x;
      const j = i * channels;
      const o = i * 4;
      const a8 = alpha[i];
      // Fully transparent pixels are (0, 0, 0, 0): the removed background is not kept hidden in the file.
      if (a8 === 0) {
        words[i] = 0;
        continue;
      }
      if (a8 === 255) {
        words[i] = (px[j] | (px[j + 1] << 8) | (px[j + 2] << 16) | 0xff000000) >>> 0;
        continue;
      }
      // The estimate blended down to this row, from the first soft pixel on, once per run.
      if (!rowBlended) {
        this.blendRow(y, xs0[x], xs1[x1 - 1]);
        rowBlended = true;
      }
      const v0 = xs0[x] * 6;
      const v1 = xs1[x] * 6;
      const wx = xw[x];
      out[o + 3] = a8;
      const a = a8 / 255;
      const trust = a >= 0.5 ? 1 : a * 2;
      for (let c = 0; c < 3; c++) {
        const bg = (blended[v0 + 3 + c] + (blended[v1 + 3 + c] - blended[v0 + 3 + c]) * wx) * 255;
        let f = (px[j + c] - (1 - a) * bg) / a;
        f = f < 0 ? 0 : f > 255 ? 255 : f;
        if (trust < 1) f = f * trust + (blended[v0 + c] + (blended[v1 + c] - blended[v0 + c]) * wx) * 255 * (1 - trust);
        out[o + c] = (f + 0.5) | 0;
      }
    }
  }

  /** The six estimate planes (F then B) blended down to row y, for estimate columns [c0, c1], into `blended`. */
  private blendRow(y: number, c0: number, c1: number): void {
    const { F, B, width: ew } = this.estimate;
    const r0 = this.rows.xs0[y] * ew;
    const r1 = this.rows.xs1[y] * ew;
    const wy = this.rows.xw[y];
    const planes = [F[0], F[1], F[2], B[0], B[1], B[2]];
    for (let k = 0; k < 6; k++) {
      const p = planes[k] as Float32Array;
      for (let c = c0, v = c0 * 6 + k; c <= c1; c++, v += 6) this.blended[v] = p[r0 + c] + (p[r1 + c] - p[r0 + c]) * wy;
    }
  }
}
