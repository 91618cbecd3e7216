import type { Rgba } from "../color.js";

/**
 * Composites un-premultiplied RGBA over an opaque colour, giving RGB. Used
 * for formats without alpha (jpg, zip's color.jpg is not flattened).
 */
export function flattenOver(rgba: Uint8Array, background: Rgba): Uint8Array {
  const n = rgba.length / 4;
  const out = new Uint8Array(n * 3);
  const [br, bg, bb, ba] = background;
  for (let i = 0, j = 0, o = 0; i < n; i++, j += 4, o += 3) {
    // Background alpha below 255 is applied as if over white, the usual reading of a translucent page colour.
    const a = rgba[j + 3] / 255;
    const k = (1 - a) * (ba / 255);
    const w = (1 - a) * (1 - ba / 255) * 255;
    out[o] = rgba[j] * a + br * k + w + 0.5;
    out[o + 1] = rgba[j + 1] * a + bg * k + w + 0.5;
    out[o + 2] = rgba[j + 2] * a + bb * k + w + 0.5;
  }
  return out;
}
