import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { encodePngInBrowser, storedZlib } from "../src/browser/png.js";
import type { CutoutError } from "../src/errors.js";
import { readImageHeader } from "../src/image-header.js";
import { encodeBmp } from "../src/output/bmp.js";
import { pngFile } from "../src/output/png.js";

const solid = (width: number, height: number, channels: 3 | 4) =>
  sharp({ create: { width, height, channels, background: { r: 200, g: 90, b: 30, alpha: channels === 4 ? 0.5 : 1 } } });

/** What sharp (libvips) reads from the same bytes, in the header's terms. */
async function libvipsSays(bytes: Uint8Array) {
  const meta = await sharp(bytes, { pages: 1 }).metadata();
  return {
    format: meta.format,
    width: meta.width,
    height: meta.pageHeight ?? meta.height,
    pages: meta.pages ?? 1,
    orientation: meta.orientation ?? 1,
    hasAlpha: meta.hasAlpha,
  };
}

describe("readImageHeader (a browser's pixel limit, before createImageBitmap)", () => {
  it("reads what libvips reads: format, stored size, EXIF orientation, frames and alpha", async () => {
    const frames = [solid(30, 20, 4), solid(30, 20, 4), solid(30, 20, 4)].map((s) => s.png().toBuffer());
    const files: Buffer[] = [
      await solid(37, 23, 3).jpeg().withMetadata({ orientation: 6 }).toBuffer(),
      await solid(37, 23, 3).jpeg().toBuffer(),
      await solid(37, 23, 3).png().toBuffer(),
      await solid(37, 23, 4).png().toBuffer(),
      await solid(37, 23, 3).png({ palette: true }).toBuffer(),
      await solid(37, 23, 4).png({ palette: true }).toBuffer(),
      await solid(37, 23, 3).webp().toBuffer(),
      await solid(37, 23, 4).webp().toBuffer(),
      await solid(37, 23, 3).webp({ lossless: true }).toBuffer(),
      await solid(37, 23, 4).webp({ lossless: true }).toBuffer(),
      await solid(37, 23, 3).gif().toBuffer(),
      await sharp(await Promise.all(frames), { join: { animated: true } })
        .gif()
        .toBuffer(),
      await sharp(await Promise.all(frames), { join: { animated: true } })
        .webp()
        .toBuffer(),
    ];
    for (const file of files) expect(readImageHeader(file)).toEqual(await libvipsSays(file));
  });

  it("reads BMP, and an APNG's frame count", () => {
    const bmp = encodeBmp(new Uint8Array(5 * 4 * 4), 5, 4, 4);
    expect(readImageHeader(bmp)).toMatchObject({ format: "bmp", width: 5, height: 4, hasAlpha: true });
    // acTL (animation control, 3 frames) before the image data makes an animated PNG.
    const png = pngFile(2, 2, 3, [storedZlib(new Uint8Array(2 * 7))]);
    const actl = Uint8Array.from([0, 0, 0, 8, 0x61, 0x63, 0x54, 0x4c, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0]);
    const apng = new Uint8Array([...png.subarray(0, 33), ...actl, ...png.subarray(33)]);
    expect(readImageHeader(apng)).toMatchObject({ format: "png", width: 2, height: 2, pages: 3 });
  });

  it("refuses what is not an image with a code, and SVG by content", () => {
    const code = (bytes: Uint8Array) => {
      try {
        readImageHeader(bytes);
        return "none";
      } catch (error) {
        return (error as CutoutError).code;
      }
    };
    expect(code(new Uint8Array(0))).toBe("invalid_image");
    expect(code(new TextEncoder().encode("hello, world"))).toBe("invalid_image");
    expect(code(Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0, 16))).toBe("invalid_image");
    expect(code(new TextEncoder().encode('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe("unsupported_format");
  });
});

describe("encodePngInBrowser (CompressionStream, or stored blocks without it)", () => {
  it("writes PNGs that decode to exactly the pixels given, grey, RGB and RGBA", async () => {
    for (const channels of [1, 3, 4] as const) {
      const width = 70;
      const height = 41;
      const pixels = Uint8Array.from({ length: width * height * channels }, (_, i) => (i * 31 + (i >> 5)) % 256);
      for (const png of [
        await encodePngInBrowser(pixels, width, height, channels),
        pngFile(width, height, channels, [storedZlib(filtered(pixels, width * channels, height))]),
      ]) {
        const decoder = channels === 1 ? sharp(png).toColourspace("b-w") : sharp(png);
        const { data, info } = await decoder.raw().toBuffer({ resolveWithObject: true });
        expect(info).toMatchObject({ width, height, channels });
        expect(data.equals(Buffer.from(pixels))).toBe(true);
      }
    }
  });
});

/** Rows with PNG's "none" filter byte: what a stored stream may hold. */
function filtered(pixels: Uint8Array, stride: number, height: number): Uint8Array {
  const out = new Uint8Array(height * (stride + 1));
  for (let y = 0; y < height; y++) out.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  return out;
}
