/**
 * A colour estimate as kernel memory holds it (wasm/kernels.ts), and the
 * rows of foreground colours written from it there. The estimate's maths is
 * in foreground.ts and blur-fusion.ts.
 */
import type { PixelImage } from "../image.js";
import { writeForeground } from "../wasm/calls.js";
import { type Kernels, kernels, type Layout } from "../wasm/kernels.js";
import type { HeldPlanes } from "./blur-fusion.js";
import type { ColourEstimate } from "./foreground.js";
import { axisWeights } from "./resize.js";

/** An estimate in kernel memory, whose planes are views taken when read (the memory may have grown since). */
export class HeldEstimate implements ColourEstimate {
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
    writeForeground(this.k, {
      pixels: pxAt,
      channels,
      alpha: alphaAt,
      x0: 0,
      x1: width,
      runs: runsAt,
      count,
      estimate: this.estimate,
      plane: this.plane,
      r0: rows.xs0[y] * ew,
      r1: rows.xs1[y] * ew,
      wy: rows.xw[y],
      columns: this.columns,
      out: this.rgba,
      blended: this.blended,
    });
    this.out.set(new Uint8Array(this.k.buffer, this.rgba, width * 4), y * width * 4);
  }
}
