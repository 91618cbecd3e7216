import type { Env, InferenceSession } from "onnxruntime-common";
import type { OrtRuntime } from "../sessions/session.js";
import { DEFAULT_NPM_CDN } from "./model-source.js";

/** onnxruntime-web as the host imports it (`import * as ort from "onnxruntime-web"`, or its `/wasm` or `/webgpu` builds). */
export interface WebRuntime extends OrtRuntime {
  env: Env;
}

export interface WasmLocation {
  /**
   * Where onnxruntime-web's .wasm files are: a folder URL (its file names
   * are appended) or onnxruntime's own { wasm, mjs } object of absolute URLs.
   * Default: `<cdn>/onnxruntime-web@<its version>/dist/`.
   */
  wasmPaths?: Env.WasmPrefixOrFilePaths;
  /** The .wasm file's bytes, fetched by the host (instead of wasmPaths). */
  wasmBinary?: ArrayBuffer | Uint8Array;
}

/**
 * Sets onnxruntime-web up for the page it runs in. Threads need
 * SharedArrayBuffer, which only a cross-origin-isolated page has: elsewhere
 * (a Figma plugin's iframe) one thread and no proxy worker. The WASM location
 * is always set, since onnxruntime's own guess comes from import.meta.url or
 * the script's URL, which a data: or null-origin page does not have.
 * Returns the threads it chose.
 */
export function configureWebRuntime(ort: WebRuntime, location: WasmLocation & { cdn?: string; threads?: number }): number {
  const isolated = globalThis.crossOriginIsolated === true;
  const threads = isolated ? Math.max(1, location.threads ?? Math.min(4, globalThis.navigator?.hardwareConcurrency ?? 1)) : 1;
  const wasm = ort.env.wasm;
  wasm.numThreads = threads;
  wasm.proxy = false;
  if (location.wasmBinary) wasm.wasmBinary = location.wasmBinary;
  else
    wasm.wasmPaths =
      location.wasmPaths ?? `${(location.cdn ?? DEFAULT_NPM_CDN).replace(/\/+$/, "")}/onnxruntime-web@${ort.env.versions.web}/dist/`;
  return threads;
}

/**
 * The execution providers to ask for: WebGPU first where the browser offers
 * a GPU adapter and the model is float (int8's QLinearConv has no WebGPU
 * kernel: it would bounce between GPU and CPU), then WASM, which onnxruntime
 * falls back to when WebGPU cannot start.
 */
export async function executionProviders(float: boolean): Promise<InferenceSession.ExecutionProviderConfig[]> {
  const gpu = (globalThis.navigator as { gpu?: { requestAdapter(): Promise<unknown> } } | undefined)?.gpu;
  if (!float || !gpu) return ["wasm"];
  const adapter = await gpu.requestAdapter().catch(() => null);
  return adapter ? ["webgpu", "wasm"] : ["wasm"];
}
