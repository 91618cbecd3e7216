/**
 * The page inside the test's iframe (test/support/browser-harness.ts): what a
 * Figma plugin's UI does with the browser adapter, driven by messages from
 * its parent, as a plugin's code drives its UI. Bundled by esbuild as a host
 * would bundle it.
 */
import { BrowserRemover, browserCodec, type CdnModelOptions, cdnModel, isCutoutError, type ModelProgress } from "@cutout/core/browser";
import * as ort from "onnxruntime-web";

const removers = new Map<string, BrowserRemover>();
const progress: ModelProgress[] = [];

type Request = {
  id: number;
  action: string;
  key?: string;
  options?: Record<string, unknown>;
  bytes?: Uint8Array;
  image?: { width: number; height: number; channels: 1 | 3 | 4; format: "png" | "jpg" | "webp" };
};

const actions: Record<string, (request: Request) => Promise<Record<string, unknown>>> = {
  async create({ key = "default", options = {} }) {
    progress.length = 0;
    removers.set(key, new BrowserRemover({ ort, ...options, onProgress: (p: ModelProgress) => progress.push(p) } as never));
    return {};
  },
  async load({ key = "default" }) {
    const t0 = performance.now();
    await removerFor(key).load();
    return { ms: performance.now() - t0, phases: [...new Set(progress.map((p) => p.phase))] };
  },
  async remove({ key = "default", bytes, options = {} }) {
    const t0 = performance.now();
    const result = await removerFor(key).remove(bytes as Uint8Array, options);
    const { data, alpha, timings, width, height, format, mimeType, engine, model, warnings, foreground, source } = result;
    return {
      ms: performance.now() - t0,
      data,
      alpha,
      timings,
      width,
      height,
      format,
      mimeType,
      engine,
      model,
      warnings,
      foreground,
      source,
    };
  },
  async close({ key = "default" }) {
    await removers.get(key)?.close();
    removers.delete(key);
    return {};
  },
  /** The codec alone: decode with the browser's decoder (EXIF orientation applied), as the engine does. */
  async decode({ bytes }) {
    const { photo, source } = await browserCodec.decode(bytes as Uint8Array, 50_000_000);
    if ("preview" in photo) throw new Error("a browser decodes whole");
    return { data: new Uint8Array(photo.data), width: photo.width, height: photo.height, channels: photo.channels, source };
  },
  /** The codec alone: encode pixels in a format, as the engine does after rendering. */
  async encode({ bytes, image }) {
    if (!image) throw new Error("encode needs image");
    const { width, height, channels, format } = image;
    const pixels = bytes as Uint8Array;
    const rendered = { pixels, width, height, channels, matte: pixels, format, foreground: null };
    return { data: await browserCodec.encode(rendered) };
  },
  /** The model source alone, twice if asked: the second load's requests show whether the cache served it. */
  async loadModel({ options = {} }) {
    progress.length = 0;
    const t0 = performance.now();
    const model = await cdnModel({ ...(options as CdnModelOptions), onProgress: (p) => progress.push(p) }).load();
    return {
      ms: performance.now() - t0,
      bytes: model.bytes.length,
      precision: model.precision,
      warnings: model.warnings,
      phases: [...new Set(progress.map((p) => p.phase))],
    };
  },
};

function removerFor(key: string): BrowserRemover {
  const remover = removers.get(key);
  if (!remover) throw new Error(`no remover '${key}'`);
  return remover;
}

addEventListener("message", async (event: MessageEvent<Request>) => {
  const { id, action } = event.data;
  try {
    const run = actions[action];
    if (!run) throw new Error(`unknown action ${action}`);
    parent.postMessage({ id, ok: true, ...(await run(event.data)) }, "*");
  } catch (error) {
    const code = isCutoutError(error) ? error.code : undefined;
    parent.postMessage({ id, ok: false, code, message: (error as Error).message ?? String(error) }, "*");
  }
});

parent.postMessage(
  {
    id: "ready",
    origin: self.origin,
    crossOriginIsolated: self.crossOriginIsolated,
    sharedArrayBuffer: typeof SharedArrayBuffer !== "undefined",
    secure: self.isSecureContext,
  },
  "*",
);
