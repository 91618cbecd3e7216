import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { jpegClaiming, pngClaiming } from "../../../test/robustness/corpus.js";
import { CutoutError } from "../src/errors.js";
import { decodeImage, decodePhoto } from "../src/node/decode.js";

const LIMIT = 50_000_000;

/** Left half red, right half blue. */
async function halves(width = 40, height = 20): Promise<sharp.Sharp> {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(x < width / 2 ? [255, 0, 0] : [0, 0, 255], (y * width + x) * 3);
  return sharp(data, { raw: { width, height, channels: 3 } });
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(CutoutError);
    return (error as CutoutError).code;
  }
  return "no error";
}

describe("decodeImage", () => {
  it("applies EXIF orientation so the output is upright", async () => {
    // Orientation 6: stored pixels are shown rotated 90 degrees clockwise.
    const jpeg = await (await halves()).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const { image, source } = await decodeImage(jpeg, LIMIT);
    expect(source.orientation).toBe(6);
    expect([image.width, image.height]).toEqual([20, 40]);
    // The stored left half (red) is now on top.
    expect(image.data[(2 * 20 + 10) * 3]).toBeGreaterThan(200);
    expect(image.data[(37 * 20 + 10) * 3 + 2]).toBeGreaterThan(200);
  });

  it("converts CMYK, greyscale, 16-bit and palette inputs to 8-bit sRGB", async () => {
    const inputs = {
      cmyk: await (await halves()).toColourspace("cmyk").jpeg().toBuffer(),
      grey: await (await halves()).greyscale().png().toBuffer(),
      rgb16: await (await halves()).toColourspace("rgb16").png().toBuffer(),
      palette: await (await halves()).png({ palette: true }).toBuffer(),
    };
    for (const [kind, bytes] of Object.entries(inputs)) {
      const { image } = await decodeImage(bytes, LIMIT);
      expect(image.channels, kind).toBe(3);
      expect(image.data).toBeInstanceOf(Uint8Array);
      expect(image.data.length, kind).toBe(40 * 20 * 3);
      const [r, g, b] = image.data.slice(0, 3);
      if (kind === "grey") expect(r === g && g === b, kind).toBe(true);
      else expect((r as number) > 200 && (b as number) < 60, `${kind}: ${r},${g},${b}`).toBe(true);
    }
  });

  it("keeps an input's alpha channel", async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 4, background: { r: 0, g: 255, b: 0, alpha: 0.5 } } })
      .png()
      .toBuffer();
    const { image, source } = await decodeImage(png, LIMIT);
    expect(source.hasAlpha).toBe(true);
    expect(image.channels).toBe(4);
    expect(image.data[3]).toBe(128);
  });

  it("takes the first frame of an animation and says so", async () => {
    const red = await sharp({ create: { width: 8, height: 6, channels: 3, background: "red" } })
      .png()
      .toBuffer();
    const blue = await sharp({ create: { width: 8, height: 6, channels: 3, background: "blue" } })
      .png()
      .toBuffer();
    const gif = await sharp([red, blue], { join: { animated: true } })
      .gif()
      .toBuffer();
    const { image, source, warnings } = await decodeImage(gif, LIMIT);
    expect(source.pages).toBe(2);
    expect([image.width, image.height]).toEqual([8, 6]);
    expect(image.data[0]).toBeGreaterThan(200);
    expect(warnings.join()).toMatch(/first/);
  });

  it("refuses a decompression bomb from its header alone", async () => {
    for (const bomb of [await pngClaiming(100_000, 100_000), await jpegClaiming(60_000, 60_000)]) {
      // onAccepted runs once the pixel decode has started: never, for a header over the limit.
      let decoding = false;
      const accepted = () => {
        decoding = true;
      };
      expect(await codeOf(decodeImage(bomb, LIMIT, accepted))).toBe("image_too_large");
      expect(decoding).toBe(false);
    }
  });

  it("a JPEG claiming more than libjpeg's 65500 px a side is judged from Cutout's own header reader, not libvips' error text", async () => {
    // libvips' error text lives in a buffer every thread shares, so it may carry another image's error.
    const error = await decodeImage(await jpegClaiming(65_535, 65_535), LIMIT).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "image_too_large", message: expect.stringContaining("65535x65535") });
  });

  it("honours a configured pixel limit", async () => {
    const png = await (await halves()).png().toBuffer();
    expect(await codeOf(decodeImage(png, 799))).toBe("image_too_large");
    expect((await decodeImage(png, 800)).image.width).toBe(40);
  });

  it("gives invalid_image for empty, non-image and truncated input", async () => {
    const jpeg = await (await halves(400, 300)).jpeg().toBuffer();
    expect(await codeOf(decodeImage(new Uint8Array(0), LIMIT))).toBe("invalid_image");
    expect(await codeOf(decodeImage(Buffer.from("this is not a png"), LIMIT))).toBe("invalid_image");
    expect(await codeOf(decodeImage(jpeg.subarray(0, 40), LIMIT))).toBe("invalid_image");
  });
});

