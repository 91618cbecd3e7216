import type { Box, PixelImage, PixelResizer, Plane } from "./image.js";
import { foregroundBox } from "./matte/bounding-box.js";
import { applyCutout } from "./matte/cutout.js";
import { applyForeground, blockCells, estimateForeground, softCells, unitAlpha } from "./matte/foreground.js";
import { applyGuidedFilter, fitGuidedFilter, settledBlocks, UNSETTLED, workingMatte } from "./matte/guided-filter.js";
import { MAX_DIRECT_SHRINK, toInputTensor } from "./matte/preprocess.js";
import { type Scratch, scratchDirty } from "./scratch.js";
import type { MatteSession } from "./sessions/session.js";

export interface CutoutPixels {
  /** Un-premultiplied RGBA at the input's size, with foreground colours estimated at soft edges. */
  rgba: Uint8Array;
  /** The alpha matte, one byte per pixel. */
  alpha: Uint8Array;
  width: number;
  height: number;
  foreground: Box | null;
  /**
   * Milliseconds per stage. `modelWait`: time spent waiting for a session
   * still loading, after the model input was built. `decodeWait`: time spent
   * after inference waiting for the full-size pixels of a PendingPhoto (the
   * rest of their decode ran beside the model).
   */
  timings: { preprocess: number; modelWait: number; inference: number; decodeWait: number; postprocess: number };
}

/**
 * A photo whose full-size pixels are still decoding. A host that can shrink
 * while it decodes (libvips' JPEG and WebP shrink-on-load, about a quarter of
 * the cost of a full 12 MP decode) hands over the small decode as `preview`:
 * the model runs on it while the full-size pixels decode on the host's own
 * threads, needed only once the matte is there.
 */
export interface PendingPhoto {
  /** The full-size photo's size. */
  width: number;
  height: number;
  /** The photo shrunk to cover the model input (at least its size on both axes). */
  preview: PixelImage;
  pixels: Promise<PixelImage>;
}

/** What building the model's input needs to know about a session. */
export type ModelInputSpec = Pick<MatteSession, "inputSize" | "normalization">;

export interface PipelineOptions {
  /**
   * The session's input, when it is known before the session exists (from
   * the model's manifest entry): with a session still loading, the model
   * input is then built while it loads (the main thread would only wait).
   */
  input?: ModelInputSpec;
  /** Buffers reused from one image to the next (a Remover keeps one). */
  scratch?: Scratch;
  /** Supplies the RGBA result's buffer (length bytes), a pooled one say; a fresh array when absent. */
  rgbaBuffer?: (length: number) => Uint8Array;
}

/** Size, in pixels of the long side, at which the matte is refined before being applied at full size. */
const WORKING_SIZE = 1024;

/**
 * The portable heart of the engine: pixels in, cutout pixels out. Everything
 * host-specific (decoding, fast resizing, encoding, the onnxruntime flavour)
 * is passed in, so the Figma UI runs this unchanged. The working-size guide
 * is resized (by the host, on its own threads where it has them) while the
 * model runs.
 */
export async function cutoutPixels(
  photo: PixelImage | PendingPhoto,
  loading: MatteSession | Promise<MatteSession>,
  resize: PixelResizer,
  options: PipelineOptions = {},
): Promise<CutoutPixels> {
  const t0 = now();
  const pending = "preview" in photo ? photo : undefined;
  const source = pending ? pending.preview : (photo as PixelImage);
  const guide = workingGuide(source, pending ?? source, resize);
  // Awaited after inference; a failure before then must not surface as an unhandled rejection.
  guide.catch(() => undefined);
  const tensor = await modelInput(source, options.input ?? (await loading), resize, options.scratch);
  const t1 = now();
  const session = await loading;
  if (options.input && !sameInput(options.input, session)) {
    throw new RangeError(`the session takes ${session.inputSize.join("x")} input, not the announced ${options.input.inputSize.join("x")}`);
  }
  const t1b = now();
  const matte = await session.predict(tensor);
  const t2 = now();
  const image = pending ? await pending.pixels : (photo as PixelImage);
  const t3 = now();
  const alpha = refineMatte(image, await guide, matte, options);
  const t4 = now();
  return {
    ...alpha,
    timings: { preprocess: t1 - t0, modelWait: t1b - t1, inference: t2 - t1b, decodeWait: t3 - t2, postprocess: t4 - t3 },
  };
}

