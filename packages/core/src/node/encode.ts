import sharp from "sharp";
import { encodeBmp } from "../output/bmp.js";
import { createZip } from "../output/zip.js";
import type { ConcreteFormat, Rendered } from "../render.js";

export const MIME_TYPES: Record<ConcreteFormat, string> = {
  png: "image/png",
  webp: "image/webp",
  jpg: "image/jpeg",
  bmp: "image/bmp",
  zip: "application/zip",
};

/**
 * Encodes rendered pixels. PNG uses a fast zlib level without adaptive
 * filtering: at 12 MP the default costs more than inference. Transparent
 * pixels are black, so runs of them compress well anyway.
 */
export async function encodeRendered(image: Rendered): Promise<Buffer> {
  const { pixels, width, height, channels } = image;
  const raw = (data: Uint8Array, c: 1 | 3 | 4) => {
    const pipeline = sharp(data, { raw: { width, height, channels: c } });
    return c === 1 ? pipeline.toColourspace("b-w") : pipeline;
  };
  switch (image.format) {
    case "png":
      return raw(pixels, channels).png({ compressionLevel: 3, adaptiveFiltering: false }).toBuffer();
    case "webp":
      return raw(pixels, channels).webp({ quality: 90, alphaQuality: 100 }).toBuffer();
    case "jpg":
      return raw(pixels, channels).jpeg({ quality: 90 }).toBuffer();
    case "bmp":
      return Buffer.from(channels === 1 ? encodeBmp(greyToRgb(pixels), width, height, 3) : encodeBmp(pixels, width, height, channels));
    case "zip": {
      // remove.bg's zip: the (estimated foreground) colours, and the matte beside them.
      const color = await (channels === 4 ? raw(pixels, 4).removeAlpha() : raw(pixels, channels)).jpeg({ quality: 90 }).toBuffer();
      const alpha = await raw(image.matte, 1).png().toBuffer();
      return Buffer.from(
        createZip([
          { name: "color.jpg", data: color },
          { name: "alpha.png", data: alpha },
        ]),
      );
    }
  }
}

function greyToRgb(grey: Uint8Array): Uint8Array {
  const out = new Uint8Array(grey.length * 3);
  for (let i = 0, o = 0; i < grey.length; i++, o += 3) out[o] = out[o + 1] = out[o + 2] = grey[i];
  return out;
}
