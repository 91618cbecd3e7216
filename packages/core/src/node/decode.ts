import sharp from "sharp";
import { CutoutError } from "../errors.js";
import type { DecodedImage, DecodedPhoto } from "../host.js";
import type { PixelImage } from "../image.js";
import { checkPixelLimit, framesWarning, readImageHeader } from "../image-header.js";

export type { DecodedImage, DecodedPhoto };

/**
 * Decodes to upright 8-bit sRGB: EXIF orientation applied; CMYK, greyscale,
 * 16-bit, palette and ICC-tagged inputs converted; the first frame of an
 * animation taken. The pixel limit is checked from the header alone, before
 * any pixel buffer exists. SVG is refused (unsupported_format). `onAccepted`
 * runs once the header has passed those checks, while the pixels decode.
 */
export async function decodeImage(bytes: Uint8Array, maxPixels: number, onAccepted?: () => void): Promise<DecodedImage> {
  // No cover is ever twice infinity: the pixels are decoded whole.
  const { photo, ...rest } = await decodePhoto(bytes, maxPixels, Number.POSITIVE_INFINITY, onAccepted);
  return { image: photo as PixelImage, ...rest };
}

/**
 * As decodeImage, for the model: when the photo is a JPEG or WebP at least
 * twice `cover` px on both sides, only a preview covering `cover` x `cover`
 * is decoded before returning (libvips shrinks while it decodes, about a
 * quarter of the cost of a full 12 MP decode), and the full-size pixels
 * decode on libvips' threads while the model runs on the preview. With
 * `fullAfterPreview` the full decode starts only once the preview is done:
 * while a model is loading, two decodes at once delay the load, and the full
 * pixels are not needed before the model has run anyway.
 */
export async function decodePhoto(
  bytes: Uint8Array,
  maxPixels: number,
  cover: number,
  onAccepted?: () => void,
  fullAfterPreview = false,
): Promise<DecodedPhoto> {
  const header = await readHeader(bytes, maxPixels);
  const { width, height } = header.upright;
  const shrinks = SHRINK_ON_LOAD.has(header.source.format) && width >= 2 * cover && height >= 2 * cover;
  if (!shrinks) {
    const decoding = decodePixels(bytes, header, maxPixels);
    // The header passed every check and libvips is decoding on its own threads: the caller may start other work now.
    onAccepted?.();
    return { photo: await decoding, source: header.source, warnings: header.warnings };
  }
  const preview = decodePixels(bytes, header, maxPixels, cover);
  onAccepted?.();
  const pixels = fullAfterPreview ? preview.then(() => decodePixels(bytes, header, maxPixels)) : decodePixels(bytes, header, maxPixels);
  // Awaited once the matte is there; a failure before then must not surface as an unhandled rejection.
  pixels.catch(() => undefined);
  return { photo: { width, height, preview: await preview, pixels }, source: header.source, warnings: header.warnings };
}

/** Formats libvips can shrink while decoding (by 2, 4 or 8 for JPEG). */
const SHRINK_ON_LOAD = new Set(["jpeg", "webp"]);

interface Header {
  meta: sharp.Metadata;
  source: DecodedImage["source"];
  /** The size once EXIF orientation is applied. */
  upright: { width: number; height: number };
  warnings: string[];
}

/** The size a JPEG, PNG, WebP, GIF or BMP header declares, if it can be read. */
function declaredSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  try {
    return readImageHeader(bytes);
  } catch {
    return undefined;
  }
}

/** Reads and checks the header: refuses SVG and anything over the pixel limit before a pixel is decoded. */
async function readHeader(bytes: Uint8Array, maxPixels: number): Promise<Header> {
  if (bytes.length === 0) throw new CutoutError("invalid_image", "The input is empty (0 bytes)");
  let meta: sharp.Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false, pages: 1 }).metadata();
  } catch (error) {
    // libjpeg refuses a header claiming more than 65500 px a side before libvips gives its size: a bomb all the
    // same. Our own header reader decides first, since libvips' error text comes from a buffer every thread shares.
    const declared = declaredSize(bytes);
    if (declared) checkPixelLimit(declared.width, declared.height, maxPixels);
    if (/Maximum supported image dimension/i.test(shortReason(error))) {
      throw new CutoutError("image_too_large", `The image claims more pixels than can be decoded (${shortReason(error)})`, {
        cause: error,
      });
    }
    throw new CutoutError("invalid_image", `The input is not a supported image (${shortReason(error)})`, { cause: error });
  }
  if (meta.format === "svg") {
    // Refused by content, whatever the file is named: rendering an SVG has no cost bound (a 1 kB file of
    // nested blur filters takes minutes), and vector art has no photo background to remove. Rasterise it first.
    throw new CutoutError("unsupported_format", "SVG input is not supported; rasterise it to PNG first");
  }
  const width = meta.width ?? 0;
  const height = meta.pageHeight ?? meta.height ?? 0;
  checkPixelLimit(width, height, maxPixels);
  const pages = meta.pages ?? 1;
  const orientation = meta.orientation ?? 1;
  return {
    meta,
    source: { format: meta.format ?? "unknown", width, height, pages, orientation, hasAlpha: meta.hasAlpha ?? false },
    upright: orientation >= 5 ? { width: height, height: width } : { width, height },
    warnings: framesWarning(pages),
  };
}

/** The upright sRGB pixels, or with `cover`, the photo shrunk to cover cover x cover. */
async function decodePixels(bytes: Uint8Array, { meta }: Header, maxPixels: number, cover?: number): Promise<PixelImage> {
  try {
    const pipeline = sharp(bytes, { limitInputPixels: maxPixels, pages: 1, page: 0, failOn: "error" }).rotate().toColourspace("srgb");
    const withChannels = meta.hasAlpha ? pipeline.ensureAlpha() : pipeline.removeAlpha();
    const sized = cover === undefined ? withChannels : withChannels.resize(cover, cover, { fit: "outside" });
    const { data, info } = await sized.raw({ depth: "uchar" }).toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height, channels: info.channels === 4 ? 4 : 3 };
  } catch (error) {
    throw new CutoutError("invalid_image", `The image could not be decoded (${shortReason(error)})`, { cause: error });
  }
}

/** libvips messages can span lines and name temp paths; keep the first line. */
function shortReason(error: unknown): string {
  return (
    String((error as Error).message ?? error)
      .split("\n")[0]
      ?.trim() || "unknown error"
  );
}
