/**
 * The bad-input corpus: every file is built here, from the two fixture photos
 * with sharp or by byte surgery, never collected by hand. Each file carries
 * its defined outcome: a result (with the size and warnings it must have) or
 * a specific error code. `corpus.test.ts` runs it through every entry point
 * and writes the table to docs/robustness.md.
 *
 * Regenerating is deterministic (fixed photos, fixed noise seed) except for
 * the SVG, which names the port of the test's request-recording server.
 */
import fs from "node:fs/promises";
import path from "node:path";
import type { ErrorCode } from "../../packages/core/src/errors.js";
import { crc32 } from "../../packages/core/src/output/zip.js";
import { FIXTURES, sharp } from "../support/cli";

/** Warnings a result may carry, by short name (the table shows these). */
export const WARNING_TAGS = {
  "first frame": /frames or pages; only the first was used/,
  "no foreground": /^No foreground found/,
} as const;
export type WarningTag = keyof typeof WARNING_TAGS;

export function warningTags(warnings: readonly string[]): WarningTag[] {
  const tags = new Set<WarningTag>();
  for (const warning of warnings) {
    const tag = (Object.keys(WARNING_TAGS) as WarningTag[]).find((t) => WARNING_TAGS[t].test(warning));
    if (tag) tags.add(tag);
    else throw new Error(`a warning with no tag in WARNING_TAGS: ${warning}`);
  }
  return [...tags].sort();
}

export type Expected =
  | {
      kind: "ok";
      /** The output's size (the upright input's: default options keep it). */
      width: number;
      height: number;
      /** Exactly these warnings, by tag. */
      warnings: WarningTag[];
      /** What `source` in the result must say about the container. */
      source?: Partial<{ format: string; pages: number; orientation: number; hasAlpha: boolean }>;
    }
  | { kind: "error"; code: ErrorCode };

export interface CorpusFile {
  /** File name, unique stem, with the extension a user's file would have. */
  name: string;
  /** What the file is, for the table. */
  what: string;
  /** The family it tests, for the table's grouping. */
  group: "unreadable" | "bomb" | "geometry" | "colour" | "orientation" | "multi-frame" | "vector" | "no subject";
  bytes: Buffer;
  expected: Expected;
  /** Why this outcome, where it is a decision rather than obvious. */
  note?: string;
}

export interface CorpusOptions {
  /** An http URL the SVG references; the test's server records any request to it. */
  svgHttpRef: string;
  /** A local file the SVG references by file:// URL and by relative path. */
  svgFileRef: string;
}

const W = 480;
const H = 360;

/** The car photo, upright, 480x360: the subject of most files, so the model has something to find. */
async function carRaw(): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(path.join(FIXTURES, "car-1.jpg")).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.width !== W || info.height !== H) throw new Error(`car-1.jpg is ${info.width}x${info.height}, expected ${W}x${H}`);
  return { data, width: W, height: H };
}

const raw = (data: Buffer, width: number, height: number, channels: 1 | 2 | 3 | 4) => sharp(data, { raw: { width, height, channels } });

/** The stored pixels for EXIF orientation n, so that a viewer applying n shows the upright photo. */
function storedFor(orientation: number, upright: ReturnType<typeof raw>) {
  switch (orientation) {
    case 1:
      return upright;
    case 2:
      return upright.flop();
    case 3:
      return upright.rotate(180);
    case 4:
      return upright.flip();
    case 5:
      // Transpose. sharp mirrors after rotating, whatever the call order.
      return upright.rotate(270).flop();
    case 6:
      return upright.rotate(270);
    case 7:
      // Transverse.
      return upright.rotate(90).flop();
    case 8:
      return upright.rotate(90);
    default:
      throw new Error(`no EXIF orientation ${orientation}`);
  }
}

