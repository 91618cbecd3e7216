/**
 * The messages between the UI and the engine's worker (engine-worker.ts).
 * The engine runs in a worker so the UI keeps drawing and answering during
 * seconds of single-threaded inference, and so a cancel can stop inference
 * at once (by ending the worker). The worker keeps nothing the UI cannot
 * give back: its model cache lives in the UI (MemoryModelCache), so a new
 * worker after a cancel does not download the model again.
 */
import type { CutoutOptions } from "@cutout/core/browser";
import type { EngineChoice, QualityChoice, RelayedRequest, RelayedResponse } from "../protocol.js";

/** Everything that decides which engine the worker builds; a change builds a new one. */
export interface EngineConfig {
  /** Base URL serving npm packages' files (`<cdn>/<package>@<version>/<file>`); the model and onnxruntime's WASM come from it. */
  cdn: string;
  quality: QualityChoice;
  engine: EngineChoice;
  /** The remote API's key, for engine remote or auto. */
  apiKey: string;
}

export interface CutRequest {
  bytes: Uint8Array;
  /** core's options, built and checked by the UI (cutout-options.ts). */
  options: CutoutOptions;
}

export interface CutResult {
  /** PNG, at most FIGMA_MAX_IMAGE_SIDE on either side. */
  image: Uint8Array;
  width: number;
  height: number;
  scaledFrom?: { width: number; height: number };
  /** Milliseconds: the whole cutout, and the model load it waited for (0 once loaded). */
  totalMs: number;
  modelLoadMs: number;
  engine: "local" | "remote";
  warnings: string[];
}

export type ToWorker =
  | { id: number; method: "configure"; config: EngineConfig }
  | { id: number; method: "load" }
  | { id: number; method: "cut"; request: CutRequest }
  | { cacheReply: number; bytes?: Uint8Array }
  | { fetchReply: RelayedResponse };

export type FromWorker =
  | { ready: true }
  | { id: number; ok: true; result?: CutResult }
  | { id: number; ok: false; code: string; message: string }
  | { progress: { phase: "download" | "verify" | "quantize"; received: number; total?: number } }
  | { cacheRequest: number; op: "get"; key: string }
  | { cacheRequest: number; op: "put"; key: string; bytes: Uint8Array }
  /** A request for anything but the CDN (the remote engine's), to be made by the main thread. */
  | { fetchRequest: RelayedRequest };
