/**
 * onnxruntime-web's .wasm, fetched by the worker and checked against the
 * SHA-256 of the file the build bundled against. Passed to onnxruntime as
 * bytes, it uses the JavaScript glue bundled with it; given a URL instead, it
 * would import its .mjs glue from the CDN at run time, which the iframe's
 * policy refuses (as would guessing a script URL in a null-origin page).
 */
import { CutoutError } from "@cutout/core/browser";

/** The WASM file, its SHA-256 and the package version, from the onnxruntime-web the build bundled (build.config.mjs). */
declare const ORT_WASM: { file: string; sha256: string; version: string };

export const ONNXRUNTIME_WASM = ORT_WASM;

/** `<cdn>/onnxruntime-web@<version>/dist/<file>`, checked; model_unavailable when it cannot be had intact. */
export async function fetchOnnxruntimeWasm(cdnBase: string): Promise<Uint8Array> {
  const url = `${cdnBase}onnxruntime-web@${ORT_WASM.version}/dist/${ORT_WASM.file}`;
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
  return bytes;
}
