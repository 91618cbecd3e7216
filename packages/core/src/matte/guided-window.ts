import type { PixelImage } from "../image.js";
import { type Scratch, scratchDirty } from "../scratch.js";
import { grow, type Rect } from "./cells.js";
import type { GuidedCoefficients } from "./guided-filter.js";

/** Per pixel: the sums of R, G, B, p, Rp, Gp, Bp, RR, RG, RB, GG, GB, BB over its window. */
const MOMENTS = 13;

/**
 * The colour guided filter's fit, one rectangle at a time. A rectangle is
 * computed with 2r pixels of context (a box of radius r over the moments,
 * then another over the coefficients), which makes it equal the whole-image
 * fit inside. The moments are summed straight from the photo and solved as
 * soon as each row's sums are complete, so the 13 moment planes are never
 * stored, and the buffers are small enough to stay in cache.
 */
export class GuidedWindow {
  /** Horizontal window sums of the moments, per row of the context and column of the coefficients. */
  private readonly rows: Float32Array;
  /** Those summed down the window too: the current row's window sums. */
  private readonly sums: Float64Array;
  /** One row of coefficients, per column of `inner`. */
  private readonly line: Float32Array;
  /** Per row of `inner`, the coefficients summed along the row over [x - r, x + r], per column of the rectangle. */
  private readonly smooth: Float32Array;
  /** Where, in `rows` and `smooth`, a row of zeros is kept. */
  private readonly zeros: number;
  private readonly smoothZeros: number;
  /** 1 / the number of columns in each coefficient column's window. */
  private readonly across: Float64Array;

  /** For rectangles up to maxWidth x maxHeight of a width x height image. */
  constructor(
    private readonly radius: number,
    private readonly eps: number,
    width: number,
    height: number,
    maxWidth: number,
    maxHeight: number,
    scratch?: Scratch,
  ) {
    const w = Math.min(width, maxWidth + 2 * radius);
    const h = Math.min(height, maxHeight + 2 * radius);
    this.zeros = w * Math.min(height, maxHeight + 4 * radius) * MOMENTS;
    this.rows = scratchDirty(scratch, "window.rows", Float32Array, this.zeros + w * MOMENTS);
    this.sums = scratchDirty(scratch, "window.sums", Float64Array, w * MOMENTS);
    this.line = scratchDirty(scratch, "window.line", Float32Array, w * 4);
    this.smoothZeros = w * h * 4;
    this.smooth = scratchDirty(scratch, "window.smooth", Float32Array, this.smoothZeros + w * 4);
    this.across = scratchDirty(scratch, "window.across", Float64Array, w);
    // The rows of zeros past the ends are read as rows that enter or leave from outside the image.
    this.rows.fill(0, this.zeros);
    this.smooth.fill(0, this.smoothZeros);
  }

  /** Fits `p` against the guide's colours and writes the rectangle's smoothed coefficients into `out`. */
  fit(guide: PixelImage, p: Float32Array, rect: Rect, out: GuidedCoefficients): void {
    const { width, height } = out;
    const r = this.radius;
    // Coefficients are needed r pixels around the rectangle, for the second box; moments r beyond that.
    const inner = grow(rect, r, width, height);
    const reach = grow(inner, r, width, height);
    this.sumRows(guide, p, inner, reach, width);
    this.solve(rect, inner, reach, width, height);
    this.sumColumns(rect, inner, out);
  }

