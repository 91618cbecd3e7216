import type { InferenceSession, Tensor } from "onnxruntime-common";
import type { Plane } from "../image.js";
import type { Normalization } from "../matte/preprocess.js";

/**
 * The onnxruntime flavour a host injects: `onnxruntime-node` in Node,
 * `onnxruntime-web` in the Figma UI. Both implement onnxruntime-common.
 */
export interface OrtRuntime {
  InferenceSession: { create(model: Uint8Array, options?: InferenceSession.SessionOptions): Promise<InferenceSession> };
  Tensor: new (type: "float32", data: Float32Array, dims: readonly number[]) => Tensor;
}

export interface SessionSettings {
  /** Intra-op threads; undefined lets onnxruntime choose (its count of physical cores). */
  threads?: number;
  /** Extra options passed through to onnxruntime (execution providers, for example). */
  sessionOptions?: InferenceSession.SessionOptions;
}

/** What every model family offers the pipeline: a fixed input size and a matte for a tensor. */
export interface MatteSession {
  readonly family: string;
  readonly inputSize: readonly [number, number];
  readonly normalization: Normalization;
  /** Takes an NCHW tensor at inputSize; returns the matte at inputSize, values 0..1. */
  predict(input: Float32Array): Promise<Plane>;
  release(): Promise<void>;
}
