import sharp from "sharp";
import { encodeBmp } from "../output/bmp.js";
import { createZip } from "../output/zip.js";
import type { Rendered } from "../render.js";
import { encodePng, type PngWriter, UnexpectedDeflate } from "./png-encode.js";

export { MIME_TYPES } from "../engine.js";

/**
 * Encodes rendered pixels. PNG has its own writer (png-encode.ts): libvips
 * deflates on one thread, and its fast settings (no row filter) leave files
 * large, while its adaptive filter costs more than inference at 12 MP.
 */
export async function encodeRendered(image: Rendered, begun?: PngWriter): Promise<Buffer> {
  const { pixels, width, height, channels } = image;
  const raw = (data: Uint8Array, c: 1 | 3 | 4) => rawImage(data, width, height, c);
  // A PNG begun while the pixels were written (PngWriter) is finished if these are its pixels; its owner abandons it otherwise.
  const early = begun?.pixels === pixels && image.format === "png" && channels === 4 ? begun : undefined;
  switch (image.format) {
    case "png":
      return png(pixels, width, height, channels, early);
    case "webp":
      return raw(pixels, channels).webp({ quality: 90, alphaQuality: 100 }).toBuffer();
    case "jpg":
      return raw(pixels, channels).jpeg({ quality: 90 }).toBuffer();
    case "bmp":
      return Buffer.from(channels === 1 ? encodeBmp(greyToRgb(pixels), width, height, 3) : encodeBmp(pixels, width, height, channels));
    case "zip": {
      // remove.bg's zip: the (estimated foreground) colours, and the matte beside them.
      const color = await (channels === 4 ? raw(pixels, 4).removeAlpha() : raw(pixels, channels)).jpeg({ quality: 90 }).toBuffer();
      const alpha = await png(image.matte, width, height, 1);
      return Buffer.from(
        createZip([
          { name: "color.jpg", data: color },
          { name: "alpha.png", data: alpha },
        ]),
      );
    }
  }
}

/** A zlib whose stripes cannot be stitched (never seen) falls back to libvips. */
async function png(pixels: Uint8Array, width: number, height: number, channels: 1 | 3 | 4, begun?: PngWriter): Promise<Buffer> {
  try {
    const out = await (begun ? begun.finish() : encodePng(pixels, width, height, channels));
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

function greyToRgb(grey: Uint8Array): Uint8Array {
  const out = new Uint8Array(grey.length * 3);
  for (let i = 0, o = 0; i < grey.length; i++, o += 3) out[o] = out[o + 1] = out[o + 2] = grey[i];
  return out;
}
