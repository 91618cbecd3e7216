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
 * Every value of `out` is written. The arithmetic is the kernels
 * resampleRow and blendRows, or inputRow at the image's own size
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
  const scale = perChannel((c) => 1 / (255 * norm.std[c]));
  const offset = perChannel((c) => norm.mean[c] / norm.std[c]);
  const resampled = width !== image.width || height !== image.height;
  const k = kernels();
  const { exports } = k;
  const staging = k.staging();
  const stride = image.width * channels;
  const columns = resampled ? k.axis(staging, axisWeights(image.width, width)) : undefined;
  const sourceAt = staging.take(stride);
  const rowAt = staging.take(3 * width * 4);
  // Two source rows resized across: each output row blends a pair, and neighbouring rows share one.
  const slots = resampled ? [staging.take(3 * width * 4), staging.take(3 * width * 4)] : [];
  k.reserve(staging.bytes);
  const row = new Float32Array(k.buffer, rowAt, 3 * width);
  const held = [-1, -1];
  const across = (y: number, keep: number): number => {
    const found = held.indexOf(y);
    if (found >= 0) return slots[found] as number;
    const slot = held[0] === keep ? 1 : 0;
    k.copyIn(sourceAt, image.data.subarray(y * stride, y * stride + stride));
    exports.resampleRow(sourceAt, channels, ...(columns as [number, number, number]), width, slots[slot] as number);
    held[slot] = y;
    return slots[slot] as number;
  };
  const rows = axisWeights(image.height, height);
  for (let y = 0; y < height; y++) {
    if (columns) {
      const top = rows.xs0[y] as number;
      const bottom = rows.xs1[y] as number;
      const topAt = across(top, bottom);
      exports.blendRows(topAt, across(bottom, top), width, rows.xw[y] as number, ...scale, ...offset, rowAt);
    } else {
      k.copyIn(sourceAt, image.data.subarray(y * stride, y * stride + stride));
      exports.inputRow(sourceAt, channels, width, ...scale, ...offset, rowAt);
    }
    for (let c = 0; c < 3; c++) out.set(row.subarray(c * width, c * width + width), c * n + y * width);
  }
  return out;
}

function perChannel(value: (c: 0 | 1 | 2) => number): [number, number, number] {
  return [value(0), value(1), value(2)];
}

/** The widest shrink toInputTensor resamples by itself. */
export const MAX_DIRECT_SHRINK = 2;