  /** Each row of `reach`, summed over [x - r, x + r] (cut to the image) for every column x of `inner`. */
  private sumRows(guide: PixelImage, p: Float32Array, inner: Rect, reach: Rect, width: number): void {
    const px = guide.data;
    const ch = guide.channels;
    const out = this.rows;
    const r = this.radius;
    const k = 1 / 255;
    // Pixels enter at x + r and leave at x - r - 1; none leaves before the first one entered.
    const firstIn = Math.max(0, inner.x0 - r);
    let o = 0;
    for (let y = reach.y0; y < reach.y1; y++) {
      const row = y * width;
      let sR = 0;
      let sG = 0;
      let sB = 0;
      let sP = 0;
      let sRP = 0;
      let sGP = 0;
      let sBP = 0;
      let sRR = 0;
      let sRG = 0;
      let sRB = 0;
      let sGG = 0;
      let sGB = 0;
      let sBB = 0;
      for (let x = inner.x0 - 2 * r; x < inner.x1; x++) {
        const e = x + r;
        const l = x - r - 1;
        let Re = 0;
        let Ge = 0;
        let Be = 0;
        let Pe = 0;
        let Rl = 0;
        let Gl = 0;
        let Bl = 0;
        let Pl = 0;
        if (e >= 0 && e < width) {
          const j = (row + e) * ch;
          Re = px[j] * k;
          Ge = px[j + 1] * k;
          Be = px[j + 2] * k;
          Pe = p[row + e];
        }
        if (l >= firstIn) {
          const j = (row + l) * ch;
          Rl = px[j] * k;
          Gl = px[j + 1] * k;
          Bl = px[j + 2] * k;
          Pl = p[row + l];
        }
        sR += Re - Rl;
        sG += Ge - Gl;
        sB += Be - Bl;
        sP += Pe - Pl;
        sRP += Re * Pe - Rl * Pl;
        sGP += Ge * Pe - Gl * Pl;
        sBP += Be * Pe - Bl * Pl;
        sRR += Re * Re - Rl * Rl;
        sRG += Re * Ge - Rl * Gl;
        sRB += Re * Be - Rl * Bl;
        sGG += Ge * Ge - Gl * Gl;
        sGB += Ge * Be - Gl * Bl;
        sBB += Be * Be - Bl * Bl;
        if (x < inner.x0) continue;
        out[o] = sR;
        out[o + 1] = sG;
        out[o + 2] = sB;
        out[o + 3] = sP;
        out[o + 4] = sRP;
        out[o + 5] = sGP;
        out[o + 6] = sBP;
        out[o + 7] = sRR;
        out[o + 8] = sRG;
        out[o + 9] = sRB;
        out[o + 10] = sGG;
        out[o + 11] = sGB;
        out[o + 12] = sBB;
        o += MOMENTS;
      }
    }
  }

  /**
   * Runs the row sums down each column to get every window's moments, and
   * solves, per pixel of `inner`, the ridge regression of p on the colour.
   */
  private solve(rect: Rect, inner: Rect, reach: Rect, width: number, height: number): void {
    const rows = this.rows;
    const sums = this.sums;
    const out = this.line;
    const eps = this.eps;
    const r = this.radius;
    const stride = (inner.x1 - inner.x0) * MOMENTS;
    sums.fill(0, 0, stride);
    const across = this.across;
    for (let x = inner.x0; x < inner.x1; x++) across[x - inner.x0] = 1 / (Math.min(x + r, width - 1) - Math.max(x - r, 0) + 1);
    // Rows before the first one's window is complete; then, per row, row y + r enters and row y - r - 1 leaves.
    for (let y = reach.y0; y < Math.min(height, inner.y0 + r); y++) {
      for (let i = 0, j = (y - reach.y0) * stride; i < stride; i++, j++) sums[i] += rows[j];
    }
    for (let y = inner.y0; y < inner.y1; y++) {
      let q = 0;
      // A row that is not there enters or leaves as the zeros kept past the end of `rows`.
      const e = y + r < height ? (y + r - reach.y0) * stride : this.zeros;
      const l = y - r - 1 >= reach.y0 ? (y - r - 1 - reach.y0) * stride : this.zeros;
      const down = 1 / (Math.min(y + r, height - 1) - Math.max(y - r, 0) + 1);
      for (let x = 0, o = 0; o < stride; x++, o += MOMENTS, q += 4) {
        const n = across[x] * down;
        const s0 = sums[o] + rows[e + o] - rows[l + o];
        const s1 = sums[o + 1] + rows[e + o + 1] - rows[l + o + 1];
        const s2 = sums[o + 2] + rows[e + o + 2] - rows[l + o + 2];
        const s3 = sums[o + 3] + rows[e + o + 3] - rows[l + o + 3];
        const s4 = sums[o + 4] + rows[e + o + 4] - rows[l + o + 4];
        const s5 = sums[o + 5] + rows[e + o + 5] - rows[l + o + 5];
        const s6 = sums[o + 6] + rows[e + o + 6] - rows[l + o + 6];
        const s7 = sums[o + 7] + rows[e + o + 7] - rows[l + o + 7];
        const s8 = sums[o + 8] + rows[e + o + 8] - rows[l + o + 8];
        const s9 = sums[o + 9] + rows[e + o + 9] - rows[l + o + 9];
        const s10 = sums[o + 10] + rows[e + o + 10] - rows[l + o + 10];
        const s11 = sums[o + 11] + rows[e + o + 11] - rows[l + o + 11];
        const s12 = sums[o + 12] + rows[e + o + 12] - rows[l + o + 12];
        sums[o] = s0;
        sums[o + 1] = s1;
        sums[o + 2] = s2;
        sums[o + 3] = s3;
        sums[o + 4] = s4;
        sums[o + 5] = s5;
        sums[o + 6] = s6;
        sums[o + 7] = s7;
        sums[o + 8] = s8;
        sums[o + 9] = s9;
        sums[o + 10] = s10;
        sums[o + 11] = s11;
        sums[o + 12] = s12;
        const mr = s0 * n;
        const mg = s1 * n;
        const mb = s2 * n;
        const mp = s3 * n;
        // Covariance of the guide (regularised by eps) and of guide with matte.
        const cr = s4 * n - mr * mp;
        const cg = s5 * n - mg * mp;
        const cb = s6 * n - mb * mp;
        const srr = s7 * n - mr * mr + eps;
        const srg = s8 * n - mr * mg;
        const srb = s9 * n - mr * mb;
        const sgg = s10 * n - mg * mg + eps;
        const sgb = s11 * n - mg * mb;
        const sbb = s12 * n - mb * mb + eps;
        // Symmetric 3x3 inverse by cofactors.
        const i00 = sgg * sbb - sgb * sgb;
        const i01 = srb * sgb - srg * sbb;
        const i02 = srg * sgb - srb * sgg;
        const i11 = srr * sbb - srb * srb;
        const i12 = srb * srg - srr * sgb;
        const i22 = srr * sgg - srg * srg;
        const inv = 1 / (srr * i00 + srg * i01 + srb * i02);
        const ar = (i00 * cr + i01 * cg + i02 * cb) * inv;
        const ag = (i01 * cr + i11 * cg + i12 * cb) * inv;
        const ab = (i02 * cr + i12 * cg + i22 * cb) * inv;
        out[q] = ar;
        out[q + 1] = ag;
        out[q + 2] = ab;
        out[q + 3] = mp - ar * mr - ag * mg - ab * mb;
      }
      this.slide(rect, inner, (y - inner.y0) * (rect.x1 - rect.x0) * 4);
    }
  }

