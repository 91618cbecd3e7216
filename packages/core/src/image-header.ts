import { CutoutError } from "./errors.js";
import type { SourceInfo } from "./host.js";

/**
 * What an image file's header says, read before any pixel is decoded: its
 * format, size, EXIF orientation, frames and whether it has alpha. A host
 * whose decoder has no pixel limit of its own (a browser's
 * createImageBitmap) checks the limit from this first.
 */
export function readImageHeader(bytes: Uint8Array): SourceInfo {
  if (bytes.length === 0) throw new CutoutError("invalid_image", "The input is empty (0 bytes)");
  const header = pngHeader(bytes) ?? jpegHeader(bytes) ?? webpHeader(bytes) ?? gifHeader(bytes) ?? bmpHeader(bytes);
  if (header) return header;
  if (looksLikeSvg(bytes)) throw new CutoutError("unsupported_format", "SVG input is not supported; rasterise it to PNG first");
  throw new CutoutError("invalid_image", "The input is not a supported image (JPEG, PNG, WebP, GIF or BMP)");
}

/** The size once EXIF orientation is applied (5 to 8 turn the image a quarter). */
export function uprightSize(source: SourceInfo): { width: number; height: number } {
  return source.orientation >= 5 ? { width: source.height, height: source.width } : { width: source.width, height: source.height };
}

/** image_too_large when width x height is over the limit. */
export function checkPixelLimit(width: number, height: number, maxPixels: number): void {
  if (width * height > maxPixels) {
    throw new CutoutError(
      "image_too_large",
      `The image is ${width}x${height} (${megapixels(width * height)}); the limit is ${megapixels(maxPixels)} (maxPixels)`,
    );
  }
}

/** The warning for an input with several frames. */
export function framesWarning(pages: number): string[] {
  return pages > 1 ? [`The input has ${pages} frames or pages; only the first was used`] : [];
}

function megapixels(pixels: number): string {
  return pixels >= 100_000 ? `${(pixels / 1e6).toFixed(1).replace(/\.0$/, "")} MP` : `${pixels} pixels`;
}

function info(format: string, width: number, height: number, extra: Partial<SourceInfo> = {}): SourceInfo {
  if (!(width > 0 && height > 0)) throw new CutoutError("invalid_image", `The ${format} header gives no size (${width}x${height})`);
  return { format, width, height, pages: 1, orientation: 1, hasAlpha: false, ...extra };
}

const ascii = (bytes: Uint8Array, at: number, length: number) => String.fromCharCode(...bytes.subarray(at, at + length));

function pngHeader(b: Uint8Array): SourceInfo | undefined {
  if (b.length < 33 || b[0] !== 0x89 || ascii(b, 1, 3) !== "PNG") return undefined;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const colourType = b[25];
  let hasAlpha = colourType === 4 || colourType === 6;
  let pages = 1;
  // Chunks up to the first IDAT: tRNS gives alpha, acTL an animation's frame count.
  for (let at = 8; at + 8 <= b.length; ) {
    const length = view.getUint32(at);
    const type = ascii(b, at + 4, 4);
    if (type === "IDAT") break;
    if (type === "tRNS") hasAlpha = true;
    if (type === "acTL" && at + 12 <= b.length) pages = view.getUint32(at + 8);
    at += 12 + length;
  }
  return info("png", view.getUint32(16), view.getUint32(20), { hasAlpha, pages });
}

function jpegHeader(b: Uint8Array): SourceInfo | undefined {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return undefined;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let orientation = 1;
  for (let at = 2; at + 4 <= b.length; ) {
    if (b[at] !== 0xff) break;
    const marker = b[at + 1];
    if (marker === 0xff) {
      at++;
      continue;
    }
    const length = view.getUint16(at + 2);
    if (marker === 0xe1 && ascii(b, at + 4, 6) === "Exif\0\0") orientation = exifOrientation(b, at + 10, at + 2 + length) ?? 1;
    // SOF0 to SOF15, less DHT (C4), JPG (C8) and DAC (CC): height, then width.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc && at + 9 <= b.length) {
      return info("jpeg", view.getUint16(at + 7), view.getUint16(at + 5), { orientation });
    }
    at += 2 + length;
  }
  throw new CutoutError("invalid_image", "The JPEG has no frame header (truncated or corrupt)");
}

