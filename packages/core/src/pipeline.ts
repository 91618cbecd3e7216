import type { Box, PixelImage, PixelResizer, Plane } from "./image.js";
import { foregroundBox } from "./matte/bounding-box.js";
import { applyForeground, estimateForeground, softCells } from "./matte/foreground.js";
import { applyGuidedFilter, fitGuidedFilter, snapMatte } from "./matte/guided-filter.js";
import { MAX_DIRECT_SHRINK, toInputTensor } from "./matte/preprocess.js";
import { resizePlane } from "./matte/resize.js";
import type { MatteSession } from "./sessions/session.js";

export interface CutoutPixels {
  /** Un-premultiplied RGBA at the input's size, with foreground colours estimated at soft edges. */
  rgba: Uint8Array;
  /** The alpha matte, one byte per pixel. */
  alpha: Uint8Array;
  width: number;
  height: number;
  foreground: Box | null;
  timings: { preprocess: number; inference: number; postprocess: number };
}

/** Size, in pixels of the long side, at which the matte is refined before being applied at full size. */
const WORKING_SIZE = 1024;

/**
 * The portable heart of the engine: pixels in, cutout pixels out. Everything
 * host-specific (decoding, fast resizing, encoding, the onnxruntime flavour)
 * is passed in, so the Figma UI runs this unchanged.
 */
export async function cutoutPixels(image: PixelImage, session: MatteSession, resize: PixelResizer): Promise<CutoutPixels> {
  const t0 = now();
  const tensor = await modelInput(image, session, resize);
  const t1 = now();
  const matte = await session.predict(tensor);
  const t2 = now();
  const alpha = refineMatte(image, await workingGuide(image, resize), matte);
  const t3 = now();
  return {
    ...alpha,
    timings: { preprocess: t1 - t0, inference: t2 - t1, postprocess: t3 - t2 },
  };
}

/**
 * The tensor the model sees for a photo: flattened over white, resized to
 * its input, normalised. Up to a 2x shrink the resize is a bilinear pass fused
 * with the normalisation (the resampling the model was trained with, and
 * about 4x faster than a libvips lanczos round trip at 1 MP); larger photos
 * go through the host's resizer, which filters out what bilinear would alias.
 */
export async function modelInput(
  image: PixelImage,
  session: Pick<MatteSession, "inputSize" | "normalization">,
  resize: PixelResizer,
): Promise<Float32Array> {
  const [inW, inH] = session.inputSize;
  const direct = image.width <= inW * MAX_DIRECT_SHRINK && image.height <= inH * MAX_DIRECT_SHRINK;
  if (direct) return toInputTensor(flattenOverWhite(image), session.normalization, inW, inH);
  return toInputTensor(flattenOverWhite(await resize(image, inW, inH)), session.normalization);
}

async function workingGuide(image: PixelImage, resize: PixelResizer): Promise<PixelImage> {
  const scale = Math.min(1, WORKING_SIZE / Math.max(image.width, image.height));
  if (scale === 1) return image;
  const w = Math.max(1, Math.round(image.width * scale));
  const h = Math.max(1, Math.round(image.height * scale));
  return resize(image, w, h);
}

/**
 * Brings the model's square matte back to the photo: a colour guided filter
 * fitted at working size snaps its edges to the photo's edges, then
 * foreground colours are estimated so the old background does not tint hair.
 */
export function refineMatte(image: PixelImage, guide: PixelImage, matte: Plane): Omit<CutoutPixels, "timings"> {
  const { width, height } = image;
  const working = resizePlane(matte, guide.width, guide.height);
  snapMatte(working.data);
  const long = Math.max(guide.width, guide.height);
  const coefficients = fitGuidedFilter(guide, working, guidedRadius(guide, matte), 1e-4);
  const alpha = applyGuidedFilter(coefficients, image);
  if (image.channels === 4) multiplyAlpha(alpha, image.data);
  const guideAlpha = guide === image ? alpha : applyGuidedFilter(coefficients, guide);
  if (guide !== image && guide.channels === 4) multiplyAlpha(guideAlpha, guide.data);
  const alphaFloat = new Float32Array(guideAlpha.length);
  for (let i = 0; i < alphaFloat.length; i++) alphaFloat[i] = guideAlpha[i] / 255;
  // Only soft pixels read the colour estimate, so it is computed only on the cells under them.
  const wanted = softCells(alpha, width, height, guide.width, guide.height);
  const estimate = estimateForeground(guide, alphaFloat, Math.max(2, Math.round(long / 22)), Math.max(1, Math.round(long / 340)), wanted);
  const rgba = applyForeground(image, alpha, estimate);
  return { rgba, alpha, width, height, foreground: foregroundBox(alpha, width, height) };
}

/**
 * The filter's window must span the band where the matte's edge may be
 * wrong: a couple of matte pixels, measured in guide pixels. A coarse matte
 * stretched 4x gets radius 10; the model's 1024 px matte on a 1024 px guide,
 * radius 3. Tuned with `pnpm eval --refine` (docs/quality.md).
 */
export function guidedRadius(guide: { width: number; height: number }, matte: { width: number; height: number }): number {
  const upscale = Math.max(guide.width / matte.width, guide.height / matte.height);
  return Math.max(2, Math.round(2.5 * upscale));
}

/** An input that already has transparency keeps it: the model can only remove more. */
function multiplyAlpha(alpha: Uint8Array, rgba: Uint8Array | Uint8ClampedArray): void {
  for (let i = 0, j = 3; i < alpha.length; i++, j += 4) {
    const a = rgba[j];
    if (a !== 255) alpha[i] = (alpha[i] * a + 127) / 255;
  }
}

/** The model was trained on opaque photos; show it transparent regions as white. */
function flattenOverWhite(image: PixelImage): PixelImage {
  if (image.channels === 3) return image;
  const n = image.width * image.height;
  const out = new Uint8Array(n * 3);
  const src = image.data;
  for (let i = 0, j = 0, o = 0; i < n; i++, j += 4, o += 3) {
    const a = src[j + 3];
    const k = 255 - a;
    out[o] = (src[j] * a + 255 * k + 127) / 255;
    out[o + 1] = (src[j + 1] * a + 255 * k + 127) / 255;
    out[o + 2] = (src[j + 2] * a + 255 * k + 127) / 255;
  }
  return { data: out, width: image.width, height: image.height, channels: 3 };
}

function now(): number {
  return globalThis.performance.now();
}
