import type { RgbaImage } from "./types.js";

/**
 * Porter-Duff source-over of `top` onto `bottom`, with `top`'s top-left corner
 * at (x, y) in `bottom` (either may be negative or run past the edge; only the
 * overlap changes). Both layers are un-premultiplied in and out; the blend is
 * done in premultiplied space so a soft edge over a transparent or dark
 * background keeps its colour instead of picking up a dark fringe.
 *
 * Exact integer arithmetic, with ta, ba the alphas and tc, bc a channel (0..255):
 *   D     = ta*255 + ba*(255 - ta)                (output alpha x 255)
 *   alpha = round(D / 255)
 *   c     = round((tc*ta*255 + bc*ba*(255 - ta)) / D),  0 when D = 0
 * where round is half-up. E.g. (0,0,255,128) over (255,0,0,255) gives
 * (127,0,128,255), and (255,0,0,128) over (0,0,255,128) gives (170,0,85,192).
 * Returns a new buffer the size of `bottom`.
 */
export function compositeOver(top: RgbaImage, bottom: RgbaImage, x = 0, y = 0): Uint8Array {
  const out = Uint8Array.from(bottom.data);
  const ox = Math.round(x);
  const oy = Math.round(y);
  const x0 = Math.max(0, ox);
  const y0 = Math.max(0, oy);
  const x1 = Math.min(bottom.width, ox + top.width);
  const y1 = Math.min(bottom.height, oy + top.height);
  const t = top.data;
  for (let by = y0; by < y1; by++) {
    let j = ((by - oy) * top.width + (x0 - ox)) * 4;
    let o = (by * bottom.width + x0) * 4;
    for (let bx = x0; bx < x1; bx++, j += 4, o += 4) {
      const ta = t[j + 3];
      if (ta === 0) continue;
      if (ta === 255) {
        out[o] = t[j];
        out[o + 1] = t[j + 1];
        out[o + 2] = t[j + 2];
        out[o + 3] = 255;
        continue;
      }
      const ba = out[o + 3];
      const tw = ta * 255;
      const bw = ba * (255 - ta);
      const d = tw + bw;
      // Half-up rounding of n / d as floor((2n + d) / 2d): every term is an exact integer in a double.
      out[o] = Math.floor((2 * (t[j] * tw + out[o] * bw) + d) / (2 * d));
      out[o + 1] = Math.floor((2 * (t[j + 1] * tw + out[o + 1] * bw) + d) / (2 * d));
      out[o + 2] = Math.floor((2 * (t[j + 2] * tw + out[o + 2] * bw) + d) / (2 * d));
      out[o + 3] = Math.floor((2 * d + 255) / 510);
    }
  }
  return out;
}