/** A PNG's chunks as [offset, length, type]. */
export function pngChunks(png: Buffer): { at: number; length: number; type: string }[] {
  const chunks: { at: number; length: number; type: string }[] = [];
  for (let at = 8; at + 12 <= png.length; ) {
    const length = png.readUInt32BE(at);
    chunks.push({ at, length, type: png.toString("latin1", at + 4, at + 8) });
    at += 12 + length;
  }
  return chunks;
}

/** A real PNG whose IHDR (CRC fixed up) claims another size: a decompression bomb's header. */
export async function pngClaiming(width: number, height: number): Promise<Buffer> {
  const png = Buffer.from(
    await sharp({ create: { width: 64, height: 64, channels: 3, background: "red" } })
      .png()
      .toBuffer(),
  );
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}

/** A real JPEG whose frame header claims another size (16 bits each: 65535 at most). */
export async function jpegClaiming(width: number, height: number): Promise<Buffer> {
  const jpeg = Buffer.from(
    await sharp({ create: { width: 64, height: 64, channels: 3, background: "red" } })
      .jpeg()
      .toBuffer(),
  );
  const sof = jpeg.findIndex((byte, i) => byte === 0xff && (jpeg[i + 1] === 0xc0 || jpeg[i + 1] === 0xc2));
  jpeg.writeUInt16BE(height, sof + 5);
  jpeg.writeUInt16BE(width, sof + 7);
  return jpeg;
}

/** The same 64 greys 0..252 every time: a plain wall with a little texture and a gentle light falloff. */
function plainWall(width: number, height: number): Buffer {
  const out = Buffer.alloc(width * height * 3);
  let seed = 12345;
  const random = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const light = 205 - y * 0.04 - Math.abs(x - width / 2) * 0.02;
      const grain = (random() - 0.5) * 6;
      out.set([light + grain + 8, light + grain, light + grain - 22], (y * width + x) * 3);
    }
  }
  return out;
}

/** The ICC profile segment (APP2 "ICC_PROFILE") of a JPEG, whole, marker included. */
export function jpegIccSegment(jpeg: Buffer): Buffer | undefined {
  for (let at = 2; at + 4 <= jpeg.length && jpeg[at] === 0xff; ) {
    const marker = jpeg[at + 1]!;
    const length = jpeg.readUInt16BE(at + 2);
    if (marker === 0xe2 && jpeg.toString("latin1", at + 4, at + 15) === "ICC_PROFILE") return jpeg.subarray(at, at + 2 + length);
    if (marker === 0xda) break;
    at += 2 + length;
  }
  return undefined;
}

/** The profile description ('desc' tag) of an ICC profile, for the record. */
export function iccDescription(icc: Buffer): string {
  const count = icc.readUInt32BE(128);
  for (let i = 0; i < count; i++) {
    const entry = 132 + i * 12;
    if (icc.toString("latin1", entry, entry + 4) !== "desc") continue;
    const offset = icc.readUInt32BE(entry + 4);
    const type = icc.toString("latin1", offset, offset + 4);
    if (type === "desc") return icc.toString("latin1", offset + 12, offset + 12 + icc.readUInt32BE(offset + 8) - 1);
    if (type === "mluc") {
      const length = icc.readUInt32BE(offset + 20);
      const start = offset + icc.readUInt32BE(offset + 24);
      return Buffer.from(icc.subarray(start, start + length))
        .swap16()
        .toString("utf16le");
    }
  }
  return "";
}

/** The red primary (rXYZ, D50-adapted) of an ICC profile: Display P3's is about (0.515, 0.241, -0.001), sRGB's (0.436, 0.222, 0.014). */
export function iccRedPrimary(icc: Buffer): [number, number, number] | undefined {
  const count = icc.readUInt32BE(128);
  for (let i = 0; i < count; i++) {
    const entry = 132 + i * 12;
    if (icc.toString("latin1", entry, entry + 4) !== "rXYZ") continue;
    const offset = icc.readUInt32BE(entry + 4);
    return [0, 1, 2].map((k) => icc.readInt32BE(offset + 8 + 4 * k) / 65536) as [number, number, number];
  }
  return undefined;
}

