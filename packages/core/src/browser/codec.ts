import { resampleRgba } from "../effects/resample.js";
import { CutoutError } from "../errors.js";
import type { DecodedPhoto, ImageCodec, ReadLimits } from "../host.js";
import type { PixelImage } from "../image.js";
import { checkPixelLimit, framesWarning, readImageHeader, uprightSize } from "../image-header.js";
import { collectBytes, redactUrl, streamChunks, tooManyBytes } from "../input-bytes.js";
import { greyToRgb, withOpaqueAlpha, withoutAlpha } from "../output/channels.js";
import { encodeWith } from "../output/encode.js";
import { encodePngInBrowser } from "./png.js";

/** What a browser host passes as an image: bytes (a Figma image's, say), a Blob or File, a stream, or an http(s) URL. */
export type BrowserInput = Blob | ArrayBuffer | Uint8Array | ReadableStream<Uint8Array> | URL | string;

/**
 * A browser's images: createImageBitmap decodes (EXIF orientation applied,
 * alpha not premultiplied), after the header has passed the pixel limit;
 * canvases resize and write JPEG and WebP; PNG is our own writer over
 * CompressionStream. Runs in a window, a worker or a sandboxed iframe.
 */
export const browserCodec: ImageCodec<BrowserInput> = {
  read: readBrowserInput,
  decode: decodeInBrowser,
  resize: resizeInBrowser,
  encode: (rendered) =>
    encodeWith(rendered, {
      png: encodePngInBrowser,
      lossy: (format, pixels, width, height, channels) =>
        canvasEncode(format === "jpg" ? "image/jpeg" : "image/webp", pixels, width, height, channels),
    }),
};

async function readBrowserInput(input: BrowserInput, limits: ReadLimits): Promise<Uint8Array> {
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (typeof Blob !== "undefined" && input instanceof Blob) {
    if (input.size > limits.maxInputBytes) throw tooManyBytes("the Blob", limits.maxInputBytes);
    return new Uint8Array(await input.arrayBuffer());
  }
  if (input instanceof URL || (typeof input === "string" && /^https?:\/\//i.test(input))) return fetchBytes(String(input), limits);
  if (typeof input === "string") {
    throw new CutoutError("input_unreadable", "A browser has no file paths: pass the image's bytes, a Blob or an http(s) URL");
  }
  if (typeof (input as ReadableStream).getReader === "function")
    return collectBytes(streamChunks(input as ReadableStream<Uint8Array>), limits.maxInputBytes, "the stream");
  throw new CutoutError(
    "validation_error",
    `Expected bytes, a Blob, a stream or a URL for input but received ${Object.prototype.toString.call(input)}`,
    {
      field: "input",
    },
  );
}

async function fetchBytes(href: string, limits: ReadLimits): Promise<Uint8Array> {
  const shown = redactUrl(href);
  const timeout = AbortSignal.timeout(limits.timeoutMs);
  let response: Response;
  try {
    response = await fetch(href, { signal: limits.signal ? AbortSignal.any([limits.signal, timeout]) : timeout });
  } catch (error) {
    if (timeout.aborted) throw new CutoutError("timeout", `Fetching ${shown} timed out after ${limits.timeoutMs} ms`);
    throw new CutoutError("network_error", `Cannot fetch ${shown}: ${(error as Error).message}`);
  }
  if (!response.ok) throw new CutoutError("input_unreadable", `Fetching ${shown} failed: HTTP ${response.status} ${response.statusText}`);
  if (Number(response.headers.get("content-length")) > limits.maxInputBytes) throw tooManyBytes(shown, limits.maxInputBytes);
  try {
    return response.body ? await collectBytes(streamChunks(response.body), limits.maxInputBytes, shown) : new Uint8Array(0);
  } catch (error) {
    if (timeout.aborted) throw new CutoutError("timeout", `Fetching ${shown} timed out after ${limits.timeoutMs} ms`);
    throw error;
  }
}

async function decodeInBrowser(bytes: Uint8Array, maxPixels: number, request: { onAccepted?: () => void } = {}): Promise<DecodedPhoto> {
  const source = readImageHeader(bytes);
  const upright = uprightSize(source);
  checkPixelLimit(upright.width, upright.height, maxPixels);
  request.onAccepted?.();
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes as BlobPart]), {
      imageOrientation: "from-image",
      premultiplyAlpha: "none",
      colorSpaceConversion: "default",
    });
  } catch (error) {
    throw new CutoutError("invalid_image", `The image could not be decoded (${(error as Error).message})`, { cause: error });
  }
  try {
    const { width, height } = bitmap;
    const context = canvas2d(width, height);
    context.drawImage(bitmap, 0, 0);
    const rgba = new Uint8Array(context.getImageData(0, 0, width, height, { colorSpace: "srgb" }).data.buffer);
    const photo: PixelImage = source.hasAlpha
      ? { data: rgba, width, height, channels: 4 }
      : { data: withoutAlpha(rgba), width, height, channels: 3 };
    return { photo, source, warnings: framesWarning(source.pages) };
  } finally {
    bitmap.close();
  }
}

/**
 * Opaque photos are resized by the canvas (Chromium filters well when
 * shrinking); RGBA with the portable premultiplied filter, since a canvas
 * premultiplies and loses colour under low alpha.
 */
async function resizeInBrowser(image: PixelImage, width: number, height: number): Promise<PixelImage> {
  if (image.channels === 4) return { data: resampleRgba(image.data, image.width, image.height, width, height), width, height, channels: 4 };
  const source = canvas2d(image.width, image.height);
  source.putImageData(new ImageData(toClamped(withOpaqueAlpha(image.data)), image.width, image.height), 0, 0);
  const target = canvas2d(width, height);
  target.imageSmoothingQuality = "high";
  target.drawImage(source.canvas, 0, 0, width, height);
  return { data: withoutAlpha(new Uint8Array(target.getImageData(0, 0, width, height).data.buffer)), width, height, channels: 3 };
}

async function canvasEncode(type: string, pixels: Uint8Array, width: number, height: number, channels: 1 | 3 | 4): Promise<Uint8Array> {
  const context = canvas2d(width, height);
  const rgba = channels === 4 ? pixels : withOpaqueAlpha(channels === 3 ? pixels : greyToRgb(pixels));
  context.putImageData(new ImageData(toClamped(rgba), width, height), 0, 0);
  const blob = await (context.canvas as OffscreenCanvas).convertToBlob({ type, quality: 0.9 });
  // A browser that cannot write the type hands back a PNG instead.
  if (blob.type !== type)
    throw new CutoutError("validation_error", `This browser cannot encode ${type}; use format png`, { field: "format" });
  return new Uint8Array(await blob.arrayBuffer());
}

function canvas2d(width: number, height: number): OffscreenCanvasRenderingContext2D {
  const context = new OffscreenCanvas(width, height).getContext("2d", { willReadFrequently: true });
  if (!context) throw new CutoutError("inference_failed", "This browser gives no 2D canvas context");
  return context;
}

function toClamped(bytes: Uint8Array): Uint8ClampedArray<ArrayBuffer> {
  return new Uint8ClampedArray(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.length);
}
