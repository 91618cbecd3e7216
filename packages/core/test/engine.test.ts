import { createReadStream, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { referenceAlpha } from "../../../test/support/cli.js";
import { iouAtHalf } from "../../../test/support/mattes.js";
import { recordingRuntime } from "../../../test/support/recording-runtime.js";
import type { CutoutError } from "../src/errors.js";
import { decodeImage, decodePhoto } from "../src/node/decode.js";
import { encodeRendered } from "../src/node/encode.js";
import { readInput } from "../src/node/read-input.js";
import { type CutoutResult, Remover } from "../src/node/remover.js";
import { sharpResize } from "../src/node/sharp-resize.js";
import { type RemoveOptions, resolveOptions } from "../src/options.js";
import { type CutoutPixels, cutoutPixels } from "../src/pipeline.js";
import { renderCutout } from "../src/render.js";
import { Scratch } from "../src/scratch.js";

const FIXTURES = join(import.meta.dirname, "../../../test/fixtures");
const fixture = (name: string) => join(FIXTURES, name);

describe("Remover on real photos", () => {
  const { runtime, created } = recordingRuntime();
  const remover = new Remover({ runtime, threads: 2 });
  let car: CutoutResult;

  beforeAll(async () => {
    car = await remover.remove(fixture("car-1.jpg"));
  });
  afterAll(() => remover.close());

  it("agrees with rembg's ISNet cutouts (IoU at alpha 0.5 of at least 0.97)", async () => {
    expect(iouAtHalf(car.alpha, await referenceAlpha("car-1"))).toBeGreaterThanOrEqual(0.97);
    const anime = await remover.remove(readFileSync(fixture("anime-girl-1.jpg")));
    expect(iouAtHalf(anime.alpha, await referenceAlpha("anime-girl-1"))).toBeGreaterThanOrEqual(0.97);
  });

  it("creates the session once, with the requested threads, and reuses it", () => {
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ intraOpNumThreads: 2 });
  });

  it("returns the encoded PNG, the matte and the metadata", async () => {
    expect(car.format).toBe("png");
    expect(car.mimeType).toBe("image/png");
    expect([car.width, car.height]).toEqual([480, 360]);
    expect(car.alpha).toHaveLength(480 * 360);
    expect(car.engine).toBe("local");
    expect(car.model).toBe("isnet-fp16");
    const meta = await sharp(car.data).metadata();
    expect([meta.format, meta.width, meta.height, meta.channels]).toEqual(["png", 480, 360, 4]);
    // The car and the walker span most of the width; the sky above them is background.
    const box = car.foreground;
    expect(box).not.toBeNull();
    expect(box?.left).toBeLessThan(60);
    expect((box?.left ?? 0) + (box?.width ?? 0)).toBeGreaterThan(420);
    expect(box?.top).toBeGreaterThan(40);
    for (const stage of ["decode", "preprocess", "inference", "postprocess", "encode", "total"] as const) {
      expect(car.timings[stage]).toBeGreaterThanOrEqual(0);
    }
    expect(car.timings.inference).toBeGreaterThan(car.timings.preprocess);
  });

  it("estimates foreground colours at soft edges instead of keeping the old background", () => {
    const rgba = Buffer.from(car.alpha);
    let soft = 0;
    for (const a of rgba) if (a > 0 && a < 255) soft++;
    expect(soft).toBeGreaterThan(200);
  });

  it("encodes every output format", async () => {
    const photo = (await decodeImage(readFileSync(fixture("car-1.jpg")), 50_000_000)).image;
    const cut: CutoutPixels = await cutoutPixels(photo, await remover.load(), sharpResize);
    const encode = async (options: RemoveOptions) => {
      const deps = { resize: sharpResize, loadImage: () => Promise.reject(new Error("no background image here")) };
      return encodeRendered(await renderCutout(photo, cut, resolveOptions(options).canonical, deps));
    };
    const webp = await sharp(await encode({ format: "webp" })).metadata();
    expect([webp.format, webp.hasAlpha]).toEqual(["webp", true]);
    const jpg = await sharp(await encode({ format: "jpg", bgColor: "red" }))
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(jpg.info.channels).toBe(3);
    // The top-left corner is background, so it is the requested red.
    expect(jpg.data[0]).toBeGreaterThan(240);
    expect(jpg.data[1]).toBeLessThan(20);
    const maskPng = await encode({ format: "mask" });
    expect((await sharp(maskPng).metadata()).channels).toBe(1);
    const mask = await sharp(maskPng).toColourspace("b-w").raw().toBuffer();
    expect(Buffer.compare(mask, Buffer.from(cut.alpha))).toBe(0);
    const zip = await encode({ format: "zip" });
    expect(zip.subarray(0, 4).toString("hex")).toBe("504b0304");
    expect(zip.includes(Buffer.from("color.jpg"))).toBe(true);
    expect(zip.includes(Buffer.from("alpha.png"))).toBe(true);
    const bmp = await encode({ format: "bmp" });
    expect(bmp.subarray(0, 2).toString()).toBe("BM");
    expect(bmp.readInt32LE(18)).toBe(480);
    expect(bmp.readUInt16LE(28)).toBe(32);
  });

  it("writes a photo larger than its working size as a PNG of exactly the cut's pixels, begun while they were written", async () => {
    // A PNG input: no preview, so the cut can be computed here from the same pixels. 1600x1200 is past the 1024 px
    // working size, so the full-size pass writes the rows and the PNG's first stripes deflate meanwhile (PngWriter).
    const input = await sharp(fixture("car-1.jpg")).resize(1600, 1200, { kernel: "lanczos3" }).png().toBuffer();
    const result = await remover.remove(input);
    const photo = (await decodeImage(input, 50_000_000)).image;
    const cut = await cutoutPixels(photo, await remover.load(), sharpResize);
    const written = await sharp(result.data).raw().toBuffer({ resolveWithObject: true });
    expect([written.info.width, written.info.height, written.info.channels]).toEqual([1600, 1200, 4]);
    expect(Buffer.compare(written.data, Buffer.from(cut.rgba))).toBe(0);
  });

  it("cuts a large JPEG out from its shrink-on-load preview as the full decode would", async () => {
    // 2800x2100: at least twice the model's 1024 px input on both sides, so the full pixels decode beside inference.
    const big = await sharp(fixture("car-1.jpg")).resize(2800, 2100, { kernel: "lanczos3" }).jpeg({ quality: 92 }).toBuffer();
    const viaPreview = await remover.remove(big);
    expect([viaPreview.width, viaPreview.height]).toEqual([2800, 2100]);
    const photo = (await decodeImage(big, 50_000_000)).image;
    const whole = await cutoutPixels(photo, await remover.load(), sharpResize);
    expect(iouAtHalf(viaPreview.alpha, whole.alpha)).toBeGreaterThanOrEqual(0.995);
    const png = await sharp(viaPreview.data).raw().toBuffer({ resolveWithObject: true });
    expect([png.info.width, png.info.height, png.info.channels]).toEqual([2800, 2100, 4]);
  });

  it("runs the model on a PendingPhoto's preview before its full pixels exist", async () => {
    const big = await sharp(fixture("car-1.jpg")).resize(2800, 2100, { kernel: "lanczos3" }).jpeg({ quality: 92 }).toBuffer();
    const { photo } = await decodePhoto(big, 50_000_000, 1024);
    if (!("preview" in photo)) throw new Error("expected a preview");
    const session = await remover.load();
    // The full pixels are released only once the model has been asked for a matte: waiting for them first would hang.
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const pending = { ...photo, pixels: gate.then(() => photo.pixels) };
    const watching = {
      ...session,
      predict: (tensor: Float32Array) => {
        release();
        return session.predict(tensor);
      },
    };
    const cut = await cutoutPixels(pending, watching as typeof session, sharpResize);
    expect([cut.width, cut.height]).toEqual([2800, 2100]);
    expect(cut.timings.decodeWait).toBeGreaterThanOrEqual(0);
    expect(cut.foreground).not.toBeNull();
  });

  it("builds the model input while the session is still loading, when told the session's input", async () => {
    const photo = (await decodeImage(readFileSync(fixture("car-1.jpg")), 50_000_000)).image;
    const session = await remover.load();
    const { inputSize, normalization } = session;
    const events: string[] = [];
    /** A Scratch that records when the model input's buffer is taken, i.e. when the input is built. */
    const recording = () => {
      const scratch = new Scratch();
      const dirty = scratch.dirty.bind(scratch);
      scratch.dirty = ((name, type, length) => {
        if (name === "model.input") events.push("input built");
        return dirty(name, type, length);
      }) as Scratch["dirty"];
      return scratch;
    };
    /** A session that arrives only when the test says so. */
    const arriving = () => {
      let arrive = () => {};
      const promise = new Promise<typeof session>((resolve) => {
        arrive = () => {
          events.push("session here");
          resolve(session);
        };
      });
      return { promise, arrive };
    };
    const turns = async () => {
      for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    };
    // Told the session's input: it is built before the session exists.
    let loading = arriving();
    const toldRun = cutoutPixels(photo, loading.promise, sharpResize, { input: { inputSize, normalization }, scratch: recording() });
    await turns();
    loading.arrive();
    const told = await toldRun;
    expect(events).toEqual(["input built", "session here"]);
    // Not told: the session's own inputSize is needed first.
    events.length = 0;
    loading = arriving();
    const untoldRun = cutoutPixels(photo, loading.promise, sharpResize, { scratch: recording() });
    await turns();
    loading.arrive();
    const untold = await untoldRun;
    expect(events).toEqual(["session here", "input built"]);
    expect(told.alpha).toEqual(untold.alpha);
    await expect(cutoutPixels(photo, session, sharpResize, { input: { inputSize: [512, 512], normalization } })).rejects.toThrow(
      "the session takes 1024x1024 input, not the announced 512x512",
    );
  });

  it("refuses bad options before doing any work", async () => {
    await expect(remover.remove(fixture("car-1.jpg"), { format: "gif" as never })).rejects.toMatchObject({
      code: "validation_error",
      field: "format",
    });
    await expect(remover.remove(fixture("car-1.jpg"), { bgColor: "nope" })).rejects.toMatchObject({ field: "bgColor" });
  });
});