/** The stored (un-converted) pixels of a P3 file: what a reader that ignores ICC profiles sees. */
export async function storedPixels(bytes: Buffer): Promise<Buffer> {
  return sharp(bytes, { ignoreIcc: true }).removeAlpha().raw().toBuffer();
}

export async function buildCorpus(options: CorpusOptions): Promise<CorpusFile[]> {
  const car = await carRaw();
  const carImage = () => raw(car.data, W, H, 3);
  const carJpeg = await carImage().jpeg({ quality: 92 }).toBuffer();
  const carPng = await carImage().png().toBuffer();
  const files: CorpusFile[] = [];
  const ok = (
    width: number,
    height: number,
    warnings: WarningTag[] = [],
    source?: Extract<Expected, { kind: "ok" }>["source"],
  ): Expected => ({
    kind: "ok",
    width,
    height,
    warnings,
    ...(source ? { source } : {}),
  });
  const error = (code: ErrorCode): Expected => ({ kind: "error", code });

  // --- Not an image, or a broken one.
  files.push({ name: "empty.png", what: "zero bytes", group: "unreadable", bytes: Buffer.alloc(0), expected: error("invalid_image") });
  files.push({
    name: "notes-named.png",
    what: "a text file named .png",
    group: "unreadable",
    bytes: Buffer.from("Shopping list:\n- milk\n- a new product photo\n"),
    expected: error("invalid_image"),
  });
  files.push({
    name: "truncated-jpeg.jpg",
    what: "JPEG cut off halfway through the scan",
    group: "unreadable",
    bytes: carJpeg.subarray(0, carJpeg.length >> 1),
    expected: error("invalid_image"),
    note: "not decoded as a half-grey photo: a partial image is not a correct result",
  });
  const idat = pngChunks(carPng).find((c) => c.type === "IDAT")!;
  files.push({
    name: "truncated-png.png",
    what: "PNG cut off halfway through its image data",
    group: "unreadable",
    bytes: carPng.subarray(0, idat.at + 8 + (idat.length >> 1)),
    expected: error("invalid_image"),
  });
  const badCrc = Buffer.from(carPng);
  badCrc.writeUInt32BE(badCrc.readUInt32BE(idat.at + 8 + idat.length) ^ 0xdeadbeef, idat.at + 8 + idat.length);
  files.push({
    name: "bad-crc.png",
    what: "PNG whose first IDAT chunk has a wrong CRC (data intact)",
    group: "unreadable",
    bytes: badCrc,
    expected: error("invalid_image"),
  });

  // --- Decompression bombs: refused from the header, before any pixel buffer exists.
  const pngBomb = await pngClaiming(100_000, 100_000);
  files.push({
    name: "bomb-png.png",
    what: `PNG header claiming 100000x100000 (10 GP) in ${pngBomb.length} bytes`,
    group: "bomb",
    bytes: pngBomb,
    expected: error("image_too_large"),
  });
  const jpegBomb = await jpegClaiming(65_535, 65_535);
  files.push({
    name: "bomb-jpeg.jpg",
    what: `JPEG header claiming 65535x65535 (4.3 GP; JPEG's largest) in ${jpegBomb.length} bytes`,
    group: "bomb",
    bytes: jpegBomb,
    expected: error("image_too_large"),
  });

  // --- Extreme geometry.
  files.push({
    name: "one-pixel.png",
    what: "1x1 px",
    group: "geometry",
    bytes: await sharp({ create: { width: 1, height: 1, channels: 3, background: { r: 200, g: 30, b: 30 } } })
      .png()
      .toBuffer(),
    expected: ok(1, 1, ["no foreground"]),
    note: "too small to hold a subject: a 1x1 result with the no-foreground warning",
  });
  files.push({
    name: "strip-10000x10.png",
    what: "10000x10 px (the photo squashed to a 1000:1 strip)",
    group: "geometry",
    bytes: await carImage().resize(10_000, 10, { fit: "fill" }).png().toBuffer(),
    expected: ok(10_000, 10),
  });

  // --- Colour: depths, spaces, palettes, profiles.
  const deep = await carImage().toColourspace("rgb16").png().toBuffer();
  if (deep[24] !== 16) throw new Error("the 16-bit PNG is not 16-bit");
  files.push({ name: "deep-16bit.png", what: "16 bits per channel PNG", group: "colour", bytes: deep, expected: ok(W, H) });
  const cmyk = await carImage().toColourspace("cmyk").jpeg({ quality: 92 }).toBuffer();
  if ((await sharp(cmyk).metadata()).space !== "cmyk") throw new Error("the CMYK JPEG is not CMYK");
  files.push({ name: "cmyk.jpg", what: "CMYK JPEG", group: "colour", bytes: cmyk, expected: ok(W, H) });

  // Transparent left band (x < 60): the model may only remove more.
  const withBand = (channels: 2 | 4, pixels: Buffer, c: number) => {
    const out = Buffer.alloc(W * H * channels);
    for (let i = 0; i < W * H; i++) {
      for (let k = 0; k < channels - 1; k++) out[i * channels + k] = pixels[i * c + k]!;
      out[i * channels + channels - 1] = i % W < 60 ? 0 : 255;
    }
    return out;
  };
  const grey = await carImage().greyscale().raw().toBuffer();
  const greyAlpha = await raw(withBand(2, grey, 1), W, H, 2)
    .toColourspace("b-w")
    .png()
    .toBuffer();
  if (greyAlpha[25] !== 4) throw new Error(`the grey+alpha PNG has colour type ${greyAlpha[25]}`);
  files.push({
    name: "grey-alpha.png",
    what: "greyscale + alpha PNG (colour type 4), left band transparent",
    group: "colour",
    bytes: greyAlpha,
    expected: ok(W, H, [], { hasAlpha: true }),
  });
  const palette = await raw(withBand(4, car.data, 3), W, H, 4)
    .png({ palette: true, colours: 256, dither: 0 })
    .toBuffer();
  if (palette[25] !== 3 || !pngChunks(palette).some((c) => c.type === "tRNS")) throw new Error("the palette PNG has no tRNS");
  files.push({
    name: "palette-trns.png",
    what: "palette PNG with tRNS transparency (left band)",
    group: "colour",
    bytes: palette,
    expected: ok(W, H, [], { hasAlpha: true }),
  });
  // Display P3: the photo, more saturated, converted into P3 and tagged so (sharp's built-in P3 profile).
  const p3 = await carImage().modulate({ saturation: 1.6 }).withIccProfile("p3").jpeg({ quality: 95 }).toBuffer();
  const p3Profile = (await sharp(p3).metadata()).icc;
  const red = p3Profile && iccRedPrimary(p3Profile);
  if (!red || Math.abs(red[0] - 0.515) > 0.01 || Math.abs(red[1] - 0.241) > 0.01)
    throw new Error("the P3 JPEG carries no Display P3 profile");
  files.push({
    name: "display-p3.jpg",
    what: `JPEG tagged with a Display P3 ICC profile ("${iccDescription(p3Profile)}")`,
    group: "colour",
    bytes: p3,
    expected: ok(W, H),
    note: "converted to sRGB on decode; the output carries no profile, so it is read as sRGB",
  });

  // --- EXIF orientation 1-8: each stored so that it shows the same upright photo.
  for (let orientation = 1; orientation <= 8; orientation++) {
    const stored = storedFor(orientation, carImage());
    const bytes = await stored.jpeg({ quality: 92 }).withMetadata({ orientation }).toBuffer();
    files.push({
      name: `exif-${orientation}.jpg`,
      what: `EXIF orientation ${orientation}${orientation > 4 ? " (stored 360x480)" : ""}`,
      group: "orientation",
      bytes,
      expected: ok(W, H, [], { orientation }),
    });
  }

  // --- Several frames or pages: the first is cut out, and the result says so.
  const frames = [carPng, await carImage().flip().png().toBuffer()];
  files.push({
    name: "animated-gif.gif",
    what: "animated GIF, 2 frames (the photo, then upside down)",
    group: "multi-frame",
    bytes: await sharp(frames, { join: { animated: true } })
      .gif({ delay: [500, 500] })
      .toBuffer(),
    expected: ok(W, H, ["first frame"], { format: "gif", pages: 2 }),
  });
  files.push({
    name: "animated-webp.webp",
    what: "animated WebP, 2 frames",
    group: "multi-frame",
    bytes: await sharp(frames, { join: { animated: true } })
      .webp({ quality: 90, delay: [500, 500] })
      .toBuffer(),
    expected: ok(W, H, ["first frame"], { format: "webp", pages: 2 }),
  });
  files.push({
    name: "multipage.tif",
    what: "TIFF, 2 pages",
    group: "multi-frame",
    bytes: await sharp(frames, { join: { animated: true } })
      .tiff({ compression: "lzw" })
      .toBuffer(),
    expected: ok(W, H, ["first frame"], { format: "tiff", pages: 2 }),
  });

  // --- SVG: refused by content, so external references are never fetched (nor is anything rendered).
  const svg = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="400" height="300">
  <rect width="400" height="300" fill="#e8e4dc"/>
  <image href="${options.svgHttpRef}" x="0" y="0" width="200" height="150"/>
  <image xlink:href="${options.svgHttpRef}?xlink" x="200" y="0" width="200" height="150"/>
  <image href="file://${options.svgFileRef}" x="0" y="150" width="200" height="150"/>
  <image href="${path.basename(options.svgFileRef)}" x="200" y="150" width="200" height="150"/>
  <style>@import url("${options.svgHttpRef}?css");</style>
  <circle cx="200" cy="150" r="80" fill="#c03028"/>
</svg>
`,
  );
  files.push({
    name: "vector.svg",
    what: "SVG referencing an http URL, a file:// URL and a relative file",
    group: "vector",
    bytes: svg,
    expected: error("unsupported_format"),
    note: "SVG is refused (see below); no reference is ever fetched",
  });
  files.push({
    name: "svg-named.png",
    what: "the same SVG, named .png",
    group: "vector",
    bytes: svg,
    expected: error("unsupported_format"),
    note: "formats are recognised by content, not by name",
  });

  // --- Nothing to cut out.
  files.push({
    name: "plain-wall.jpg",
    what: "a plain wall (640x480, light falloff and grain)",
    group: "no subject",
    bytes: await raw(plainWall(640, 480), 640, 480, 3).jpeg({ quality: 90 }).toBuffer(),
    expected: ok(640, 480, ["no foreground"]),
    note: "a result with an empty matte, foreground null and a warning",
  });
  const transparent = Buffer.alloc(W * H * 4);
  for (let i = 0; i < W * H; i++) transparent.set([car.data[i * 3]!, car.data[i * 3 + 1]!, car.data[i * 3 + 2]!, 0], i * 4);
  files.push({
    name: "transparent.png",
    what: "already fully transparent (the photo under alpha 0)",
    group: "no subject",
    bytes: await raw(transparent, W, H, 4).png().toBuffer(),
    expected: ok(W, H, ["no foreground"], { hasAlpha: true }),
  });

  const stems = new Set(files.map((f) => path.parse(f.name).name));
  if (stems.size !== files.length) throw new Error("corpus file stems must be unique (outputs are named after them)");
  return files;
}

/** Writes the corpus into `dir`, returning each file's path. */
export async function writeCorpus(dir: string, files: readonly CorpusFile[]): Promise<Map<string, string>> {
  await fs.mkdir(dir, { recursive: true });
  const paths = new Map<string, string>();
  for (const file of files) {
    const target = path.join(dir, file.name);
    await fs.writeFile(target, file.bytes);
    paths.set(file.name, target);
  }
  return paths;
}
