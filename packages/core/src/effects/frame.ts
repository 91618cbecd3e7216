import type { Box } from "../image.js";
import type { PositionSpec } from "../options/canonical.js";
import { resampleRgba } from "./resample.js";
import type { Bytes, Padding, RgbaImage } from "./types.js";

/**
 * Crops RGBA to `box` grown by `margin` (pixels, rounded; the caller converts
 * px/% using the subject box). A margin reaching past the image is filled
 * with transparent pixels, so the subject keeps the margin it asked for.
 */
export function cropToBox(rgba: Bytes, width: number, height: number, box: Box, margin: Padding): RgbaImage {
  const left = box.left - Math.round(margin.left);
  const top = box.top - Math.round(margin.top);
  const w = Math.max(0, box.width + Math.round(margin.left) + Math.round(margin.right));
  const h = Math.max(0, box.height + Math.round(margin.top) + Math.round(margin.bottom));
  return { data: copyRegion(rgba, width, height, left, top, w, h), width: w, height: h };
}

/** The w x h RGBA region whose top-left is (left, top) in the source; pixels outside the source are transparent. */
function copyRegion(rgba: Bytes, width: number, height: number, left: number, top: number, w: number, h: number): Uint8Array {
  const out = new Uint8Array(w * h * 4);
  const x0 = Math.max(0, left);
  const x1 = Math.min(width, left + w);
  if (x1 <= x0) return out;
  for (let y = Math.max(0, top); y < Math.min(height, top + h); y++) {
    const from = (y * width + x0) * 4;
    out.set(rgba.subarray(from, from + (x1 - x0) * 4), ((y - top) * w + (x0 - left)) * 4);
  }
  return out;
}

/**
 * remove.bg's `scale` and `position`: the subject (`box` within the w x h RGBA)
 * is placed on a transparent canvasW x canvasH canvas.
 * - scale: a number s (0.1..1) resizes the subject so its larger relative side
 *   fills s of the canvas: factor s * min(canvasW / box.width, canvasH / box.height).
 *   "original" keeps its size (the canvas is in the input's pixels).
 * - position: "center" splits the free space evenly; x%/y% (0..100) puts that
 *   share of the free space (canvas minus subject) left of / above the subject,
 *   so 0 0 is top-left and 100 100 bottom-right; "original" keeps the subject's
 *   centre where it was, scaled by canvas / image size (with "original" scale
 *   and an image-sized canvas that is the identity).
 * Coordinates are rounded half-up; parts off the canvas are cut. Returns the
 * canvas and where the subject landed, for shadows that follow it.
 */
export function placeOnCanvas(
  rgba: Bytes,
  width: number,
  height: number,
  box: Box,
  canvasW: number,
  canvasH: number,
  scale: number | "original",
  position: PositionSpec,
): { data: Uint8Array; box: Box } {
  const factor = scale === "original" ? 1 : scale * Math.min(canvasW / box.width, canvasH / box.height);
  const w = Math.max(1, Math.round(box.width * factor));
  const h = Math.max(1, Math.round(box.height * factor));
  let left: number;
  let top: number;
  if (position.kind === "original") {
    left = ((box.left + box.width / 2) * canvasW) / width - w / 2;
    top = ((box.top + box.height / 2) * canvasH) / height - h / 2;
  } else {
    const fx = position.kind === "center" ? 0.5 : position.x / 100;
    const fy = position.kind === "center" ? 0.5 : position.y / 100;
    left = (canvasW - w) * fx;
    top = (canvasH - h) * fy;
  }
  const placed: Box = { left: Math.floor(left + 0.5), top: Math.floor(top + 0.5), width: w, height: h };
  const subject = copyRegion(rgba, width, height, box.left, box.top, box.width, box.height);
  const sized = w === box.width && h === box.height ? subject : resampleRgba(subject, box.width, box.height, w, h);
  const canvas = copyRegion(sized, w, h, -placed.left, -placed.top, canvasW, canvasH);
  return { data: canvas, box: placed };
}

/**
 * Region of interest: zeroes every pixel outside [x1, x2) x [y1, y2) (pixels,
 * rounded; the caller converts %), so only the region can hold foreground.
 * `channels` 1 for an alpha plane, 4 to clear whole RGBA pixels. Returns a copy.
 */
export function applyRoi(
  alpha: Bytes,
  width: number,
  height: number,
  region: { x1: number; y1: number; x2: number; y2: number },
  channels: 1 | 4 = 1,
): Uint8Array {
  const out = new Uint8Array(alpha.length);
  const x0 = Math.max(0, Math.round(region.x1));
  const x1 = Math.min(width, Math.round(region.x2));
  if (x1 <= x0) return out;
  for (let y = Math.max(0, Math.round(region.y1)); y < Math.min(height, Math.round(region.y2)); y++) {
    const from = (y * width + x0) * channels;
    const to = (y * width + x1) * channels;
    out.set(alpha.subarray(from, to), from);
  }
  return out;
}