describe("decodePhoto", () => {
  const COVER = 64;

  it.each([
    ["beside the preview", false],
    ["after the preview (while a model loads)", true],
  ])("decodes a large JPEG's preview first; its full pixels, the same as decodeImage's, follow %s", async (_, fullAfterPreview) => {
    const jpeg = await (await halves(200, 150)).jpeg().toBuffer();
    const { photo, source } = await decodePhoto(jpeg, LIMIT, COVER, undefined, fullAfterPreview);
    expect(source).toMatchObject({ format: "jpeg", width: 200, height: 150 });
    if (!("preview" in photo)) throw new Error("expected a preview");
    expect([photo.width, photo.height]).toEqual([200, 150]);
    // The preview covers cover x cover at the photo's aspect, and is shrunk, not the photo itself.
    expect(Math.min(photo.preview.width, photo.preview.height)).toBe(COVER);
    expect(photo.preview.width).toBe(85);
    expect(photo.preview.data[(10 * 85 + 10) * 3]).toBeGreaterThan(200);
    const full = await photo.pixels;
    const expected = (await decodeImage(jpeg, LIMIT)).image;
    expect([full.width, full.height, full.channels]).toEqual([200, 150, 3]);
    expect(Buffer.compare(Buffer.from(full.data), Buffer.from(expected.data))).toBe(0);
  });

  it("decodes in one go what cannot shrink while decoding, or is under twice the cover", async () => {
    const png = await (await halves(200, 150)).png().toBuffer();
    const small = await (await halves(120, 150)).jpeg().toBuffer();
    for (const bytes of [png, small]) {
      const { photo } = await decodePhoto(bytes, LIMIT, COVER);
      expect("preview" in photo).toBe(false);
      expect((photo as { width: number }).width).toBe(bytes === png ? 200 : 120);
    }
  });

  it("sizes the preview and the photo upright under EXIF orientation", async () => {
    const jpeg = await (await halves(200, 150)).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const { photo } = await decodePhoto(jpeg, LIMIT, COVER);
    if (!("preview" in photo)) throw new Error("expected a preview");
    expect([photo.width, photo.height]).toEqual([150, 200]);
    expect([photo.preview.width, photo.preview.height]).toEqual([64, 85]);
    const full = await photo.pixels;
    expect([full.width, full.height]).toEqual([150, 200]);
    // The stored left half (red) is now on top.
    expect(full.data[(5 * 150 + 75) * 3]).toBeGreaterThan(200);
  });

  it("still refuses from the header, and a broken body is invalid_image", async () => {
    expect(await codeOf(decodePhoto(await jpegClaiming(60_000, 60_000), LIMIT, COVER))).toBe("image_too_large");
    const jpeg = await (await halves(400, 300)).jpeg().toBuffer();
    const broken = Buffer.concat([jpeg.subarray(0, jpeg.length >> 1), Buffer.alloc(64, 0xff)]);
    const pixels = decodePhoto(broken, LIMIT, COVER).then(({ photo }) => ("preview" in photo ? photo.pixels : photo));
    expect(await codeOf(pixels)).toBe("invalid_image");
  });
});
