import type { CutoutResult, Precision, Quality } from "@cutout/core";

/** Milliseconds per stage, as `Remover.remove` reports them. */
export type Timings = CutoutResult["timings"];

/** The stages reported per run in the warm loop. */
export const STAGES = ["read", "decode", "preprocess", "inference", "postprocess", "effects", "encode"] as const;
export type Stage = (typeof STAGES)[number];

/** What the engine is built with; the same for every child. */
export interface EngineChoice {
  model?: string;
  modelPath?: string;
  threads?: number;
  quality?: Quality;
  /** Model input side (multiple of 64); overrides the preset's. */
  inputSize?: number;
  precision?: Precision;
}

/** A fresh process: start to the first result of `new Remover().remove(photo)`. */
export interface ColdReport {
  kind: "cold";
  /** From process start (performance.timeOrigin) to the result, measured in the child. */
  firstResultMs: number;
  /** Process start to the first line of bench code. */
  bootMs: number;
  /** `import()` of the built dist/index.js (sharp and onnxruntime-node included). */
  importMs: number;
  timings: Timings;
  model: string;
  maxRssKiB: number;
}

/**
 * A fresh process with onnxruntime alone: start to the first `session.run`
 * output, through importing onnxruntime-node, reading the same model bytes
 * (sha256 checked, as the engine does) and creating a session with the
 * engine's options. The baseline of the cold-start target.
 */
export interface BareColdReport {
  kind: "bare-cold";
  firstResultMs: number;
  bootMs: number;
  /** `import` of onnxruntime-node (and the model loader). */
  importMs: number;
  modelBytesMs: number;
  sessionCreateMs: number;
  firstRunMs: number;
}

/** One warm process: N end-to-end runs alternating with N bare `session.run` calls on the same threads. */
export interface WarmReport {
  kind: "warm";
  width: number;
  height: number;
  model: string;
  e2eMs: number[];
  stageMs: Record<Stage, number[]>;
  /** Peak RSS after two images (model loaded, buffers grown), before the bare session exists. */
  peakRssKiB: number;
  /** Peak RSS at the end, with the bare session's weights and buffers on top. */
  peakRssWithBareKiB: number;
  /** Reading (and sha256-checking) the model bytes, then creating a bare session from them. */
  modelBytesMs: number;
  sessionCreateMs: number;
  bareMs: number[];
  /** With --batch: wall time for the batch (at most two in flight), images in it, and peak RSS after it. */
  batch?: BatchReport;
}

export interface BatchReport {
  images: number;
  ms: number;
  peakRssKiB: number;
}

/** One imgly process (bench/imgly-bench-worker.mjs): the first result, then warm runs and a batch in the same process. */
export interface ImglyReport {
  kind: "imgly";
  /** Process start to the first result (model load included), measured in the child. */
  firstResultMs: number;
  /** Peak RSS after the first result only. */
  coldRssKiB: number;
  /** Peak RSS after two images. */
  peakRssKiB: number;
  e2eMs: number[];
  batch?: BatchReport;
}

export type ChildReport = ColdReport | BareColdReport | WarmReport | ImglyReport;

/** The child's last stdout line carries its report after this marker. */
export const REPORT_MARKER = "BENCH_REPORT ";

/** The default PNG output, without remove.bg's 10 MP PNG limit, so 12 MP is measured like 1 MP. */
export const PNG_AT_ANY_SIZE = { maxPngPixels: false } as const;
