/**
 * The engine, in a worker of the UI iframe (or, where the iframe may not
 * start workers, in the iframe itself behind a MessagePort: engine-client.ts).
 * It is core's BrowserRemover with onnxruntime-web's WASM build; this file
 * wires messages to it, keeps what it builds with the UI, and fits results
 * to Figma's size limit.
 */
import {
  BrowserRemover,
  browserCodec,
  type CutoutResult,
  encodePngInBrowser,
  isCutoutError,
  type ModelCache,
  type RemoveOptions,
} from "@cutout/core/browser";
// The WASM build only: every quality preset runs int8, which has no WebGPU kernel (QLinearConv), and
// this build's .wasm is half the download of the build with WebGPU (README: sizes).
import * as ort from "onnxruntime-web/wasm";
import { FIGMA_MAX_IMAGE_SIDE } from "../protocol.js";
import type { CutResult, EngineConfig, FromWorker, ToWorker } from "./engine-protocol.js";
import { fetchOnnxruntimeWasm, ONNXRUNTIME_WASM } from "./onnxruntime-wasm.js";
import { relayFetch } from "./relayed-fetch.js";

interface Port {
  postMessage(message: FromWorker): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
}

const port = ((globalThis as { cutoutEnginePort?: Port }).cutoutEnginePort ?? globalThis) as unknown as Port;

let remover: BrowserRemover | undefined;
let configured = "";
/** The CDN's base URL, with a trailing slash: fetched directly, as it allows any origin. */
let cdnBase = "";
let nextCacheRequest = 1;
const cacheReplies = new Map<number, (bytes: Uint8Array | undefined) => void>();

/** The model cache, kept by the UI (a null-origin iframe has no Cache Storage). */
const uiCache: ModelCache = {
  get: (key) => {
    const cacheRequest = nextCacheRequest++;
    port.postMessage({ cacheRequest, op: "get", key });
    return new Promise((resolve) => cacheReplies.set(cacheRequest, resolve));
  },
  put: async (key, bytes) => {
    port.postMessage({ cacheRequest: nextCacheRequest++, op: "put", key, bytes });
  },
};

/** The CDN directly, the rest through the main thread. */
const answerFetch = relayFetch(
  (fetchRequest) => port.postMessage({ fetchRequest }),
  (url) => cdnBase !== "" && url.startsWith(cdnBase),
);

async function configure(config: EngineConfig): Promise<void> {
  const key = JSON.stringify(config);
  if (key === configured && remover) return;
  await remover?.close();
  remover = undefined;
  cdnBase = `${config.cdn.replace(/\/+$/, "")}/`;
  // The remote engine runs no model here.
  const wasmBinary = config.engine === "remote" ? undefined : await onnxruntimeWasm();
  configured = key;
  remover = new BrowserRemover({
    ort,
    wasmBinary,
    cdn: config.cdn,
    quality: config.quality,
    engine: config.engine,
    remote: config.apiKey ? { apiKey: config.apiKey, provider: "removebg" } : undefined,
    cache: uiCache,
    onProgress: (progress) => port.postMessage({ progress }),
  });
}

/** onnxruntime's WASM, kept by the UI with the model so a new worker does not fetch it again. */
async function onnxruntimeWasm(): Promise<Uint8Array> {
  const kept = await uiCache.get(ONNXRUNTIME_WASM.sha256);
  if (kept) return kept;
  const bytes = await fetchOnnxruntimeWasm(cdnBase);
  await uiCache.put(ONNXRUNTIME_WASM.sha256, bytes);
  return bytes;
}

async function cut(bytes: Uint8Array, options: RemoveOptions): Promise<CutResult> {
  if (!remover) throw new Error("The engine is not configured");
  const result: CutoutResult = await remover.remove(bytes, { ...options, format: "png", maxPngPixels: false });
  const fitted = await fitToFigma(result);
  return {
    ...fitted,
    totalMs: result.timings.total,
    modelLoadMs: result.timings.modelLoad,
    engine: result.engine,
    warnings: result.warnings,
  };
}

/** Figma takes images up to 4096 px a side: a larger result (a shadow grows the canvas, say) is scaled down to fit. */
async function fitToFigma(result: CutoutResult): Promise<Pick<CutResult, "image" | "width" | "height" | "scaledFrom">> {
  const { data, width, height } = result;
  const scale = FIGMA_MAX_IMAGE_SIDE / Math.max(width, height);
  if (scale >= 1) return { image: data, width, height };
  const fit = (side: number) => Math.min(FIGMA_MAX_IMAGE_SIDE, Math.max(1, Math.round(side * scale)));
  const decoded = await browserCodec.decode(data, Number.MAX_SAFE_INTEGER);
  if ("preview" in decoded.photo) throw new Error("a browser decodes whole");
  const resized = await browserCodec.resize(decoded.photo, fit(width), fit(height));
  const image = await encodePngInBrowser(resized.data as Uint8Array, resized.width, resized.height, resized.channels);
  return { image, width: resized.width, height: resized.height, scaledFrom: { width, height } };
}

port.onmessage = async ({ data }) => {
  if ("fetchReply" in data) {
    answerFetch(data.fetchReply);
    return;
  }
  if ("cacheReply" in data) {
    cacheReplies.get(data.cacheReply)?.(data.bytes);
    cacheReplies.delete(data.cacheReply);
    return;
  }
  try {
    if (data.method === "configure") {
      await configure(data.config);
      return port.postMessage({ id: data.id, ok: true });
    }
    if (!remover) throw new Error("The engine is not configured");
    if (data.method === "load") {
      await remover.load();
      return port.postMessage({ id: data.id, ok: true });
    }
    const result = await cut(data.request.bytes, data.request.options);
    port.postMessage({ id: data.id, ok: true, result });
  } catch (error) {
    const code = isCutoutError(error) ? error.code : "unexpected";
    port.postMessage({ id: data.id, ok: false, code, message: error instanceof Error ? error.message : String(error) });
  }
};

port.postMessage({ ready: true });