  /** The row of coefficients in `line`, summed over [x - r, x + r] for each column x of the rectangle, into `smooth` at `o`. */
  private slide(rect: Rect, inner: Rect, o: number): void {
    const line = this.line;
    const out = this.smooth;
    const r = this.radius;
    const w = inner.x1 - inner.x0;
    // In the row's own coordinates, where the first coefficient to enter is 0: x + r enters, x - r - 1 leaves.
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let x = -r; x < rect.x1 - inner.x0; x++) {
      const e = (x + r) * 4;
      if (x + r < w) {
        s0 += line[e];
        s1 += line[e + 1];
        s2 += line[e + 2];
        s3 += line[e + 3];
      }
      const l = (x - r - 1) * 4;
      if (l >= 0) {
        s0 -= line[l];
        s1 -= line[l + 1];
        s2 -= line[l + 2];
        s3 -= line[l + 3];
      }
      if (x < rect.x0 - inner.x0) continue;
      out[o] = s0;
      out[o + 1] = s1;
      out[o + 2] = s2;
      out[o + 3] = s3;
      o += 4;
    }
  }

  /** Sums the smoothed rows down each column and writes the rectangle's mean coefficients. */
  private sumColumns(rect: Rect, inner: Rect, out: GuidedCoefficients): void {
    const { width, height, aR, aG, aB, b } = out;
    const rows = this.smooth;
    const sums = this.sums;
    const across = this.across;
    const r = this.radius;
    const stride = (rect.x1 - rect.x0) * 4;
    sums.fill(0, 0, stride);
    for (let x = rect.x0; x < rect.x1; x++) across[x - rect.x0] = 1 / (Math.min(x + r, width - 1) - Math.max(x - r, 0) + 1);
    for (let y = inner.y0; y < Math.min(height, rect.y0 + r); y++) {
      for (let i = 0, j = (y - inner.y0) * stride; i < stride; i++, j++) sums[i] += rows[j];
    }
    for (let y = rect.y0; y < rect.y1; y++) {
      const e = y + r < height ? (y + r - inner.y0) * stride : this.smoothZeros;
      const l = y - r - 1 >= inner.y0 ? (y - r - 1 - inner.y0) * stride : this.smoothZeros;
      const down = 1 / (Math.min(y + r, height - 1) - Math.max(y - r, 0) + 1);
      for (let i = y * width + rect.x0, x = 0, o = 0; o < stride; i++, x++, o += 4) {
        const s0 = sums[o] + rows[e + o] - rows[l + o];
        const s1 = sums[o + 1] + rows[e + o + 1] - rows[l + o + 1];
        const s2 = sums[o + 2] + rows[e + o + 2] - rows[l + o + 2];
        const s3 = sums[o + 3] + rows[e + o + 3] - rows[l + o + 3];
        sums[o] = s0;
        sums[o + 1] = s1;
        sums[o + 2] = s2;
        sums[o + 3] = s3;
        const n = across[x] * down;
        aR[i] = s0 * n;
        aG[i] = s1 * n;
        aB[i] = s2 * n;
        b[i] = s3 * n;
      }
    }
  }
}
