import { CutoutEngine, type CutoutResult, type EngineSelection, type ModelProvider } from "../engine.js";
import { invalidOption } from "../errors.js";
import { checkModelChoice, type ModelSettings } from "../model-choice.js";
import { positiveInteger, type RemoveOptions } from "../options.js";
import type { MatteSession } from "../sessions/session.js";
import { loadKernels } from "../wasm/kernels.js";
import { type BrowserInput, browserCodec } from "./codec.js";
import { type CdnModelOptions, cdnModel } from "./model-source.js";
import { configureWebRuntime, executionProviders, type WasmLocation, type WebRuntime } from "./runtime.js";

export interface BrowserRemoverOptions extends ModelSettings, EngineSelection, WasmLocation, Omit<CdnModelOptions, keyof ModelSettings> {
  /** onnxruntime-web, as the host imported it: `import * as ort from "onnxruntime-web"` (WebGPU and WASM) or `"onnxruntime-web/wasm"` (half the download). */
  ort: WebRuntime;
  /** Where the model comes from instead of the CDN (a host's own cache or bundle, say). */
  modelSource?: ModelProvider;
  /** Threads, where the page is cross-origin isolated (elsewhere always one). */
  threads?: number;
  /** "wasm" to keep off the GPU; by default WebGPU for float models where an adapter exists, then WASM. */
  executionProviders?: ("webgpu" | "wasm")[];
}

/**
 * The engine in a browser (engine.ts with onnxruntime-web, createImageBitmap
 * and canvases, and the model from an npm CDN): the same options, errors and
 * results as Node's Remover, with `data` a Uint8Array. Runs in a window, a
 * worker or a null-origin sandboxed iframe (a Figma plugin's UI).
 */
export class BrowserRemover {
  private readonly engine: CutoutEngine<BrowserInput>;
  /** Threads onnxruntime-web was given. */
  readonly threads: number;
  private kernels: Promise<void> | undefined;

  constructor(options: BrowserRemoverOptions) {
    if (!options?.ort?.InferenceSession || !options.ort.env) throw invalidOption("ort", "the onnxruntime-web module", options?.ort);
    checkModelChoice(options);
    if (options.threads !== undefined) positiveInteger("threads", options.threads, 1);
    this.threads = configureWebRuntime(options.ort, options);
    this.engine = new CutoutEngine(
      {
        runtime: options.ort,
        codec: browserCodec,
        model: options.modelSource ?? cdnModel(options),
        sessionSettings: async (model) => ({
          threads: this.threads,
          sessionOptions: { executionProviders: options.executionProviders ?? (await executionProviders(model.precision === "float")) },
        }),
      },
      options,
    );
  }

  /** Loads the model now (to show its download's progress up front, say). */
  async load(): Promise<MatteSession> {
    await this.loadKernels();
    return this.engine.load();
  }

  async remove(input: BrowserInput, options: RemoveOptions = {}): Promise<CutoutResult> {
    await this.loadKernels();
    return this.engine.remove(input, options);
  }

  close(): Promise<void> {
    this.kernels = undefined;
    return this.engine.close();
  }

  /** A browser's main thread refuses to compile the image kernels synchronously: they are compiled once, before the first photo. */
  private loadKernels(): Promise<void> {
    this.kernels ??= loadKernels();
    return this.kernels;
  }
}
