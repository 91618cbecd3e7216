/**
 * Messages between the extension and its engine process. The engine runs in
 * a child process because inference holds its thread for seconds: in the
 * extension host it would freeze every extension, and a native crash there
 * would take them all down.
 */
import type { CutoutResult, EngineChoice, ErrorCode, Quality, RemoveOptions } from "@cutout/core";

/** What selects (and, when it changes, restarts) the engine. The API key travels only over the IPC channel. */
export interface EngineSettings {
  engine: EngineChoice;
  quality: Quality;
  /** Inference threads; undefined: the machine's physical cores. */
  threads?: number;
  remote?: { provider: string; url?: string; apiKey: string };
}

/** Where a cutout goes: `<dir>/<stem>.cutout.<format>` (`.mask.` for the matte alone), or the next free `-N` name unless `replace`. */
export interface OutputPlan {
  dir: string;
  stem: string;
  matte: boolean;
  /** The user chose to replace an existing file of that name. */
  replace: boolean;
}

/** A finished cutout as the extension sees it: written by the engine process, so without its bytes and matte. */
export type EngineResult = Omit<CutoutResult, "alpha" | "data"> & { output: string; bytes: number };

export type Request =
  | { type: "configure"; settings: EngineSettings }
  | { type: "remove"; id: number; input: string; options: RemoveOptions; output: OutputPlan }
  | { type: "close" };

export interface SerializedError {
  code: ErrorCode;
  message: string;
  field?: string;
}

export type Reply =
  | { type: "progress"; phase: "download" | "verify" | "assemble" | "quantize"; received: number; total?: number }
  | { type: "done"; id: number; result: EngineResult }
  | { type: "failed"; id: number; error: SerializedError }
  | { type: "closed" };
