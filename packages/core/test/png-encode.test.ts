// The PNG writer: Up-filtered rows deflated in stripes on libuv's pool and
// stitched into one zlib stream. Checked against libvips' decoder (pixels
// back exactly), zlib's own inflate (which verifies the adler32) and the
// chunk CRCs, on a real photo's cutout and on awkward shapes.
import { join } from "node:path";
import zlib from "node:zlib";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { encodeRendered } from "../src/node/encode.js";
import { encodePng, PngWriter, stripeParts, UnexpectedDeflate } from "../src/node/png-encode.js";
import { adler32Combine, filterRowsUp } from "../src/output/png.js";

const FIXTURES = join(import.meta.dirname, "../../../test/fixtures");

/** A photo's cutout-like RGBA: car-1.jpg stretched to size, its outer band fully transparent (and black), a soft ramp inside. */
async function photoCutout(width: number, height: number): Promise<Uint8Array> {
  const { data } = await sharp(join(FIXTURES, "car-1.jpg"))
    .resize(width, height, { fit: "fill" })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i += 4) {
      const edge = Math.min(x, y, width - 1 - x, height - 1 - y) / Math.min(width, height);
      const a = edge < 0.1 ? 0 : Math.min(255, Math.round((edge - 0.1) * 2550));
      data[i + 3] = a;
      if (a === 0) data[i] = data[i + 1] = data[i + 2] = 0;
    }
  }
  return new Uint8Array(data);
}

function noise(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = s & 255;
  }
  return out;
}

async function decodeBack(png: Uint8Array, channels: 1 | 3 | 4) {
  const pipeline = sharp(png);
  const { data, info } = await (channels === 1 ? pipeline.toColourspace("b-w") : pipeline).raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), info };
}

