import type { PixelImage } from "../image.js";
import { fitWindow } from "../wasm/calls.js";
import { kernels } from "../wasm/kernels.js";
import { grow, type Rect } from "./cells.js";

/**
 * The colour guided filter's fit, one rectangle at a time. A rectangle is
 * computed with 2r pixels of context (a box of radius r over the moments,
 * then another over the coefficients), which makes it equal the whole-image
 * fit inside. The moments are summed straight from the photo and solved as
 * soon as each row's sums are complete, so the 13 moment planes are never
 * stored, and the buffers are small enough to stay in cache. The arithmetic
 * is the kernel fitWindow (packages/core/assembly/guided-window.ts); this
 * copies the guide's pixels in the rectangle's reach into its memory. The
 * matte is read in place, at `matte` in kernel memory, and the coefficients
 * written in place, into the four planes from `planes` on.
 */
export class GuidedWindow {
  constructor(
    private readonly radius: number,
    private readonly eps: number,
    private readonly width: number,
    private readonly height: number,
    private readonly matte: number,
    private readonly planes: number,
  ) {}

  /** Fits the matte against the guide's colours and writes the rectangle's smoothed coefficients. */
  fit(guide: PixelImage, rect: Rect): void {
    const { width, height } = this;
    const r = this.radius;
    const k = kernels();
    const { exports } = k;
    // Coefficients are needed r pixels around the rectangle, for the second box; moments r beyond that.
    const inner = grow(rect, r, width, height);
    const reach = grow(inner, r, width, height);
    const stride = reach.x1 - reach.x0;
    const reachHeight = reach.y1 - reach.y0;
    const rectWidth = rect.x1 - rect.x0;
    const { channels } = guide;
    const layout = k.staging();
    const guideAt = layout.take(stride * reachHeight * channels);
    const workAt = layout.take(exports.windowWorkBytes(inner.x1 - inner.x0, inner.y1 - inner.y0, reachHeight, rectWidth));
    const buffer = k.reserve(layout.bytes);
    const stagedGuide = new Uint8Array(buffer, guideAt, stride * reachHeight * channels);
    for (let y = reach.y0; y < reach.y1; y++) {
      const from = y * width + reach.x0;
      stagedGuide.set(guide.data.subarray(from * channels, (from + stride) * channels), (y - reach.y0) * stride * channels);
    }
    fitWindow(k, {
      guide: guideAt,
      matte: this.matte,
      channels,
      reach,
      stride,
      width,
      height,
      radius: r,
      eps: this.eps,
      rect,
      out: this.planes,
      work: workAt,
    });
  }
}
