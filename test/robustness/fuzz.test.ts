/**
 * Mutation fuzzing of the decoders: random byte-level mutations of the
 * fixture photos in every format the hosts take. Each mutated file must, within
 * a time bound, decode to a coherent image or reject with a CutoutError;
 * nothing else (no other error type, no hang, no crash of the process). Files
 * that still decode then go through the whole pipeline with a fake model
 * session (decode, resize, guided filter, render, encode), which must also
 * end in a result or a CutoutError.
 *
 *   CUTOUT_FUZZ_ITERATIONS  cases (default 60; a full run is 500 or more)
 *   CUTOUT_FUZZ_SEED        replay a run; printed every time
 */
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CutoutError } from "../../packages/core/src/errors.js";
import { decodeImage } from "../../packages/core/src/node/decode.js";
import { Remover } from "../../packages/core/src/node/remover.js";
import { crc32 } from "../../packages/core/src/output/zip.js";
import { FIXTURES, sharp } from "../support/cli";
import { fakeModelFile, fakeRuntime } from "../support/robustness-fake-model";
import { pngChunks } from "./corpus";

const ITERATIONS = positive(process.env.CUTOUT_FUZZ_ITERATIONS, 60);
const SEED = process.env.CUTOUT_FUZZ_SEED ? Number(process.env.CUTOUT_FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
/** Per case: decode, then the whole pipeline. Generous for a loaded CI machine; a clean decode takes milliseconds. */
const DECODE_BOUND_MS = 10_000;
const PIPELINE_BOUND_MS = 20_000;
const MAX_PIXELS = 50_000_000;

function positive(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value && Number.isInteger(n) && n > 0 ? n : fallback;
}

interface Seed {
  name: string;
  bytes: Buffer;
  /** PNG: recompute chunk CRCs after mutating, so mutations reach past the CRC check into the decoder. */
  png?: boolean;
}

const seeds: Seed[] = [];
let remover: Remover;
const histogram = new Map<string, number>();
const slowest = { ms: 0, what: "" };
const count = (key: string) => histogram.set(key, (histogram.get(key) ?? 0) + 1);

beforeAll(async () => {
  const car = path.join(FIXTURES, "car-1.jpg");
  const girl = path.join(FIXTURES, "anime-girl-1.jpg");
  const small = () => sharp(car).resize(96, 72);
  const frames = [await small().png().toBuffer(), await small().flip().png().toBuffer()];
  seeds.push(
    { name: "car-1.jpg (camera JPEG)", bytes: await sharp(car).toBuffer() },
    { name: "anime-girl-1.jpg", bytes: await sharp(girl).resize(160).jpeg().toBuffer() },
    { name: "progressive.jpg", bytes: await small().jpeg({ progressive: true }).withMetadata({ orientation: 6 }).toBuffer() },
    { name: "cmyk.jpg", bytes: await small().toColourspace("cmyk").jpeg().toBuffer() },
    { name: "rgb.png", bytes: await small().png().toBuffer(), png: true },
    { name: "palette.png", bytes: await small().png({ palette: true, colours: 64 }).toBuffer(), png: true },
    {
      name: "rgba16-interlaced.png",
      bytes: await small().ensureAlpha().toColourspace("rgb16").png({ progressive: true }).toBuffer(),
      png: true,
    },
    { name: "half-transparent.png", bytes: await small().ensureAlpha(0.5).png().toBuffer(), png: true },
    { name: "lossy.webp", bytes: await small().webp({ quality: 70 }).toBuffer() },
    { name: "lossless-alpha.webp", bytes: await small().ensureAlpha().webp({ lossless: true }).toBuffer() },
    {
      name: "animated.webp",
      bytes: await sharp(frames, { join: { animated: true } })
        .webp()
        .toBuffer(),
    },
    {
      name: "animated.gif",
      bytes: await sharp(frames, { join: { animated: true } })
        .gif()
        .toBuffer(),
    },
    {
      name: "multipage.tif",
      bytes: await sharp(frames, { join: { animated: true } })
        .tiff({ compression: "lzw" })
        .toBuffer(),
    },
    { name: "deflate.tif", bytes: await small().tiff({ compression: "deflate", predictor: "horizontal" }).toBuffer() },
    { name: "small.avif", bytes: await small().avif({ quality: 50, effort: 0 }).toBuffer() },
  );
  const { runtime } = fakeRuntime();
  remover = new Remover({ runtime, modelPath: await fakeModelFile(), threads: 1 });
});

afterAll(async () => {
  await remover?.close();
});

/** Where a mutation lands: mostly the first 64 bytes (headers), else anywhere. */
const position = fc.oneof(
  fc.record({ header: fc.integer({ min: 0, max: 63 }) }),
  fc.record({ anywhere: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }) }),
);
type Position = { header: number } | { anywhere: number };

