import { CutoutError } from "./errors.js";
import { atSide, type EngineModel } from "./model-choice.js";
import calibration from "./sessions/isnet-int8-ranges.json";
import { quantizeConvs } from "./sessions/quantize-static.js";
import type { ModelDescription } from "./sessions/registry.js";
import { makeIsnetSizeFree } from "./sessions/resize-isnet.js";

/** Published weights as they were downloaded: what the forms below are built from. */
export interface SourceModel {
  name: string;
  bytes: Uint8Array;
  description: ModelDescription;
  /** sha256 (hex) of `bytes`. */
  sha256: string;
  warnings: string[];
}

/** The activation ranges the int8 form is built with, and the weights (sha256) they were calibrated on. */
export const INT8_CALIBRATION: { model: string; sha256: string; ranges: Record<string, number[]> } = calibration;

/** Bumped whenever quantize-static.ts changes what it writes, so hosts' cached int8 builds are not reused. */
export const QUANTIZER_VERSION = 2;

/** Whether the int8 form can be built from these weights (the calibration belongs to one set of them). */
export function calibratedFor(sha256: string): boolean {
  return sha256 === INT8_CALIBRATION.sha256;
}

/** The published model at a model input side: as it is at its native size, else made size-free. */
export function floatModel(model: SourceModel, side: number): EngineModel {
  const { name, description, warnings } = model;
  const native = description.inputSize[0] === side && description.inputSize[1] === side;
  const bytes = native ? model.bytes : sizeFree(name, description, model.bytes);
  return { name, bytes, description: atSide(description, side), warnings, precision: "float" };
}

/** The static int8 form of calibrated weights (sessions/quantize-static.ts), size-free: seconds of work, so hosts cache it. */
export function int8Model(model: SourceModel, side: number): EngineModel {
  if (!calibratedFor(model.sha256)) {
    throw new CutoutError(
      "validation_error",
      `precision int8 is calibrated for ${INT8_CALIBRATION.model} (sha256 ${INT8_CALIBRATION.sha256.slice(0, 12)}), not this model (sha256 ${model.sha256.slice(0, 12)}); use precision float`,
      { field: "precision" },
    );
  }
  const { bytes } = quantizeConvs(sizeFree(model.name, model.description, model.bytes), INT8_CALIBRATION.ranges);
  return { name: model.name, bytes, description: atSide(model.description, side), warnings: model.warnings, precision: "int8" };
}

/** The model rewritten to accept any input size (sessions/resize-isnet.ts), or a clear refusal. */
export function sizeFree(name: string, description: ModelDescription, bytes: Uint8Array): Uint8Array {
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
