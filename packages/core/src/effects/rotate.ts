import type { Rgba } from "../color.js";
import { type Bytes, type RgbaImage, toByte } from "./types.js";

/**
 * Rotates un-premultiplied RGBA by `degrees`, counter-clockwise positive (as
 * rembg.com), about the image centre. With `expand` the canvas grows to the
 * rotated image's bounding box; without it stays width x height and corners
 * are cut. Uncovered canvas shows `fill`.
 *
 * Multiples of 90° are pure index remapping (no resampling, bytes preserved);
 * a quarter turn without `expand` on a non-square image is centred with the
 * offset floored. Other angles sample bilinearly in premultiplied space, the
 * outside counting as transparent so the rotated edge is anti-aliased, and
 * the result is composited over `fill`.
 */
export function rotateRgba(
  rgba: Bytes,
  width: number,
  height: number,
  degrees: number,
  expand: boolean,
  fill: Rgba = [0, 0, 0, 0],
): RgbaImage {
  const turn = ((degrees % 360) + 360) % 360;
  if (turn % 90 === 0) return quarterTurns(rgba, width, height, turn / 90, expand, fill);
  const rad = (turn * Math.PI) / 180;
  const cos = Math.cos(rad);
  const sin = Math.sin(rad);
  // The small tolerance keeps float noise (e.g. 10.000000001) from adding a column.
  const outW = expand ? Math.ceil(Math.abs(width * cos) + Math.abs(height * sin) - 1e-6) : width;
  const outH = expand ? Math.ceil(Math.abs(width * sin) + Math.abs(height * cos) - 1e-6) : height;
  const out = new Uint8Array(outW * outH * 4);
  const fa = fill[3] / 255;
  const px = new Float64Array(4);
  for (let y = 0, o = 0; y < outH; y++) {
    const v = y + 0.5 - outH / 2;
    for (let x = 0; x < outW; x++, o += 4) {
      const u = x + 0.5 - outW / 2;
      // Inverse of the counter-clockwise rotation (y down): where this output pixel comes from.
      const sx = u * cos - v * sin + width / 2 - 0.5;
      const sy = u * sin + v * cos + height / 2 - 0.5;
      sample(rgba, width, height, sx, sy, px);
      const rest = 1 - px[3] / 255;
      const a = px[3] + fill[3] * rest;
      const alpha = toByte(a);
      if (alpha === 0) continue;
      out[o] = toByte((px[0] + fill[0] * fa * 255 * rest) / a);
      out[o + 1] = toByte((px[1] + fill[1] * fa * 255 * rest) / a);
      out[o + 2] = toByte((px[2] + fill[2] * fa * 255 * rest) / a);
      out[o + 3] = alpha;
    }
  }
  return { data: out, width: outW, height: outH };
}

/** Bilinear sample at (sx, sy) into `px` as premultiplied colour x 255 and alpha; outside pixels are transparent. */
function sample(rgba: Bytes, width: number, height: number, sx: number, sy: number, px: Float64Array): void {
  px.fill(0);
  const x0 = Math.floor(sx);
  const y0 = Math.floor(sy);
  const fx = sx - x0;
  const fy = sy - y0;
  for (let k = 0; k < 4; k++) {
    const x = x0 + (k & 1);
    const y = y0 + (k >> 1);
    if (x < 0 || y < 0 || x >= width || y >= height) continue;
    const w = (k & 1 ? fx : 1 - fx) * (k >> 1 ? fy : 1 - fy);
    if (w === 0) continue;
    const j = (y * width + x) * 4;
    const a = rgba[j + 3] * w;
    px[0] += rgba[j] * a;
    px[1] += rgba[j + 1] * a;
    px[2] += rgba[j + 2] * a;
    px[3] += a;
  }
}

/** Exact rotation by quarter turns (counter-clockwise) by remapping indices. */
function quarterTurns(rgba: Bytes, width: number, height: number, quarters: number, expand: boolean, fill: Rgba): RgbaImage {
  const odd = quarters % 2 === 1;
  const rw = odd ? height : width;
  const rh = odd ? width : height;
  const outW = expand ? rw : width;
  const outH = expand ? rh : height;
  // Rotated image's top-left on the output canvas; non-zero only for an unexpanded odd turn of a non-square image.
  const ox = Math.floor((outW - rw) / 2);
  const oy = Math.floor((outH - rh) / 2);
  const out = new Uint8Array(outW * outH * 4);
  const [fr, fg, fb, fa] = fill;
  for (let y = 0, o = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++, o += 4) {
      const X = x - ox;
      const Y = y - oy;
      if (X < 0 || Y < 0 || X >= rw || Y >= rh) {
        if (fa > 0) out.set([fr, fg, fb, fa], o);
        continue;
      }
      // Source pixel for rotated (X, Y): 90° CCW takes the top-right corner to the top-left.
      let sx = X;
      let sy = Y;
      if (quarters === 1) {
        sx = width - 1 - Y;
        sy = X;
      } else if (quarters === 2) {
        sx = width - 1 - X;
        sy = height - 1 - Y;
      } else if (quarters === 3) {
        sx = Y;
        sy = height - 1 - X;
      }
      const j = (sy * width + sx) * 4;
      out[o] = rgba[j];
      out[o + 1] = rgba[j + 1];
      out[o + 2] = rgba[j + 2];
      out[o + 3] = rgba[j + 3];
    }
  }
  return { data: out, width: outW, height: outH };
}