const mutation = fc.oneof(
  fc.record({ kind: fc.constant("flip" as const), at: position, bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant("set" as const), at: position, bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({
    kind: fc.constant("extreme" as const),
    at: position,
    value: fc.constantFrom(0x00, 0xff, 0x7f, 0x80),
    width: fc.constantFrom(1, 2, 4),
  }),
  fc.record({ kind: fc.constant("truncate" as const), at: position }),
  fc.record({ kind: fc.constant("delete" as const), at: position, length: fc.integer({ min: 1, max: 512 }) }),
  fc.record({ kind: fc.constant("duplicate" as const), from: position, length: fc.integer({ min: 1, max: 4096 }), to: position }),
  fc.record({ kind: fc.constant("chunk" as const), index: fc.nat(), to: fc.nat() }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

const fuzzCase = fc.record({
  seed: fc.nat(),
  mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }),
  fixCrc: fc.boolean(),
});

function offset(at: Position, length: number): number {
  if (length === 0) return 0;
  return "header" in at ? Math.min(at.header, length - 1) : Math.floor(at.anywhere * length);
}

function mutate(input: Buffer, m: Mutation, png: boolean): Buffer {
  const b = Buffer.from(input);
  switch (m.kind) {
    case "flip": {
      if (b.length === 0) return b;
      b[offset(m.at, b.length)]! ^= 1 << m.bit;
      return b;
    }
    case "set": {
      const at = offset(m.at, b.length);
      for (let i = 0; i < m.bytes.length && at + i < b.length; i++) b[at + i] = m.bytes[i]!;
      return b;
    }
    case "extreme": {
      const at = offset(m.at, b.length);
      for (let i = 0; i < m.width && at + i < b.length; i++) b[at + i] = m.value;
      return b;
    }
    case "truncate":
      return b.subarray(0, offset(m.at, b.length));
    case "delete": {
      const at = offset(m.at, b.length);
      return Buffer.concat([b.subarray(0, at), b.subarray(at + m.length)]);
    }
    case "duplicate": {
      const from = offset(m.from, b.length);
      const to = offset(m.to, b.length);
      return Buffer.concat([b.subarray(0, to), b.subarray(from, from + m.length), b.subarray(to)]);
    }
    case "chunk": {
      // A whole structural unit repeated elsewhere: a PNG chunk, or a JPEG marker segment.
      const units = png ? pngChunks(b).map((c) => [c.at, 12 + c.length] as const) : jpegSegments(b);
      if (units.length === 0) return b;
      const [at, length] = units[m.index % units.length]!;
      const [to] = units[m.to % units.length]!;
      return Buffer.concat([b.subarray(0, to), b.subarray(at, at + length), b.subarray(to)]);
    }
  }
}

/** JPEG marker segments before the scan, as [offset, length]. */
function jpegSegments(b: Buffer): (readonly [number, number])[] {
  const out: (readonly [number, number])[] = [];
  if (b[0] !== 0xff || b[1] !== 0xd8) return out;
  for (let at = 2; at + 4 <= b.length && b[at] === 0xff; ) {
    const length = 2 + b.readUInt16BE(at + 2);
    out.push([at, length]);
    if (b[at + 1] === 0xda) break;
    at += length;
  }
  return out;
}

/** Recomputes every chunk CRC that lies within the file. */
function fixPngCrcs(b: Buffer): Buffer {
  const out = Buffer.from(b);
  for (const c of pngChunks(out)) {
    const end = c.at + 8 + c.length;
    if (end + 4 > out.length) break;
    out.writeUInt32BE(crc32(out.subarray(c.at + 4, end)), end);
  }
  return out;
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

/** A rejection must be a CutoutError with one of the codes a bad image can earn. */
function expectCoded(error: unknown, what: string, codes: string[]): string {
  if (!(error instanceof CutoutError)) {
    throw new Error(
      `${what}: rejected with ${(error as Error)?.name ?? typeof error}, not a CutoutError: ${(error as Error)?.stack ?? String(error)}`,
    );
  }
  expect(codes, `${what}: ${error.code}: ${error.message}`).toContain(error.code);
  expect(error.message, what).not.toMatch(/\n/);
  return error.code;
}

describe("mutation fuzzing of the decoders", () => {
  it(`${ITERATIONS} mutated files each end, within the time bound, in a coherent image or a coded error (seed ${SEED})`, async () => {
    console.log(`fuzz: ${ITERATIONS} iterations, seed ${SEED} (replay: CUTOUT_FUZZ_SEED=${SEED} CUTOUT_FUZZ_ITERATIONS=${ITERATIONS})`);
    const started = performance.now();
    let index = 0;
    await fc.assert(
      fc.asyncProperty(fuzzCase, async ({ seed, mutations, fixCrc }) => {
        const source = seeds[seed % seeds.length]!;
        let bytes = source.bytes;
        for (const m of mutations) bytes = mutate(bytes, m, source.png === true);
        if (source.png && fixCrc) bytes = fixPngCrcs(bytes);
        const what = `case ${index++} (${source.name}, ${mutations.map((m) => m.kind).join("+")}${source.png && fixCrc ? ", CRCs fixed" : ""}, ${bytes.length} bytes)`;

        const t0 = performance.now();
        let decoded: Awaited<ReturnType<typeof decodeImage>> | undefined;
        try {
          decoded = await within(decodeImage(bytes, MAX_PIXELS), DECODE_BOUND_MS, `${what}: decode`);
        } catch (error) {
          count(`decode: ${expectCoded(error, what, ["invalid_image", "image_too_large", "unsupported_format"])}`);
        }
        const ms = performance.now() - t0;
        if (ms > slowest.ms) Object.assign(slowest, { ms, what });
        if (!decoded) return;

        const { image } = decoded;
        expect(image.width * image.height, what).toBeGreaterThan(0);
        expect(image.width * image.height, what).toBeLessThanOrEqual(MAX_PIXELS);
        expect([3, 4], what).toContain(image.channels);
        expect(image.data.length, what).toBe(image.width * image.height * image.channels);
        count("decode: ok");

        try {
          const result = await within(remover.remove(bytes), PIPELINE_BOUND_MS, `${what}: pipeline`);
          expect([result.width, result.height], what).toEqual([image.width, image.height]);
          const meta = await sharp(result.data).metadata();
          expect([meta.width, meta.height], what).toEqual([image.width, image.height]);
          count("pipeline: ok");
        } catch (error) {
          count(`pipeline: ${expectCoded(error, what, ["invalid_image", "image_too_large"])}`);
        }
      }),
      { numRuns: ITERATIONS, seed: SEED, endOnFailure: true },
    );
    const seconds = (performance.now() - started) / 1000;
    const table = [...histogram.entries()].sort().map(([k, v]) => `  ${k.padEnd(28)} ${v}`);
    console.log(
      `fuzz: ${ITERATIONS} cases in ${seconds.toFixed(1)} s (seed ${SEED}); slowest decode ${slowest.ms.toFixed(0)} ms: ${slowest.what}\n${table.join("\n")}`,
    );
    expect(histogram.get("decode: ok") ?? 0, "some mutations should still decode").toBeGreaterThan(0);
  }, 3_600_000);
});
