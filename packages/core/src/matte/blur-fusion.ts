import { fuseRect } from "../wasm/calls.js";
import type { Kernels } from "../wasm/kernels.js";
import { grow, type Rect } from "./cells.js";
import { axisWeights } from "./resize.js";

/** A photo's colours in kernel memory: bytes with `channels` per pixel, or three f32; times `scale` they are in 0..1. */
export interface HeldColours {
  at: number;
  bytes: boolean;
  channels: number;
  scale: number;
}

/** A colour estimate in kernel memory: six planes (F then B, R, G, B each), one after another, in region `name` as handed out by `claim`. */
export interface HeldPlanes {
  at: number;
  width: number;
  height: number;
  name: string;
  claim: number;
}

/**
 * One Blur-Fusion pass over the given rectangles of a width x height image:
 * alpha-weighted box blurs of the previous foreground and background
 * estimates, then the foreground corrected towards the photo's colour. The
 * previous estimates are the photo's own colours (the first pass, whose
 * colours are floats) or `upsampled`'s, blended up to this size. Each
 * rectangle is computed with `radius` pixels of context, which makes it
 * equal the whole-image pass inside; pixels outside them keep whatever was
 * there. The estimate is written into kernel memory region `name`. The
 * arithmetic is the kernel fuseRect (packages/core/assembly/blur-fusion.ts),
 * which reads the alpha (at `alpha`), the colours and `upsampled` in place.
 */
export function blurFusion(
  k: Kernels,
  width: number,
  height: number,
  radius: number,
  alpha: number,
  colours: HeldColours,
  rects: Rect[],
  upsampled: HeldPlanes | undefined,
  name: string,
): HeldPlanes {
  const { at, claim } = k.region(name, width * height * 6 * 4);
  const r = Math.max(0, Math.floor(radius));
  const staging = k.staging();
  const first = upsampled && {
    at: upsampled.at,
    width: upsampled.width,
    plane: upsampled.width * upsampled.height,
    columns: k.axis(staging, axisWeights(upsampled.width, width)),
    rows: k.axis(staging, axisWeights(upsampled.height, height)),
  };
  const base = staging.bytes;
  for (const rect of rects) {
    const win = grow(rect, r, width, height);
    const work = staging.take(k.exports.fusionWorkBytes(win.x1 - win.x0, win.y1 - win.y0, rect.x1 - rect.x0, upsampled?.width ?? 0));
    k.reserve(staging.bytes);
    fuseRect(k, { width, height, radius: r, rect, alpha, colours, first, out: at, work });
    staging.bytes = base;
  }
  return { at, width, height, name, claim };
}
