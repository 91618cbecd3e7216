import { DEFAULT_MODEL, getModelSpec, type LoadProgress, loadModel } from "@cutout/models";
import { CutoutError } from "../errors.js";
import { describeModel } from "../model-choice.js";
import type { ModelDescription } from "../sessions/registry.js";

export { describeModel };

export interface ModelSource {
  /** A manifest name, `isnet-fp16` by default. */
  model?: string;
  /** A local .onnx file for air-gapped use; skips the download. */
  modelPath?: string;
  cacheDir?: string;
  onModelProgress?: (progress: LoadProgress) => void;
}

export interface LoadedModel {
  name: string;
  bytes: Uint8Array;
  description: ModelDescription;
  /** sha256 (hex) of `bytes`. */
  sha256: string;
  source: "cache" | "download" | "path";
  warnings: string[];
}

/** Fetches (or finds) the weights through the models package, converting its errors to core's. */
export async function loadModelBytes(source: ModelSource): Promise<LoadedModel> {
  try {
    const spec = getModelSpec(source.model ?? DEFAULT_MODEL);
    const loaded = await loadModel({
      model: spec.name,
      ...(source.modelPath === undefined ? {} : { modelPath: source.modelPath }),
      ...(source.cacheDir === undefined ? {} : { cacheDir: source.cacheDir }),
      ...(source.onModelProgress === undefined ? {} : { onProgress: source.onModelProgress }),
    });
    return {
      name: spec.name,
      bytes: loaded.bytes,
      sha256: loaded.sha256,
      description: describeModel(spec),
      source: loaded.source,
      warnings: loaded.warnings,
    };
  } catch (error) {
    const e = error as { code?: string; message?: string; field?: string };
    if (e.code === "validation_error") throw new CutoutError("validation_error", e.message ?? "bad model", { field: e.field ?? "model" });
    if (e.code === "model_unavailable") throw new CutoutError("model_unavailable", e.message ?? "model unavailable", { cause: error });
    throw new CutoutError("model_unavailable", `The model could not be loaded: ${e.message ?? String(error)}`, { cause: error });
  }
}
