import { CutoutError, invalidOption, isCutoutError } from "../errors.js";
import type { Box, PixelImage } from "../image.js";
import { type ParsedOptions, positiveInteger, type RemoveOptions, type ResolvedOptions, resolveOptions } from "../options.js";
import { cutoutPixels, type PendingPhoto } from "../pipeline.js";
import { remoteTarget } from "../remote/protocols.js";
import type { RemoteSettings } from "../remote/providers.js";
import { type ConcreteFormat, renderCutout, rendersCutAsPng } from "../render.js";
import { BufferPool, Scratch } from "../scratch.js";
import { createSession, type ModelDescription } from "../sessions/registry.js";
import type { MatteSession, OrtRuntime } from "../sessions/session.js";
import { releaseKernels } from "../wasm/kernels.js";
import { threadSettings } from "./cpu-cores.js";
import { decodeImage, decodePhoto } from "./decode.js";
import { encodeRendered, MIME_TYPES } from "./encode.js";
import { checkModelChoice, type EngineModel, loadEngineModel, type ModelChoice, modelDescription, modelSide } from "./engine-model.js";
import { nodeRuntime } from "./onnx-runtime.js";
import { PngWriter } from "./png-encode.js";
import { type ImageInput, readInput } from "./read-input.js";
import { remoteCutout } from "./remote-cut.js";
import { sharpResize } from "./sharp-resize.js";

export type EngineChoice = "local" | "remote" | "auto";

export interface EngineOptions extends ModelChoice {
  /**
   * local (default): the model on this machine. remote: a paid API (needs
   * `remote`). auto: local, falling back to the remote API when the model
   * cannot be loaded or run.
   */
  engine?: EngineChoice;
  remote?: RemoteSettings;
  /** onnxruntime intra-op threads; by default the machine's physical cores (cpuCores), else onnxruntime's choice. */
  threads?: number;
  /** The onnxruntime flavour; onnxruntime-node unless another is injected. */
  runtime?: OrtRuntime;
}

export interface CutoutResult {
  /** The encoded output in the requested format. */
  data: Buffer;
  format: ConcreteFormat;
  mimeType: string;
  /** The output's alpha, width x height bytes. */
  alpha: Uint8Array;
  /** Output size. */
  width: number;
  height: number;
  /** The subject's bounding box in the input's pixel coordinates (after orientation); null when nothing was found. */
  foreground: Box | null;
  /** Milliseconds per stage. */
  timings: {
    read: number;
    decode: number;
    modelLoad: number;
    preprocess: number;
    inference: number;
    postprocess: number;
    effects: number;
    encode: number;
    total: number;
  };
  engine: "local" | "remote";
  /** The model that cut the subject out (a manifest name, or the remote provider). */
  model: string;
  /** Credits the remote provider charged for this image, where it said (remove.bg's X-Credits-Charged); absent for the local engine. */
  creditsCharged?: number;
  /** The input as found, before orientation and colour conversion. */
  source: { format: string; width: number; height: number; pages: number; orientation: number; hasAlpha: boolean };
  warnings: string[];
}

/**
 * An image with nothing to cut out (a plain wall, an all-white shot, an input
 * already fully transparent) is a result, not an error: the matte is empty,
 * `foreground` is null, and this warning says so.
 */
export const NO_FOREGROUND = "No foreground found: the matte is empty (foreground is null)";

/**
 * One loaded model, reused for every image. Creating a session costs about a
 * second and ~300 MB, so batch callers keep one Remover for the whole batch.
 */
