import {
  CutoutEngine,
  checkEngineSelection,
  type EngineChoice,
  type CutoutResult as EngineResult,
  type EngineSelection,
} from "../engine.js";
import { CutoutError } from "../errors.js";
import { checkModelChoice, modelDescription, modelSide } from "../model-choice.js";
import type { Spelling } from "../options/resolve.js";
import { type ParsedOptions, positiveInteger, type RemoveOptions } from "../options.js";
import type { MatteSession, OrtRuntime } from "../sessions/session.js";
import { nodeCodec } from "./codec.js";
import { threadSettings } from "./cpu-cores.js";
import { loadEngineModel, type ModelChoice } from "./engine-model.js";
import { nodeRuntime } from "./onnx-runtime.js";
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
export function checkEngineOptions(options: EngineOptions, spell: Spelling = (name) => name): void {
  if (options.threads !== undefined) positiveInteger(spell("threads"), options.threads, 1);
  checkModelChoice(options, spell);
  checkEngineSelection(options, spell);
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
        runtime: options.runtime ?? nodeRuntime((options.engine ?? "local") !== "remote"),
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

  /** `options`: the JS API's (RemoveOptions), or a dialect's parsed request with its limits (ParsedOptions). */
  remove(input: ImageInput, options: RemoveOptions | ParsedOptions = {}): Promise<CutoutResult> {
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
