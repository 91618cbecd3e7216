/** Inputs may come straight from a canvas (clamped) or from a decoder (plain bytes). */
export type Bytes = Uint8Array | Uint8ClampedArray;

/** Un-premultiplied RGBA, top-left first, 4 bytes a pixel; RGB is 0 where alpha is 0. */
export interface RgbaImage {
  data: Bytes;
  width: number;
  height: number;
}

/** Pixels to add on each side of a canvas. */
export interface Padding {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/** Rounds and clamps a float to a byte without Uint8Array's modulo wrap-around above 255. */
export function toByte(v: number): number {
  return v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
}