describe("readInput", () => {
  let server: Server;
  let base: string;
  const photo = readFileSync(fixture("car-1.jpg"));

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === "/car.jpg") res.end(photo);
      else if (req.url === "/slow") setTimeout(() => res.end(photo), 5000);
      else if (req.url === "/huge") {
        res.writeHead(200, { "content-length": String(10_000_000) });
        res.end();
      } else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  const limits = { maxInputBytes: 1_000_000, timeoutMs: 1000 };

  it("reads paths, buffers, Uint8Arrays, Node and web streams, and URLs to the same bytes", async () => {
    const sources = [
      fixture("car-1.jpg"),
      photo,
      new Uint8Array(photo),
      createReadStream(fixture("car-1.jpg")),
      new Blob([photo]).stream(),
      `${base}/car.jpg`,
      new URL(`${base}/car.jpg`),
    ];
    for (const source of sources) {
      const { bytes } = await readInput(source, limits);
      expect(Buffer.compare(Buffer.from(bytes), photo)).toBe(0);
    }
  });

  it("fails with a code for missing files, HTTP errors, slow servers and oversized bodies", async () => {
    const code = (p: Promise<unknown>) =>
      p.then(
        () => "ok",
        (e: CutoutError) => e.code,
      );
    expect(await code(readInput(fixture("missing.jpg"), limits))).toBe("input_unreadable");
    expect(await code(readInput(`${base}/nothing`, limits))).toBe("input_unreadable");
    expect(await code(readInput(`${base}/slow`, limits))).toBe("timeout");
    expect(await code(readInput(`${base}/huge`, limits))).toBe("image_too_large");
    expect(await code(readInput(photo, { ...limits, maxInputBytes: 1000 }))).toBe("ok");
    expect(await code(readInput(createReadStream(fixture("car-1.jpg")), { ...limits, maxInputBytes: 1000 }))).toBe("image_too_large");
    expect(await code(readInput("http://user:secret@127.0.0.1:9/x.jpg", limits))).toBe("network_error");
    const message = await readInput("http://user:secret@127.0.0.1:9/x.jpg?token=abc", limits).catch((e: Error) => e.message);
    expect(message).not.toContain("secret");
    expect(message).not.toContain("abc");
  });
});
