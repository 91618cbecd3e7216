import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { DEFAULT_MODEL, defaultCacheDir, getModelSpec, readHashed, sha256Hex } from "@cutout/models";
import {
  atSide,
  checkModelChoice,
  type EngineModel,
  type ModelSettings,
  modelDescription,
  modelPrecision,
  modelSide,
} from "../model-choice.js";
import { calibratedFor, INT8_CALIBRATION as calibration, floatModel, int8Model, QUANTIZER_VERSION } from "../model-forms.js";
import { type LoadedModel, loadModelBytes, type ModelSource } from "./load-model.js";
import { writeFileAtomic } from "./write-atomic.js";

export type { EngineModel } from "../model-choice.js";

/** A model choice in Node: the shared settings, and where the weights come from (a download, the cache or a file). */
export interface ModelChoice extends ModelSettings, ModelSource {}

/**
 * The model bytes a session is built from, for a preset: the published model
 * at its native size, the same made size-free, or its static int8 form. The
 * int8 form is built once per weights and calibration and cached beside the
 * downloaded model, so later runs load it directly.
 */
export async function loadEngineModel(choice: ModelChoice): Promise<EngineModel> {
  checkModelChoice(choice);
  const side = modelSide(choice);
  const wanted = modelPrecision(choice);
  const spec = getModelSpec(choice.model ?? DEFAULT_MODEL);
  if (wanted === "int8" && choice.modelPath === undefined) {
    if (calibratedFor(spec.sha256)) {
      const cached = await readVerified(int8File(choice, spec.name, spec.sha256));
      if (cached) return { name: spec.name, bytes: cached, description: modelDescription(choice), warnings: [], precision: "int8" };
    } else if (choice.precision === undefined) return floatModel(await loadModelBytes(choice), side);
  }
  const model = await loadModelBytes(choice);
  if (wanted === "float") return floatModel(model, side);
  // The calibration belongs to one set of weights; another model (a custom file) runs as published unless int8 was asked for.
  if (calibratedFor(model.sha256)) return buildInt8(choice, model, side);
  if (choice.precision === undefined) return floatModel(model, side);
  return int8Model(model, side);
}

const calibrationId = createHash("sha256")
  .update(JSON.stringify([QUANTIZER_VERSION, calibration.ranges]))
  .digest("hex")
  .slice(0, 8);

function int8File(choice: ModelChoice, name: string, sha256: string): string {
  return join(choice.cacheDir ?? defaultCacheDir(), "models", `${name}-int8-${sha256.slice(0, 12)}-${calibrationId}.onnx`);
}

async function buildInt8(choice: ModelChoice, source: LoadedModel, side: number): Promise<EngineModel> {
  const target = int8File(choice, source.name, source.sha256);
  const cached = await readVerified(target);
  if (cached)
    return {
      name: source.name,
      bytes: cached,
      description: atSide(source.description, side),
      warnings: source.warnings,
      precision: "int8",
    };
  choice.onModelProgress?.({ phase: "quantize", received: 0 });
  const built = int8Model(source, side);
  const { bytes } = built;
  // The model first, then its checksum: a reader that finds the checksum finds the whole model. A
  // read-only cache only costs a rebuild next time.
  await writeFileAtomic(target, bytes).catch(() => undefined);
  await writeFileAtomic(`${target}.sha256`, new TextEncoder().encode(sha256Hex(bytes))).catch(() => undefined);
  choice.onModelProgress?.({ phase: "quantize", received: bytes.length, total: bytes.length });
  return built;
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