/** The orientation tag (0x0112) of the TIFF structure at [start, end), or undefined. */
function exifOrientation(b: Uint8Array, start: number, end: number): number | undefined {
  if (end > b.length || end - start < 8) return undefined;
  const view = new DataView(b.buffer, b.byteOffset + start, end - start);
  const little = view.getUint16(0) === 0x4949;
  const ifd = view.getUint32(4, little);
  if (ifd + 2 > view.byteLength) return undefined;
  const count = view.getUint16(ifd, little);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > view.byteLength) return undefined;
    if (view.getUint16(entry, little) === 0x0112) {
      const value = view.getUint16(entry + 8, little);
      return value >= 1 && value <= 8 ? value : undefined;
    }
  }
  return undefined;
}

function webpHeader(b: Uint8Array): SourceInfo | undefined {
  if (b.length < 30 || ascii(b, 0, 4) !== "RIFF" || ascii(b, 8, 4) !== "WEBP") return undefined;
  const kind = ascii(b, 12, 4);
  const u24 = (at: number) => b[at] | (b[at + 1] << 8) | (b[at + 2] << 16);
  if (kind === "VP8 ") return info("webp", (b[26] | (b[27] << 8)) & 0x3fff, (b[28] | (b[29] << 8)) & 0x3fff);
  if (kind === "VP8L") {
    const bits = (b[21] | (b[22] << 8) | (b[23] << 16) | (b[24] << 24)) >>> 0;
    return info("webp", (bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1, { hasAlpha: ((bits >>> 28) & 1) === 1 });
  }
  if (kind === "VP8X") {
    const flags = b[20];
    let pages = 1;
    if (flags & 0x02) {
      // An animation: count its frames (ANMF chunks).
      pages = 0;
      for (let at = 12; at + 8 <= b.length; at += 8 + ((u24(at + 4) + b[at + 7] * 0x1000000 + 1) & ~1))
        if (ascii(b, at, 4) === "ANMF") pages++;
    }
    return info("webp", u24(24) + 1, u24(27) + 1, { hasAlpha: (flags & 0x10) !== 0, pages: Math.max(1, pages) });
  }
  throw new CutoutError("invalid_image", `The WebP has an unknown first chunk '${kind}'`);
}

function gifHeader(b: Uint8Array): SourceInfo | undefined {
  if (b.length < 13 || (ascii(b, 0, 6) !== "GIF87a" && ascii(b, 0, 6) !== "GIF89a")) return undefined;
  const width = b[6] | (b[7] << 8);
  const height = b[8] | (b[9] << 8);
  let at = 13 + (b[10] & 0x80 ? 3 << ((b[10] & 7) + 1) : 0);
  let pages = 0;
  let hasAlpha = false;
  const skipBlocks = () => {
    while (at < b.length && b[at] !== 0) at += b[at] + 1;
    at++;
  };
  // Walk the blocks: each image descriptor is a frame; a graphic control extension may make a colour transparent.
  while (at < b.length && b[at] !== 0x3b) {
    if (b[at] === 0x2c) {
      pages++;
      const packed = b[at + 9];
      at += 10 + (packed & 0x80 ? 3 << ((packed & 7) + 1) : 0) + 1;
      skipBlocks();
    } else if (b[at] === 0x21) {
      if (b[at + 1] === 0xf9 && b[at + 3] & 1) hasAlpha = true;
      at += 2;
      skipBlocks();
    } else break;
  }
  return info("gif", width, height, { pages: Math.max(1, pages), hasAlpha });
}

function bmpHeader(b: Uint8Array): SourceInfo | undefined {
  if (b.length < 30 || ascii(b, 0, 2) !== "BM") return undefined;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return info("bmp", Math.abs(view.getInt32(18, true)), Math.abs(view.getInt32(22, true)), { hasAlpha: view.getUint16(28, true) === 32 });
}

function looksLikeSvg(b: Uint8Array): boolean {
  const text = ascii(b, 0, Math.min(b.length, 512))
    .replace(/^\uFEFF/, "")
    .trimStart();
  return /^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(text);
}
