import type { Box } from "../image.js";

/**
 * The smallest box holding every pixel whose alpha reaches `threshold`, or
 * null when nothing does. The default keeps faint hair but not the guided
 * filter's near-zero ripples.
 */
export function foregroundBox(alpha: Uint8Array, width: number, height: number, threshold = 16): Box | null {
  let top = -1;
  let bottom = -1;
  let left = width;
  let right = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let first = -1;
    let last = -1;
    for (let x = 0; x < width; x++) {
      if (alpha[row + x] >= threshold) {
        if (first < 0) first = x;
        last = x;
      }
    }
    if (first < 0) continue;
    if (top < 0) top = y;
    bottom = y;
    if (first < left) left = first;
    if (last > right) right = last;
  }
  if (top < 0) return null;
  return { left, top, width: right - left + 1, height: bottom - top + 1 };
}