/** The file's chunks, every CRC checked, and its IDAT data inflated by zlib (which checks the adler32). */
function readChunks(png: Uint8Array) {
  const buffer = Buffer.from(png);
  expect([...buffer.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
  const types: string[] = [];
  const idat: Buffer[] = [];
  for (let o = 8; o < buffer.length; ) {
    const length = buffer.readUInt32BE(o);
    const type = buffer.toString("latin1", o + 4, o + 8);
    expect(buffer.readUInt32BE(o + 8 + length), `${type} CRC`).toBe(zlib.crc32(buffer.subarray(o + 4, o + 8 + length)));
    types.push(type);
    if (type === "IDAT") idat.push(buffer.subarray(o + 8, o + 8 + length));
    o += 12 + length;
  }
  return { types, rows: zlib.inflateSync(Buffer.concat(idat)) };
}

describe("encodePng", () => {
  it("writes a real photo's cutout that decodes to the same pixels, over many stripes, smaller than libvips' unfiltered PNG", async () => {
    // 12 MB of RGBA: six stripes, more than the four deflating at once.
    const [width, height] = [1000, 3000];
    const pixels = await photoCutout(width, height);
    const png = await encodePng(pixels, width, height, 4);
    const back = await decodeBack(png, 4);
    expect(back.info).toMatchObject({ width, height, channels: 4 });
    expect(Buffer.compare(back.data, pixels)).toBe(0);
    const { types, rows } = readChunks(png);
    expect(types).toEqual(["IHDR", "IDAT", "IEND"]);
    expect(rows.length).toBe(height * (1 + width * 4));
    const unfiltered = await sharp(pixels, { raw: { width, height, channels: 4 } })
      .png({ compressionLevel: 3, adaptiveFiltering: false })
      .toBuffer();
    expect(png.length).toBeLessThan(unfiltered.length);
  });

  it("filters every row Up, the first row as it is", async () => {
    const [width, height] = [37, 5];
    const pixels = noise(width * height * 4, 7);
    const { rows } = readChunks(await encodePng(pixels, width, height, 4));
    const stride = width * 4;
    for (let y = 0; y < height; y++) {
      const row = rows.subarray(y * (stride + 1), (y + 1) * (stride + 1));
      expect(row[0]).toBe(2);
      for (let x = 0; x < stride; x++) {
        const above = y === 0 ? 0 : (pixels[(y - 1) * stride + x] as number);
        expect(row[1 + x]).toBe(((pixels[y * stride + x] as number) - above) & 255);
      }
    }
  });

  it.each([
    ["RGB, odd width (rows not word-aligned)", 333, 211, 3],
    ["grey, odd width", 401, 1999, 1],
    ["RGBA, one pixel", 1, 1, 4],
    ["RGB, one row", 5000, 1, 3],
  ] as const)("round-trips %s", async (_, width, height, channels) => {
    const pixels = noise(width * height * channels, width * 31 + height);
    const png = await encodePng(pixels, width, height, channels);
    const back = await decodeBack(png, channels);
    expect(back.info).toMatchObject({ width, height, channels });
    expect(Buffer.compare(back.data, pixels)).toBe(0);
  });

  it("keeps concurrent encodes apart (they share the stripe buffers)", async () => {
    const shapes = [
      [900, 2500, 4],
      [1200, 2000, 3],
      [700, 4000, 4],
    ] as const;
    const inputs = shapes.map(([w, h, c], i) => noise(w * h * c, 100 + i));
    const pngs = await Promise.all(shapes.map(([w, h, c], i) => encodePng(inputs[i] as Uint8Array, w, h, c)));
    for (const [i, [, , c]] of shapes.entries()) {
      expect(Buffer.compare((await decodeBack(pngs[i] as Uint8Array, c)).data, inputs[i] as Uint8Array)).toBe(0);
    }
  });

  it("begun row by row (PngWriter), writes the same file as encodePng, and starts only the stripes whose rows are ready", async () => {
    const [width, height] = [1000, 3000];
    const pixels = await photoCutout(width, height);
    const whole = await encodePng(pixels, width, height, 4);
    // The rows arrive as the full-size pass writes them: each stripe is filtered only once its rows are final.
    const arriving = new Uint8Array(pixels.length);
    const writer = new PngWriter(arriving, width, height, 4);
    for (let y = 0; y < height; y++) {
      arriving.set(pixels.subarray(y * width * 4, (y + 1) * width * 4), y * width * 4);
      writer.rowsReady(y + 1);
    }
    expect(Buffer.compare(Buffer.from(await writer.finish()), Buffer.from(whole))).toBe(0);
    // Begun and then not wanted (the render turned out another format): abandoning waits for what was started.
    const dropped = new PngWriter(pixels, width, height, 4);
    dropped.rowsReady(height);
    await expect(dropped.abandon()).resolves.toBeUndefined();
  });

  it("refuses pixels that do not match the size", async () => {
    await expect(encodePng(new Uint8Array(10), 2, 2, 3)).rejects.toThrow(/10 bytes, not 2x2x3/);
  });

  it("is what encodeRendered writes for png, and for a zip's alpha.png", async () => {
    const [width, height] = [640, 480];
    const pixels = await photoCutout(width, height);
    const matte = pixels.filter((_, i) => i % 4 === 3);
    const png = await encodeRendered({ format: "png", pixels, width, height, channels: 4, matte } as never);
    expect(Buffer.compare(Buffer.from(png), Buffer.from(await encodePng(pixels, width, height, 4)))).toBe(0);
    const zip = await encodeRendered({ format: "zip", pixels, width, height, channels: 4, matte } as never);
    const alpha = await encodePng(matte, width, height, 1);
    expect(zip.indexOf(Buffer.from(alpha))).toBeGreaterThan(0);
  });
});

describe("stitching", () => {
  it("combines adler32s as zlib does", () => {
    const data = noise(300_001, 3);
    const adler = (bytes: Uint8Array) => {
      const stream = zlib.deflateSync(bytes, { level: 0 });
      return stream.readUInt32BE(stream.length - 4);
    };
    for (const cut of [1, 65_520, 65_521, 150_000, 300_000]) {
      const a = data.subarray(0, cut);
      const b = data.subarray(cut);
      expect(adler32Combine(adler(a), adler(b), b.length)).toBe(adler(data));
    }
  });

  it("refuses a stripe that was finished without the sync flush it relies on", () => {
    const finished = zlib.deflateSync(noise(5000, 9), { level: 2 });
    expect(() => stripeParts(finished, 5000, false)).toThrow(UnexpectedDeflate);
  });

  it("filterRowsUp's word path matches the byte path, borrows included", () => {
    const stride = 64;
    const pixels = noise(stride * 9, 11);
    pixels.fill(0, stride, stride + 16); // a row below 255s and above 0s: every lane borrows
    pixels.fill(255, 0, 16);
    const words = new Uint8Array(9 * (stride + 1));
    filterRowsUp(pixels, stride, 0, 9, words);
    const unaligned = new Uint8Array(pixels.length + 1).subarray(1);
    unaligned.set(pixels);
    const bytes = new Uint8Array(9 * (stride + 1));
    filterRowsUp(unaligned, stride, 0, 9, bytes);
    expect(Buffer.compare(Buffer.from(words), Buffer.from(bytes))).toBe(0);
    expect(words[stride + 2]).toBe(1); // 0 - 255
  });
});
