import sharp from "sharp";
import { encodeWith, type FormatWriters } from "../output/encode.js";
import type { Rendered } from "../render.js";
import { encodePng, UnexpectedDeflate } from "./png-encode.js";

export { MIME_TYPES } from "../engine.js";

/**
 * Encodes rendered pixels. PNG has its own writer (png-encode.ts): libvips
 * deflates on one thread, and its fast settings (no row filter) leave files
 * large, while its adaptive filter costs more than inference at 12 MP.
 */
export async function encodeRendered(image: Rendered): Promise<Buffer> {
  const writers: FormatWriters = {
    png,
    lossy: (format, pixels, width, height, channels) => {
      const raw = rawImage(pixels, width, height, channels);
      return (format === "jpg" ? raw.jpeg({ quality: 90 }) : raw.webp({ quality: 90, alphaQuality: 100 })).toBuffer();
    },
  };
  const out = await encodeWith(image, writers);
  return Buffer.isBuffer(out) ? out : Buffer.from(out.buffer, out.byteOffset, out.length);
}

/** A zlib whose stripes cannot be stitched (never seen) falls back to libvips. */
async function png(pixels: Uint8Array, width: number, height: number, channels: 1 | 3 | 4): Promise<Buffer> {
  try {
    const out = await encodePng(pixels, width, height, channels);
    return Buffer.from(out.buffer, out.byteOffset, out.length);
  } catch (error) {
    if (!(error instanceof UnexpectedDeflate)) throw error;
    return libvipsPng(pixels, width, height, channels);
  }
}

/** libvips' fast PNG: zlib level 3, no row filter (the engine's writer before png-encode.ts; `pnpm bench --png` compares them). */
export function libvipsPng(pixels: Uint8Array, width: number, height: number, channels: 1 | 3 | 4): Promise<Buffer> {
  return rawImage(pixels, width, height, channels).png({ compressionLevel: 3, adaptiveFiltering: false }).toBuffer();
}

function rawImage(data: Uint8Array, width: number, height: number, channels: 1 | 3 | 4): sharp.Sharp {
  const pipeline = sharp(data, { raw: { width, height, channels } });
  return channels === 1 ? pipeline.toColourspace("b-w") : pipeline;
}
