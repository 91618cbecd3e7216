import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { DEFAULT_MODEL, defaultCacheDir, getModelSpec, readHashed, sha256Hex } from "@cutout/models";
import { CutoutError, invalidOption } from "../errors.js";
import type { Spelling } from "../options/resolve.js";
import calibration from "../sessions/isnet-int8-ranges.json";
import { quantizeConvs } from "../sessions/quantize-static.js";
import type { ModelDescription } from "../sessions/registry.js";
import { makeIsnetSizeFree } from "../sessions/resize-isnet.js";
import { describeModel, type LoadedModel, loadModelBytes, type ModelSource } from "./load-model.js";
import { writeFileAtomic } from "./write-atomic.js";

export type Quality = "best" | "balanced" | "fast";
/** float: the weights as published, computed in fp32. int8: statically quantized Convs (sessions/quantize-static.ts). */
export type Precision = "float" | "int8";

/**
 * What each preset runs. int8 scores as float does on the eval set, faster,
 * so every preset is int8 and they differ in model input size. Measured
 * costs are in docs/quality.md and docs/benchmarks.md.
 */
export const QUALITY_PRESETS: Readonly<Record<Quality, { side: number; precision: Precision }>> = {
  best: { side: 1024, precision: "int8" },
  balanced: { side: 896, precision: "int8" },
  fast: { side: 704, precision: "int8" },
};

export interface ModelChoice extends ModelSource {
  quality?: Quality;
  /** Model input side in px (a multiple of 64); overrides the preset's. */
  inputSize?: number;
  /** Overrides the preset's precision. */
  precision?: Precision;
}

export interface EngineModel extends Omit<LoadedModel, "source" | "sha256"> {
  precision: Precision;
}

/** Validates the model choice at the door, naming the option and the bad value. */
export function checkModelChoice(choice: ModelChoice, spell: Spelling = (name) => name): void {
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
export function modelSide(choice: ModelChoice): number {
  return choice.inputSize ?? QUALITY_PRESETS[choice.quality ?? "best"].side;
}

/** The input a choice's session will take, known before its bytes are loaded. */
export function modelDescription(choice: ModelChoice): ModelDescription {
  return atSide(describeModel(getModelSpec(choice.model ?? DEFAULT_MODEL)), modelSide(choice));
}

/**
 * The model bytes a session is built from, for a preset: the published model
 * at its native size, the same made size-free, or its static int8 form. The
 * int8 form is built once per weights and calibration and cached beside the
 * downloaded model, so later runs load it directly.
 */
export async function loadEngineModel(choice: ModelChoice): Promise<EngineModel> {
  checkModelChoice(choice);
  const side = modelSide(choice);
  const wanted = choice.precision ?? QUALITY_PRESETS[choice.quality ?? "best"].precision;
  const spec = getModelSpec(choice.model ?? DEFAULT_MODEL);
  if (wanted === "int8" && choice.modelPath === undefined) {
    if (spec.sha256 === calibration.sha256) {
      const cached = await readVerified(int8File(choice, spec.name, spec.sha256));
      if (cached) return { name: spec.name, bytes: cached, description: modelDescription(choice), warnings: [], precision: "int8" };
    } else if (choice.precision === undefined) return floatModel(await loadModelBytes(choice), side);
  }
  const model = await loadModelBytes(choice);
  if (wanted === "float") return floatModel(model, side);
  // The calibration belongs to one set of weights; another model (a custom file) runs as published unless int8 was asked for.
  if (model.sha256 === calibration.sha256) return buildInt8(choice, model, side);
  if (choice.precision === undefined) return floatModel(model, side);
  throw new CutoutError(
    "validation_error",
    `precision int8 is calibrated for ${calibration.model} (sha256 ${calibration.sha256.slice(0, 12)}), not this model (sha256 ${model.sha256.slice(0, 12)}); use precision float`,
    { field: "precision" },
  );
}

function floatModel(model: LoadedModel, side: number): EngineModel {
  const native = model.description.inputSize[0] === side && model.description.inputSize[1] === side;
  if (native) return { ...model, precision: "float" };
  return {
    ...model,
    bytes: sizeFree(model.name, model.description, model.bytes),
    description: atSide(model.description, side),
    precision: "float",
  };
}

/** Bumped whenever quantize-static.ts changes what it writes, so stale cached builds are not reused. */
const QUANTIZER_VERSION = 2;
const calibrationId = createHash("sha256")
  .update(JSON.stringify([QUANTIZER_VERSION, calibration.ranges]))
  .digest("hex")
  .slice(0, 8);

function int8File(choice: ModelChoice, name: string, sha256: string): string {
  return join(choice.cacheDir ?? defaultCacheDir(), "models", `${name}-int8-${sha256.slice(0, 12)}-${calibrationId}.onnx`);
}

async function buildInt8(choice: ModelChoice, source: LoadedModel, side: number): Promise<EngineModel> {
  const description = atSide(source.description, side);
  const target = int8File(choice, source.name, source.sha256);
  const cached = await readVerified(target);
  if (cached) return { ...source, bytes: cached, description, precision: "int8" };
  choice.onModelProgress?.({ phase: "quantize", received: 0 });
  const { bytes } = quantizeConvs(sizeFree(source.name, source.description, source.bytes), calibration.ranges);
  // The model first, then its checksum: a reader that finds the checksum finds the whole model. A
  // read-only cache only costs a rebuild next time.
  await writeFileAtomic(target, bytes).catch(() => undefined);
  await writeFileAtomic(`${target}.sha256`, new TextEncoder().encode(sha256Hex(bytes))).catch(() => undefined);
  choice.onModelProgress?.({ phase: "quantize", received: bytes.length, total: bytes.length });
  return { ...source, bytes, description, precision: "int8" };
}

/** The cached build when it matches its checksum file; nothing when either is missing or they disagree. */
async function readVerified(file: string): Promise<Uint8Array | undefined> {
  try {
    const [{ bytes, sha256 }, expected] = await Promise.all([readHashed(file), readFile(`${file}.sha256`, "utf8")]);
    return sha256 === expected.trim() ? bytes : undefined;
  } catch {
    return undefined;
  }
}

function atSide(description: ModelDescription, side: number): ModelDescription {
  return { ...description, inputSize: [side, side] };
}

/** The model rewritten to accept any input size (sessions/resize-isnet.ts), or a clear refusal. */
function sizeFree(name: string, description: ModelDescription, bytes: Uint8Array): Uint8Array {
  try {
    if (description.family !== "isnet") throw new Error(`family ${description.family}`);
    return makeIsnetSizeFree(bytes).bytes;
  } catch (error) {
    throw new CutoutError(
      "validation_error",
      `${name} cannot run at another input size (${(error as Error).message}); use quality best or isnet-fp16`,
      { field: "quality" },
    );
  }
}
