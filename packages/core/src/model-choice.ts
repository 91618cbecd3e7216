import { DEFAULT_MODEL, getModelSpec, type ModelSpec } from "@cutout/models/pure";
import { invalidOption } from "./errors.js";
import type { Spelling } from "./options/resolve.js";
import type { ModelDescription } from "./sessions/registry.js";

export type Quality = "best" | "balanced" | "fast";
/** float: the weights as published, computed in fp32. int8: statically quantized Convs (sessions/quantize-static.ts). */
export type Precision = "float" | "int8";

/**
 * What each preset runs. int8 at 1024 scores the same as float on the eval
 * set at about twice the speed (docs/quality.md, docs/benchmarks.md), so
 * every preset is int8 and they differ in model input size.
 */
export const QUALITY_PRESETS: Readonly<Record<Quality, { side: number; precision: Precision }>> = {
  best: { side: 1024, precision: "int8" },
  balanced: { side: 896, precision: "int8" },
  fast: { side: 704, precision: "int8" },
};

/** Which model a host runs and how: the same settings in Node and in a browser. */
export interface ModelSettings {
  /** A manifest name, `isnet-fp16` by default. */
  model?: string;
  quality?: Quality;
  /** Model input side in px (a multiple of 64); overrides the preset's. */
  inputSize?: number;
  /** Overrides the preset's precision. */
  precision?: Precision;
}

/** Validates the model choice at the door, naming the option and the bad value. */
export function checkModelChoice(choice: ModelSettings, spell: Spelling = (name) => name): void {
  const { inputSize, quality, precision } = choice;
  if (inputSize !== undefined && (!Number.isInteger(inputSize) || inputSize < 64 || inputSize % 64 !== 0)) {
    throw invalidOption(spell("inputSize"), "a multiple of 64", inputSize);
  }
  if (quality !== undefined && !Object.hasOwn(QUALITY_PRESETS, quality))
    throw invalidOption(spell("quality"), "one of best, balanced, fast", quality);
  if (precision !== undefined && precision !== "float" && precision !== "int8")
    throw invalidOption(spell("precision"), "float or int8", precision);
}

/** The model's input side in px for a choice: its inputSize, else its preset's. */
export function modelSide(choice: ModelSettings): number {
  return choice.inputSize ?? QUALITY_PRESETS[choice.quality ?? "best"].side;
}

/** The precision a choice runs at: its own, else its preset's. */
export function modelPrecision(choice: ModelSettings): Precision {
  return choice.precision ?? QUALITY_PRESETS[choice.quality ?? "best"].precision;
}

/** The input a choice's session will take, known before its bytes are loaded. */
export function modelDescription(choice: ModelSettings): ModelDescription {
  return atSide(describeModel(getModelSpec(choice.model ?? DEFAULT_MODEL)), modelSide(choice));
}

/** What the manifest says about a model, as far as building a session goes. */
export function describeModel(spec: ModelSpec): ModelDescription {
  return { family: spec.family, inputSize: spec.inputSize, normalization: spec.normalization as ModelDescription["normalization"] };
}

export function atSide(description: ModelDescription, side: number): ModelDescription {
  return { ...description, inputSize: [side, side] };
}

/** The model bytes a session is built from, and what to say about them. */
export interface EngineModel {
  name: string;
  bytes: Uint8Array;
  description: ModelDescription;
  /** Things the caller may want to tell the user (a corrupt cache file that was replaced, say). */
  warnings: string[];
  precision: Precision;
}
