import sharp from "sharp";
import { CutoutError } from "../errors.js";
import type { PixelImage } from "../image.js";

export interface DecodedImage {
  image: PixelImage;
  /** What the container said, before orientation and colour conversion. */
  source: { format: string; width: number; height: number; pages: number; orientation: number; hasAlpha: boolean };
  warnings: string[];
}

/**
 * Decodes to upright 8-bit sRGB: EXIF orientation applied; CMYK, greyscale,
 * 16-bit, palette and ICC-tagged inputs converted; the first frame of an
 * animation taken. The pixel limit is checked from the header alone, before
 * any pixel buffer exists. SVG is refused (unsupported_format). `onAccepted`
 * runs once the header has passed those checks, while the pixels decode.
 */
export async function decodeImage(bytes: Uint8Array, maxPixels: number, onAccepted?: () => void): Promise<DecodedImage> {
  if (bytes.length === 0) throw new CutoutError("invalid_image", "The input is empty (0 bytes)");
  let meta: sharp.Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false, pages: 1 }).metadata();
  } catch (error) {
    // libjpeg refuses a header claiming more than 65500 px a side before we can read it: a bomb all the same.
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
  if (width * height > maxPixels) {
    throw new CutoutError(
      "image_too_large",
      `The image is ${width}x${height} (${megapixels(width * height)}); the limit is ${megapixels(maxPixels)} (maxPixels)`,
    );
  }
  const pages = meta.pages ?? 1;
  const warnings = pages > 1 ? [`The input has ${pages} frames or pages; only the first was used`] : [];
  try {
    const pipeline = sharp(bytes, { limitInputPixels: maxPixels, pages: 1, page: 0, failOn: "error" }).rotate().toColourspace("srgb");
    const withChannels = meta.hasAlpha ? pipeline.ensureAlpha() : pipeline.removeAlpha();
    const decoding = withChannels.raw({ depth: "uchar" }).toBuffer({ resolveWithObject: true });
    // The header passed every check and libvips is decoding on its own threads: the caller may start other work now.
    onAccepted?.();
    const { data, info } = await decoding;
    return {
      image: { data, width: info.width, height: info.height, channels: info.channels === 4 ? 4 : 3 },
      source: {
        format: meta.format ?? "unknown",
        width,
        height,
        pages,
        orientation: meta.orientation ?? 1,
        hasAlpha: meta.hasAlpha ?? false,
      },
      warnings,
    };
  } catch (error) {
    throw new CutoutError("invalid_image", `The image could not be decoded (${shortReason(error)})`, { cause: error });
  }
}

function megapixels(pixels: number): string {
  return pixels >= 100_000 ? `${(pixels / 1e6).toFixed(1).replace(/\.0$/, "")} MP` : `${pixels} pixels`;
}

/** libvips messages can span lines and name temp paths; keep the first line. */
function shortReason(error: unknown): string {
  return (
    String((error as Error).message ?? error)
      .split("\n")[0]
      ?.trim() || "unknown error"
  );
}
