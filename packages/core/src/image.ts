/** Interleaved 8-bit pixels, top-left first. `channels` is 3 (RGB) or 4 (RGBA). */
export interface PixelImage {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
  channels: 3 | 4;
}

/** One float plane, row-major, values 0..1 unless a function says otherwise. */
export interface Plane {
  data: Float32Array;
  width: number;
  height: number;
}

/** Foreground box in pixel coordinates of the image it was measured on. */
export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * Resizes interleaved 8-bit pixels. Hosts inject the fastest one they have
 * (sharp in Node, canvas in a browser); `resizePixels` in matte/resize.ts is
 * the portable fallback.
 */
export type PixelResizer = (image: PixelImage, width: number, height: number) => Promise<PixelImage>;
