import type { Rgba } from "../color.js";

/** A width x height canvas of one colour (un-premultiplied RGBA); a fully transparent colour gives all zeros. */
export function fillCanvas(width: number, height: number, color: Rgba): Uint8Array {
  const out = new Uint8Array(width * height * 4);
  const [r, g, b, a] = color;
  if (a === 0) return out;
  for (let o = 0; o < out.length; o += 4) {
    out[o] = r;
    out[o + 1] = g;
    out[o + 2] = b;
    out[o + 3] = a;
  }
  return out;
}
