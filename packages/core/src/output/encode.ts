import type { Rendered } from "../render.js";
import { encodeBmp } from "./bmp.js";
import { greyToRgb, withoutAlpha } from "./channels.js";
import { createZip } from "./zip.js";

/** A host's writers for the formats it encodes natively; BMP and ZIP are written here. */
export interface FormatWriters {
  png(pixels: Uint8Array, width: number, height: number, channels: 1 | 3 | 4): Promise<Uint8Array>;
  /** JPEG (quality 90) or WebP (quality 90, alpha lossless). */
  lossy(format: "jpg" | "webp", pixels: Uint8Array, width: number, height: number, channels: 1 | 3 | 4): Promise<Uint8Array>;
}

/** Encodes rendered pixels in their format with a host's writers: the same files in every host, up to its codecs. */
export async function encodeWith(image: Rendered, writers: FormatWriters): Promise<Uint8Array> {
  const { pixels, width, height, channels } = image;
  switch (image.format) {
    case "png":
      return writers.png(pixels, width, height, channels);
    case "webp":
    case "jpg":
      return writers.lossy(image.format, pixels, width, height, channels);
    case "bmp":
      return channels === 1 ? encodeBmp(greyToRgb(pixels), width, height, 3) : encodeBmp(pixels, width, height, channels);
    case "zip": {
      // remove.bg's zip: the (estimated foreground) colours, and the matte beside them.
      const colours = channels === 4 ? withoutAlpha(pixels) : pixels;
      const color = await writers.lossy("jpg", colours, width, height, channels === 4 ? 3 : channels);
      const alpha = await writers.png(image.matte, width, height, 1);
      return createZip([
        { name: "color.jpg", data: color },
        { name: "alpha.png", data: alpha },
      ]);
    }
  }
}
