import type { Box } from "../image.js";

/** The alpha from which a pixel counts as subject: keeps faint hair but not the guided filter's near-zero ripples. */
export const FOREGROUND_THRESHOLD = 16;

/**
 * The smallest box holding every pixel whose alpha reaches `threshold`, or
 * null when nothing does.
 */
export function foregroundBox(alpha: Uint8Array, width: number, height: number, threshold = FOREGROUND_THRESHOLD): Box | null {
  const box = new BoxBuilder(threshold);
  for (let y = 0; y < height; y++) box.scan(alpha, y * width, y, 0, width);
  return box.box();
}

/** A foreground box built up from runs of subject pixels, for passes that find them row by row. */
export class BoxBuilder {
  constructor(private readonly threshold = FOREGROUND_THRESHOLD) {}

  private top = -1;
  private bottom = -1;
  private left = Number.POSITIVE_INFINITY;
  private right = -1;

  /** Pixels [x0, x1) of row y are subject (rows may come in any order). */
  add(y: number, x0: number, x1: number): void {
    if (x1 <= x0) return;
    if (this.top < 0 || y < this.top) this.top = y;
    if (y > this.bottom) this.bottom = y;
    if (x0 < this.left) this.left = x0;
    if (x1 - 1 > this.right) this.right = x1 - 1;
  }

  /** Adds the subject pixels among [x0, x1) of row y, whose alpha starts at alpha[row]. */
  scan(alpha: Uint8Array, row: number, y: number, x0: number, x1: number): void {
    let first = -1;
    let last = -1;
    for (let x = x0; x < x1; x++) {
      if (alpha[row + x] < this.threshold) continue;
      if (first < 0) first = x;
      last = x;
    }
    if (first >= 0) this.add(y, first, last + 1);
  }

  box(): Box | null {
    if (this.top < 0) return null;
    return { left: this.left, top: this.top, width: this.right - this.left + 1, height: this.bottom - this.top + 1 };
  }
}