function sameInput(a: ModelInputSpec, b: ModelInputSpec): boolean {
  const key = ({ inputSize, normalization }: ModelInputSpec) => JSON.stringify([inputSize, normalization.mean, normalization.std]);
  return key(a) === key(b);
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
  session: ModelInputSpec,
  resize: PixelResizer,
  scratch?: Scratch,
): Promise<Float32Array> {
  const [inW, inH] = session.inputSize;
  const out = scratchDirty(scratch, "model.input", Float32Array, 3 * inW * inH);
  const direct = image.width <= inW * MAX_DIRECT_SHRINK && image.height <= inH * MAX_DIRECT_SHRINK;
  if (direct) return toInputTensor(flattenOverWhite(image), session.normalization, inW, inH, out);
  return toInputTensor(flattenOverWhite(await resize(image, inW, inH)), session.normalization, inW, inH, out);
}

/** The photo at working size (the photo itself when it is no larger), resized from `source`, which has `size`'s aspect. */
function workingGuide(source: PixelImage, size: { width: number; height: number }, resize: PixelResizer): Promise<PixelImage> {
  const scale = Math.min(1, WORKING_SIZE / Math.max(size.width, size.height));
  if (scale === 1 && source.width === size.width && source.height === size.height) return Promise.resolve(source);
  const w = Math.max(1, Math.round(size.width * scale));
  const h = Math.max(1, Math.round(size.height * scale));
  return resize(source, w, h);
}

/**
 * Brings the model's square matte back to the photo: a colour guided filter
 * fitted at working size snaps its edges to the photo's edges, then
 * foreground colours are estimated so the old background does not tint hair.
 */
export function refineMatte(
  image: PixelImage,
  guide: PixelImage,
  matte: Plane,
  { scratch, rgbaBuffer }: PipelineOptions = {},
): Omit<CutoutPixels, "timings"> {
  const { width, height } = image;
  const gn = guide.width * guide.height;
  const working = workingMatte(matte, guide.width, guide.height);
  const long = Math.max(guide.width, guide.height);
  const coefficients = fitGuidedFilter(guide, working, guidedRadius(guide, matte), 1e-4);
  const rgba = rgbaBuffer?.(width * height * 4);
  // A photo larger than its guide, without alpha of its own, is cut out in one full-size pass (applyCutout).
  const onePass = guide !== image && image.channels === 3;
  const alpha = onePass ? undefined : applyGuidedFilter(coefficients, image);
  if (alpha && image.channels === 4) multiplyAlpha(alpha, image.data);
  const guideAlpha =
    guide === image && alpha ? alpha : applyGuidedFilter(coefficients, guide, scratchDirty(scratch, "refine.guideAlpha", Uint8Array, gn));
  if (guide !== image && guide.channels === 4) multiplyAlpha(guideAlpha, guide.data);
  // Only soft pixels read the colour estimate, so it is computed only on the cells under them.
  const wanted = alpha
    ? softCells(alpha, width, height, guide.width, guide.height)
    : blockCells(settledBlocks(coefficients), guide.width, guide.height, UNSETTLED);
  const estimate = estimateForeground(
    guide,
    unitAlpha(guideAlpha),
    Math.max(2, Math.round(long / 22)),
    Math.max(1, Math.round(long / 340)),
    wanted,
  );
  if (!alpha) return { ...applyCutout(coefficients, image, estimate, rgba), width, height };
  return { rgba: applyForeground(image, alpha, estimate, rgba), alpha, width, height, foreground: foregroundBox(alpha, width, height) };
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
