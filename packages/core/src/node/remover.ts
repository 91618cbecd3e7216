import * as ort from "onnxruntime-node";
import { CutoutEngine, type EngineChoice, type CutoutResult as EngineResult, type EngineSelection } from "../engine.js";
import { CutoutError, invalidOption } from "../errors.js";
import { checkModelChoice, modelDescription, modelSide } from "../model-choice.js";
import type { Spelling } from "../options/resolve.js";
import { positiveInteger, type RemoveOptions } from "../options.js";
import type { MatteSession, OrtRuntime } from "../sessions/session.js";
import { nodeCodec } from "./codec.js";
import { threadSettings } from "./cpu-cores.js";
import { loadEngineModel, type ModelChoice } from "./engine-model.js";
import type { ImageInput } from "./read-input.js";

export { MIME_TYPES, NO_FOREGROUND } from "../engine.js";
export type { EngineChoice };

export interface EngineOptions extends ModelChoice, EngineSelection {
  /** onnxruntime intra-op threads; by default the machine's physical cores (cpuCores), else onnxruntime's choice. */
  threads?: number;
  /** The onnxruntime flavour; onnxruntime-node unless another is injected. */
  runtime?: OrtRuntime;
}

/** A Node result: the encoded bytes as a Buffer. */
export type CutoutResult = EngineResult<Buffer>;

/** Validates a Remover's settings at the door; `spell` names them as the caller's user typed them (the CLI's flags). */
export function checkEngineOptions(engine: EngineOptions, spell: Spelling = (name) => name): void {
  if (engine.threads !== undefined) positiveInteger(spell("threads"), engine.threads, 1);
  checkModelChoice(engine, spell);
  const choice = engine.engine ?? "local";
  if (!["local", "remote", "auto"].includes(choice)) throw invalidOption(spell("engine"), "one of local, remote, auto", choice);
  if (choice === "remote" && !engine.remote?.apiKey) {
    throw new CutoutError("validation_error", "engine 'remote' needs remote.apiKey (the provider's API key)", { field: "apiKey" });
  }
}

/**
 * The engine in Node (engine.ts with onnxruntime-node, sharp, the model
 * loader, file paths and streams). One loaded model, reused for every image:
 * creating a session costs about a second and ~300 MB, so batch callers keep
 * one Remover for the whole batch.
 */
export class Remover {
  private readonly engine: CutoutEngine<ImageInput, Buffer>;

  constructor(options: EngineOptions = {}) {
    checkEngineOptions(options);
    this.engine = new CutoutEngine(
      {
        runtime: options.runtime ?? (ort as unknown as OrtRuntime),
        codec: nodeCodec,
        sessionSettings: () => threadSettings(options.threads),
        model: {
          load: () => loadEngineModel(options),
          announced: () => {
            try {
              return modelDescription(options);
            } catch {
              return undefined;
            }
          },
          side: modelSide(options),
        },
      },
      options,
    );
  }

  /** Loads the model now rather than on the first image (to show download progress up front, say). */
  load(): Promise<MatteSession> {
    return this.engine.load();
  }

  remove(input: ImageInput, options: RemoveOptions = {}): Promise<CutoutResult> {
    return this.engine.remove(input, options);
  }

  close(): Promise<void> {
    return this.engine.close();
  }
}

const shared = new Map<string, Remover>();

/**
 * Removes the background of one image. Engines are shared per model and
 * thread count, so repeated calls load the model once.
 */
export function removeBackground(input: ImageInput, options: RemoveOptions & EngineOptions = {}): Promise<CutoutResult> {
  const { model, modelPath, cacheDir, threads, runtime, onModelProgress, engine, remote, quality, inputSize, precision, ...perImage } =
    options;
  const key = JSON.stringify([model, modelPath, cacheDir, threads, engine, remote, quality, inputSize, precision]);
  let remover = shared.get(key);
  if (!remover || runtime) {
    remover = new Remover({ model, modelPath, cacheDir, threads, runtime, onModelProgress, engine, remote, quality, inputSize, precision });
    if (!runtime) shared.set(key, remover);
  }
  return remover.remove(input, perImage);
}

export { CutoutError };
