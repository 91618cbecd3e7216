import sharp from "sharp";
import type { Rgba } from "../color.js";
import type { OutputFormat } from "../options.js";
import { flattenOver } from "../output/flatten.js";
import { createZip } from "../output/zip.js";

export const MIME_TYPES: Record<OutputFormat, string> = {
  png: "image/png",
  webp: "image/webp",
  jpg: "image/jpeg",
  zip: "application/zip",
  mask: "image/png",
};

export interface EncodeSettings {
  format: OutputFormat;
  bgColor: Rgba;
}

/**
 * Encodes un-premultiplied RGBA. PNG uses a fast zlib level: at 12 MP the
 * default level costs more than inference for a file only a few percent
 * smaller.
 */
export async function encodeCutout(rgba: Uint8Array, alpha: Uint8Array, width: number, height: number, settings: EncodeSettings): Promise<Buffer> {
  const raw = (data: Uint8Array, channels: 1 | 3 | 4) => sharp(data, { raw: { width, height, channels } });
  switch (settings.format) {
    case "png":
      return raw(rgba, 4).png({ compressionLevel: 3, adaptiveFiltering: false }).toBuffer();
    case "webp":
      return raw(rgba, 4).webp({ quality: 90, alphaQuality: 100 }).toBuffer();
    case "jpg":
      return raw(flattenOver(rgba, settings.bgColor), 3).jpeg({ quality: 90 }).toBuffer();
    case "mask":
      return maskPng(alpha, width, height);
    case "zip": {
      // remove.bg's zip: the estimated foreground colours, and the matte beside them.
      const color = await raw(rgba, 4).removeAlpha().jpeg({ quality: 90 }).toBuffer();
      const mask = await maskPng(alpha, width, height);
      return Buffer.from(createZip([{ name: "color.jpg", data: color }, { name: "alpha.png", data: mask }]));
    }
  }
}

function maskPng(alpha: Uint8Array, width: number, height: number): Promise<Buffer> {
  return sharp(alpha, { raw: { width, height, channels: 1 } }).toColourspace("b-w").png({ compressionLevel: 6 }).toBuffer();
}
