/**
 * A guided fit's coefficients as kernel memory holds them (wasm/kernels.ts):
 * where each plane is, whether a later fit has replaced them, and their
 * settled blocks. The filter's maths is in guided-filter.ts.
 */
import type { Kernels } from "../wasm/kernels.js";
import { kernels } from "../wasm/kernels.js";
import type { CellMask, Rect } from "./cells.js";

/** Linear model q = aR*R + aG*G + aB*B + b, per pixel, at the resolution it was fitted. */
export interface GuidedCoefficients {
  aR: Float32Array;
  aG: Float32Array;
  aB: Float32Array;
  b: Float32Array;
  width: number;
  height: number;
  /**
   * From fitGuidedFilter: the cells written without fitting (level 0 or 1, a
   * = 0 and b = level; -1 where fitted) and the rectangles that were fitted,
   * which may cover settled cells too. Lets settledBlocks fill the settled
   * cells whole instead of reading their coefficients pixel by pixel.
   */
  layout?: { cells: CellMask; levels: Int8Array; fitted: Rect[] };
}

/**
 * Alpha within this distance of 0 or 1 is snapped to it, and the rest
 * stretched linearly so the ramp stays continuous. The filter's local linear
 * model leaks a few percent of alpha into flat background beside an edge
 * (and takes a few percent off the subject): a faint halo that shows when
 * the cutout is laid on a contrasting colour. The 0.5 crossing, and so the
 * matte's shape, does not move. On the horses eval: MAE 0.0326 to 0.0312,
 * IoU and boundary IoU unchanged (docs/quality.md).
 */
export const SNAP = 0.02;

/** In settledBlocks: a block whose pixels must be evaluated one by one. */
export const UNSETTLED = 256;

/**
 * A fit's coefficients, held in kernel memory (region "guided": the four
 * planes, then two u16 planes: each pixel's own level, written by the fit for
 * the cells it settled, and the settled blocks, filled by settledBlocks).
 */
export class HeldCoefficients implements GuidedCoefficients {
  private readonly offsets: number[];
  private readonly memory = kernels();
  /** The region's hand-out this fit wrote: the next fit hands it out again. */
  private readonly claim: number;
  /** Whether the settled blocks have been found (settledBlocks). */
  blocksFound = false;

  constructor(
    readonly width: number,
    readonly height: number,
    readonly layout: { cells: CellMask; levels: Int8Array; fitted: Rect[] },
  ) {
    const n = width * height;
    const { at, dirty, claim } = this.memory.region("guided", n * 20);
    this.claim = claim;
    this.offsets = [at, at + n * 4, at + n * 8, at + n * 12, at + n * 16, at + n * 18];
    // The fit writes only near the matte's edges: the rest of the planes must be 0, as new memory is.
    new Uint8Array(this.memory.buffer, at, Math.min(dirty, n * 16)).fill(0);
  }

  /** Where region i (aR, aG, aB, b, level, settled) starts in kernel memory. */
  at(i: number): number {
    if (!this.memory.holds("guided", this.claim)) throw new Error("these guided-filter coefficients were replaced by a later fit");
    return this.offsets[i];
  }

  get aR(): Float32Array {
    return this.plane(0);
  }
  get aG(): Float32Array {
    return this.plane(1);
  }
  get aB(): Float32Array {
    return this.plane(2);
  }
  get b(): Float32Array {
    return this.plane(3);
  }

  private plane(i: number): Float32Array {
    return new Float32Array(this.memory.buffer, this.at(i), this.width * this.height);
  }
}

/**
 * Where the coefficients' planes (aR, aG, aB, b, level, settled) are in
 * kernel memory, with the settled blocks found. A fit's are there already;
 * others (a test's hand-made coefficients) are copied into `staging`.
 */
export function coefficientPlanes(c: GuidedCoefficients, k: Kernels, staging: ReturnType<Kernels["staging"]>): number[] {
  const n = c.width * c.height;
  if (c instanceof HeldCoefficients) {
    const planes = [0, 1, 2, 3, 4, 5].map((i) => c.at(i));
    if (!c.blocksFound) findSettledBlocks(c, planes, k);
    c.blocksFound = true;
    return planes;
  }
  const planes = [n * 4, n * 4, n * 4, n * 4, n * 2, n * 2].map((bytes) => staging.take(bytes));
  k.reserve(staging.bytes);
  for (const [i, plane] of [c.aR, c.aG, c.aB, c.b].entries()) k.copyIn(planes[i], plane);
  k.exports.pixelLevels(planes[0], planes[1], planes[2], planes[3], planes[4], 0, n, SNAP, UNSETTLED);
  k.exports.settleBlocks(planes[4], planes[5], c.width, c.height, UNSETTLED);
  return planes;
}

/**
 * A fit's settled blocks: the levels of the cells it settled were written
 * with its coefficients; the fitted rectangles are evaluated pixel by pixel.
 */
function findSettledBlocks(c: HeldCoefficients, planes: number[], k: Kernels): void {
  const { width, height } = c;
  for (const rect of c.layout.fitted) {
    for (let y = rect.y0; y < rect.y1; y++) {
      k.exports.pixelLevels(
        planes[0],
        planes[1],
        planes[2],
        planes[3],
        planes[4],
        y * width + rect.x0,
        y * width + rect.x1,
        SNAP,
        UNSETTLED,
      );
    }
  }
  k.exports.settleBlocks(planes[4], planes[5], width, height, UNSETTLED);
}
