import type { PixelImage } from "../image.js";
import { kernels } from "../wasm/kernels.js";
import { axisWeights } from "./resize.js";

export interface Normalization {
  mean: readonly [number, number, number];
  std: readonly [number, number, number];
}

/**
 * Interleaved 8-bit RGB(A) to a planar NCHW float tensor of width x height
 * (the image's own size by default): (v/255 - mean) / std, resampled
 * bilinearly (pixel centres aligned, as in resizePlane) when the sizes
 * differ. Alpha, if present, is ignored; callers flatten transparent inputs
 * first. Bilinear reads two pixels a tap, so shrinking by more than
 * `MAX_DIRECT_SHRINK` would skip pixels: callers resize such images first.
 * Every value of `out` is written. The arithmetic is the kernel inputRow
 * (packages/core/assembly/input.ts): a first photo's tensor is built while
 * the model loads, on the thread that loads it, so it must not wait for V8
 * to optimise JavaScript.
 */
export function toInputTensor(
  image: PixelImage,
  norm: Normalization,
  width = image.width,
  height = image.height,
  out = new Float32Array(3 * width * height),
): Float32Array {
  const n = width * height;
  if (out.length !== 3 * n) throw new RangeError(`out has ${out.length} values, a 3x${width}x${height} tensor ${3 * n}`);
  const { channels } = image;
  // v * k[c] - b[c], per channel: the normalisation as one multiply-add.
  const scale = [0, 1, 2].map((c) => 1 / (255 * norm.std[c]));
  const offset = [0, 1, 2].map((c) => norm.mean[c] / norm.std[c]);
  const resampled = width !== image.width || height !== image.height;
  const k = kernels();
  const staging = k.staging();
  const none: [number, number, number] = [0, 0, 0];
  const columns = resampled ? k.axis(staging, axisWeights(image.width, width)) : none;
  const rows = axisWeights(image.height, height);
  const stride = image.width * channels;
  const topAt = staging.take(stride);
  const bottomAt = staging.take(stride);
  const rowAt = staging.take(3 * width * 4);
  k.reserve(staging.bytes);
  const row = new Float32Array(k.buffer, rowAt, 3 * width);
  for (let y = 0; y < height; y++) {
    const top = resampled ? rows.xs0[y] : y;
    k.copyIn(topAt, image.data.subarray(top * stride, top * stride + stride));
    if (resampled) k.copyIn(bottomAt, image.data.subarray(rows.xs1[y] * stride, rows.xs1[y] * stride + stride));
    k.exports.inputRow(
      topAt,
      bottomAt,
      channels,
      ...columns,
      width,
      rows.xw[y],
      resampled,
      scale[0],
      scale[1],
      scale[2],
      offset[0],
      offset[1],
      offset[2],
      rowAt,
    );
    for (let c = 0; c < 3; c++) out.set(row.subarray(c * width, c * width + width), c * n + y * width);
  }
  return out;
}

/** The widest shrink toInputTensor resamples by itself. */
export const MAX_DIRECT_SHRINK = 2;
