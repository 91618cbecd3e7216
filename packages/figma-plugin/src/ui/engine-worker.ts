/**
 * The engine, in a worker of the UI iframe (or, where the iframe may not
 * start workers, in the iframe itself behind a MessagePort: engine-client.ts).
 * It is core's BrowserRemover with onnxruntime-web's WASM build; this file
 * only wires messages to it and fits results to Figma's size limit.
 */
import {
  BrowserRemover,
  browserCodec,
  CutoutError,
  type CutoutResult,
  encodePngInBrowser,
  isCutoutError,
  type ModelCache,
  type RemoveOptions,
} from "@cutout/core/browser";
// The WASM build only: every quality preset runs int8, which has no WebGPU kernel (QLinearConv), and
// this build's .wasm is half the download of the build with WebGPU (14 against 28 MB).
import * as ort from "onnxruntime-web/wasm";
import { FIGMA_MAX_IMAGE_SIDE, type RelayedResponse } from "../protocol.js";
import type { CutResult, EngineConfig, FromWorker, ToWorker } from "./engine-protocol.js";

/** onnxruntime-web's WASM file and its SHA-256, from the package the build bundled (build.config.mjs). */
declare const ORT_WASM: { file: string; sha256: string };

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

let nextFetch = 1;
const fetchReplies = new Map<number, (response: RelayedResponse) => void>();
const directFetch = globalThis.fetch.bind(globalThis);

/**
 * The CDN is fetched from here; anything else (the remote engine's API,
 * which need not allow a null origin's requests) is made by the main thread,
 * whose fetch knows no CORS. core's remote client calls the global fetch, so
 * it goes through this without knowing.
 */
globalThis.fetch = async (input, init) => {
  const request = new Request(input, init);
  if (cdnBase && request.url.startsWith(cdnBase)) return directFetch(request);
  const { signal } = request;
  signal.throwIfAborted();
  const body = request.method === "GET" || request.method === "HEAD" ? undefined : new Uint8Array(await request.arrayBuffer());
  const id = nextFetch++;
  const reply = new Promise<RelayedResponse>((resolve, reject) => {
    fetchReplies.set(id, resolve);
    signal.addEventListener(
      "abort",
      () => {
        fetchReplies.delete(id);
        reject(signal.reason);
      },
      { once: true },
    );
  });
  port.postMessage({ fetchRequest: { id, url: request.url, method: request.method, headers: Object.fromEntries(request.headers), body } });
  const answer = await reply;
  if (!answer.ok) throw new TypeError(answer.message);
  return new Response(answer.body as BodyInit, { status: answer.status, statusText: answer.statusText, headers: answer.headers });
};

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

/**
 * onnxruntime's .wasm, fetched here and checked against the SHA-256 of the
 * file the build bundled against. Passed as bytes, onnxruntime uses the glue
 * code bundled with it; given a URL instead, it would import its .mjs glue
 * from the CDN at run time, which the iframe's policy (and a null origin's
 * script URL guessing) refuses. Kept by the UI with the model.
 */
async function onnxruntimeWasm(): Promise<Uint8Array> {
  const url = `${cdnBase}onnxruntime-web@${ort.env.versions.web}/dist/${ORT_WASM.file}`;
  const kept = await uiCache.get(ORT_WASM.sha256);
  if (kept) return kept;
  let bytes: Uint8Array;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(120_000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    throw new CutoutError("model_unavailable", `onnxruntime's WebAssembly could not be fetched from ${url}: ${(error as Error).message}`);
  }
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as BufferSource));
  const hex = Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
  if (hex !== ORT_WASM.sha256) throw new CutoutError("model_unavailable", `${url} does not match its SHA-256 (${hex.slice(0, 12)}…)`);
  await uiCache.put(ORT_WASM.sha256, bytes);
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
    fetchReplies.get(data.fetchReply.id)?.(data.fetchReply);
    fetchReplies.delete(data.fetchReply.id);
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
    const result = await cut(data.request.bytes, data.request.options as RemoveOptions);
    port.postMessage({ id: data.id, ok: true, result });
  } catch (error) {
    const code = isCutoutError(error) ? error.code : "unexpected";
    port.postMessage({ id: data.id, ok: false, code, message: error instanceof Error ? error.message : String(error) });
  }
};

port.postMessage({ ready: true });