export class Remover {
  private session: Promise<MatteSession> | undefined;
  private model: EngineModel | undefined;
  /** onnxruntime, being imported since construction (as a static import would have been) for the engines that may need it. */
  private readonly runtime: Promise<OrtRuntime> | undefined;
  /** Whether the session exists: until then, a photo's decode shares the cores with the model's load. */
  private loaded = false;
  /** Inference runs one at a time: two runs would only fight over the same cores. */
  private queue: Promise<unknown> = Promise.resolve();
  /** The pipeline's working buffers, reused by every image (the pipeline runs one image at a time). */
  private readonly scratch = new Scratch();
  /** RGBA results, lent until their image is encoded: two images may be in flight; up to two 25 MP results are kept. */
  private readonly rgbaPool = new BufferPool(2, 2 * 25_000_000 * 4);

  constructor(private readonly engine: EngineOptions = {}) {
    if (engine.threads !== undefined) positiveInteger("threads", engine.threads, 1);
    checkModelChoice(engine);
    const choice = engine.engine ?? "local";
    if (!["local", "remote", "auto"].includes(choice)) throw invalidOption("engine", "one of local, remote, auto", choice);
    if (choice === "remote" && !engine.remote?.apiKey) {
      throw new CutoutError("validation_error", "engine 'remote' needs remote.apiKey (the provider's API key)", { field: "apiKey" });
    }
    // A provider that cannot be reached as configured (unknown, no url) is a mistake to report now, not at the first fallback.
    if (choice !== "local" && engine.remote?.apiKey) remoteTarget(engine.remote);
    if (choice !== "remote") {
      this.runtime = engine.runtime ? Promise.resolve(engine.runtime) : nodeRuntime();
      this.runtime.catch(() => undefined); // reported by load(), before any model download
    }
  }

  /** Loads the model now rather than on the first image (to show download progress up front, say). */
  load(): Promise<MatteSession> {
    this.session ??= (async () => {
      // The runtime first: where it cannot load, the model is not downloaded for nothing.
      const runtime = await (this.runtime ?? nodeRuntime());
      this.model = await loadEngineModel(this.engine);
      const session = await createSession(runtime, this.model.bytes, this.model.description, threadSettings(this.engine.threads));
      this.loaded = true;
      return session;
    })();
    // A failed load is not cached, so the next call can retry (after a network blip, say).
    this.session.catch(() => {
      this.session = undefined;
    });
    return this.session;
  }

  /** `options`: the JS API's (RemoveOptions), or a dialect's parsed request with its limits (ParsedOptions). */
  async remove(input: ImageInput, options: RemoveOptions | ParsedOptions = {}): Promise<CutoutResult> {
    const resolved = resolveOptions(options);
    const t0 = performance.now();
    const { bytes } = await readInput(input, resolved);
    const t1 = performance.now();
    const local = (this.engine.engine ?? "local") !== "remote";
    // A first image loads the model while its pixels decode, but only once its header has passed the
    // limits: a refused input never triggers a download.
    let loading: Promise<MatteSession> | undefined;
    const accepted = () => {
      if (!local) return;
      loading = this.load();
      loading.catch(() => undefined); // awaited (and reported) in cutout()
    };
    // Only the model can start on a preview; the remote engine needs the photo itself.
    const cover = local ? modelSide(this.engine) : Number.POSITIVE_INFINITY;
    const decoded = await decodePhoto(bytes, resolved.maxPixels, cover, accepted, !this.loaded);
    const t2 = performance.now();
    // A plain PNG of the cutout starts deflating while the full-size pass writes it.
    const { width, height } = decoded.photo;
    const early = rendersCutAsPng(resolved.canonical) && width * height <= resolved.maxPngPixels;
    const { cut, photo, engine, modelLoad, warnings, pooled, png, creditsCharged } = await this.cutout(
      bytes,
      decoded.photo,
      loading,
      early,
    );
    const t3 = performance.now();
    try {
      const loadImage = (source: Uint8Array | string) => loadBackground(source, resolved);
      const rendered = await renderCutout(photo, cut, resolved.canonical, { resize: sharpResize, loadImage }, resolved.maxPngPixels);
      const t4 = performance.now();
      const data = await encodeRendered(rendered, png);
      const t5 = performance.now();
      const { decodeWait, modelWait, ...stages } = cut.timings;
      return {
        data,
        format: rendered.format,
        mimeType: MIME_TYPES[rendered.format],
        alpha: rendered.matte,
        width: rendered.width,
        height: rendered.height,
        foreground: rendered.foreground,
        timings: {
          read: t1 - t0,
          // What decoding cost beyond what it hid behind inference.
          decode: t2 - t1 + decodeWait,
          modelLoad,
          ...stages,
          effects: t4 - t3,
          encode: t5 - t4,
          total: t5 - t0,
        },
        engine,
        model: engine === "remote" ? `remote:${this.engine.remote?.provider ?? "removebg"}` : (this.model?.name ?? "unknown"),
        ...(creditsCharged === undefined ? {} : { creditsCharged }),
        source: decoded.source,
        warnings: [...(this.model?.warnings ?? []), ...decoded.warnings, ...warnings, ...(rendered.foreground ? [] : [NO_FOREGROUND])],
      };
    } finally {
      // Encoded (or failed): the RGBA buffer is free for the next image (a PNG begun early deflates copies of its rows).
      if (pooled) this.rgbaPool.give(cut.rgba);
      await png?.abandon();
    }
  }

  /** The subject cut out by the chosen engine, falling back from local to remote under `auto`. */
  private async cutout(bytes: Uint8Array, decoded: PixelImage | PendingPhoto, loading: Promise<MatteSession> | undefined, early: boolean) {
    const choice = this.engine.engine ?? "local";
    const remote = this.engine.remote;
    const viaRemote = async (warnings: string[]) => ({
      ...(await remoteCutout(bytes, await fullPixels(decoded), remote as RemoteSettings)),
      engine: "remote" as const,
      modelLoad: 0,
      warnings,
      pooled: false,
      png: undefined,
    });
    if (choice === "remote") return viaRemote([]);
    try {
      const session = loading ?? this.load();
      let png: PngWriter | undefined;
      const options = {
        // A first image's model input is built while the model loads.
        input: this.announcedInput(),
        scratch: this.scratch,
        rgbaBuffer: (length: number) => {
          const rgba = this.rgbaPool.take(length);
          if (early) png = new PngWriter(rgba, decoded.width, decoded.height, 4);
          return rgba;
        },
        onRows: (done: number) => png?.rowsReady(done),
      };
      const cut = await this.exclusive(() => cutoutPixels(decoded, session, sharpResize, options));
      const photo = await fullPixels(decoded);
      return {
        cut,
        photo,
        engine: "local" as const,
        modelLoad: cut.timings.modelWait,
        warnings: [] as string[],
        pooled: true,
        png,
        creditsCharged: undefined,
      };
    } catch (error) {
      const localCannotRun = isCutoutError(error) && (error.code === "model_unavailable" || error.code === "inference_failed");
      if (choice !== "auto" || !remote?.apiKey || !localCannotRun) throw error;
      return viaRemote([`Local inference could not run (${error.code}); used the remote engine instead`]);
    }
  }

  /** The session's input as the manifest gives it; an unknown model is left for load() to report, with its code. */
  private announcedInput(): ModelDescription | undefined {
    try {
      return modelDescription(this.engine);
    } catch {
      return undefined;
    }
  }

  async close(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    this.loaded = false;
    this.scratch.clear();
    this.rgbaPool.clear();
    releaseKernels();
    if (session) await (await session).release();
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** A decoded photo's full-size pixels, once they are there. */
async function fullPixels(decoded: PixelImage | PendingPhoto): Promise<PixelImage> {
  return "preview" in decoded ? decoded.pixels : decoded;
}

/** Background images are untrusted input too: same byte, pixel and time limits as the photo. */
async function loadBackground(source: Uint8Array | string, limits: ResolvedOptions) {
  const { bytes } = await readInput(source, limits);
  return (await decodeImage(bytes, limits.maxPixels)).image;
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
