/**
 * The engine: one photo in, one finished result out, the same in every host.
 * Options are resolved, the input read and decoded, the model loaded (once,
 * while the first photo decodes), the model input built, inference run, the
 * matte refined, effects applied and the result encoded, with warnings,
 * timings and the fallback to a remote API. What differs between hosts is
 * injected (EngineHost): the onnxruntime flavour, where the model comes from,
 * and the image codec. No Node built-ins: Node's Remover and the browser's
 * BrowserRemover are this class with their platform filled in.
 */
import { CutoutError, invalidOption, isCutoutError } from "./errors.js";
import type { ImageCodec, SourceInfo } from "./host.js";
import type { Box, PixelImage } from "./image.js";
import type { EngineModel } from "./model-choice.js";
import type { Spelling } from "./options/resolve.js";
import { type ParsedOptions, type RemoveOptions, type ResolvedOptions, resolveOptions } from "./options.js";
import { cutoutPixels, type PendingPhoto } from "./pipeline.js";
import { remoteCutout } from "./remote/cutout.js";
import { remoteTarget } from "./remote/protocols.js";
import type { RemoteSettings } from "./remote/providers.js";
import { type ConcreteFormat, renderCutout } from "./render.js";
import { BufferPool, Scratch } from "./scratch.js";
import { createSession, type ModelDescription } from "./sessions/registry.js";
import type { MatteSession, OrtRuntime, SessionSettings } from "./sessions/session.js";
import { releaseKernels } from "./wasm/kernels.js";

export type EngineChoice = "local" | "remote" | "auto";

/** Which engine cuts the subject out: the same choice in every host. */
export interface EngineSelection {
  /**
   * local (default): the model on this machine. remote: a paid API (needs
   * `remote`). auto: local, falling back to the remote API when the model
   * cannot be loaded or run.
   */
  engine?: EngineChoice;
  remote?: RemoteSettings;
}

/** Where a host's model comes from. */
export interface ModelProvider {
  /** The model's bytes in the form the session runs (a download, a cache, a quantised build: the host's business). */
  load(): Promise<EngineModel>;
  /**
   * The session's input as the manifest gives it, before the bytes are
   * there: a first photo's model input is built while the model loads.
   * Undefined when unknown (a bad model name, left for load() to report).
   */
  announced(): ModelDescription | undefined;
  /** The side the model input covers: a host that decodes a preview shrinks to it. */
  side: number;
}

/** Everything host-specific the engine runs on. */
export interface EngineHost<Input, Data extends Uint8Array = Uint8Array> {
  /**
   * onnxruntime-node, onnxruntime-web, or another implementation of
   * onnxruntime-common's interface; or a promise of it, awaited before the
   * model loads (a runtime that cannot load then costs no download).
   */
  runtime: OrtRuntime | PromiseLike<OrtRuntime>;
  model: ModelProvider;
  codec: ImageCodec<Input, Data>;
  /** Session settings (threads, execution providers) for the loaded model, asked for when the session is created. */
  sessionSettings?: (model: EngineModel) => SessionSettings | Promise<SessionSettings>;
}

export interface CutoutResult<Data extends Uint8Array = Uint8Array> {
  /** The encoded output in the requested format. */
  data: Data;
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
  source: SourceInfo;
  warnings: string[];
}

export const MIME_TYPES: Record<ConcreteFormat, string> = {
  png: "image/png",
  webp: "image/webp",
  jpg: "image/jpeg",
  bmp: "image/bmp",
  zip: "application/zip",
};

/**
 * An image with nothing to cut out (a plain wall, an all-white shot, an input
 * already fully transparent) is a result, not an error: the matte is empty,
 * `foreground` is null, and this warning says so.
 */
export const NO_FOREGROUND = "No foreground found: the matte is empty (foreground is null)";

/** Checks an engine selection at the door; `spell` names options as the caller's user typed them (the CLI's flags). */
export function checkEngineSelection(selection: EngineSelection, spell: Spelling = (name) => name): void {
  const choice = selection.engine ?? "local";
  if (!["local", "remote", "auto"].includes(choice)) throw invalidOption(spell("engine"), "one of local, remote, auto", choice);
  if (choice === "remote" && !selection.remote?.apiKey) {
    throw new CutoutError("validation_error", "engine 'remote' needs remote.apiKey (the provider's API key)", { field: "apiKey" });
  }
  // A provider that cannot be reached as configured (unknown, no url) is a mistake to report now, not at the first fallback.
  if (choice !== "local" && selection.remote?.apiKey) remoteTarget(selection.remote);
}

/**
 * One loaded model, reused for every image. Creating a session costs about a
 * second and hundreds of MB, so callers keep one engine for a whole batch.
 */
export class CutoutEngine<Input, Data extends Uint8Array = Uint8Array> {
  private session: Promise<MatteSession> | undefined;
  private model: EngineModel | undefined;
  /** Whether the session exists: until then, a photo's decode shares the cores with the model's load. */
  private loaded = false;
  /** Inference runs one at a time: two runs would only fight over the same cores. */
  private queue: Promise<unknown> = Promise.resolve();
  /** The pipeline's working buffers, reused by every image (the pipeline runs one image at a time). */
  private readonly scratch = new Scratch();
  /** RGBA results, lent until their image is encoded: two images may be in flight; up to two 25 MP results are kept. */
  private readonly rgbaPool = new BufferPool(2, 2 * 25_000_000 * 4);

  constructor(
    private readonly host: EngineHost<Input, Data>,
    private readonly selection: EngineSelection = {},
  ) {
    checkEngineSelection(selection);
  }

  /** Loads the model now rather than on the first image (to show download progress up front, say). */
  load(): Promise<MatteSession> {
    this.session ??= (async () => {
      const runtime = await this.host.runtime;
      const model = await this.host.model.load();
      this.model = model;
      const session = await createSession(runtime, model.bytes, model.description, await this.host.sessionSettings?.(model));
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
  async remove(input: Input, options: RemoveOptions | ParsedOptions = {}): Promise<CutoutResult<Data>> {
    const { codec } = this.host;
    const resolved = resolveOptions(options);
    const t0 = now();
    const bytes = await codec.read(input, resolved);
    const t1 = now();
    const local = (this.selection.engine ?? "local") !== "remote";
    // A first image loads the model while its pixels decode, but only once its header has passed the
    // limits: a refused input never triggers a download.
    let loading: Promise<MatteSession> | undefined;
    const onAccepted = () => {
      if (!local) return;
      loading = this.load();
      loading.catch(() => undefined); // awaited (and reported) in cutout()
    };
    // Only the model can start on a preview; the remote engine needs the photo itself.
    const cover = local ? this.host.model.side : Number.POSITIVE_INFINITY;
    const decoded = await codec.decode(bytes, resolved.maxPixels, { cover, onAccepted, fullAfterPreview: !this.loaded });
    const t2 = now();
    const { cut, photo, engine, modelLoad, warnings, pooled, creditsCharged } = await this.cutout(bytes, decoded.photo, loading);
    const t3 = now();
    try {
      const loadImage = (source: Uint8Array | string) => this.loadBackground(source, resolved);
      const rendered = await renderCutout(photo, cut, resolved.canonical, { resize: codec.resize, loadImage }, resolved.maxPngPixels);
      const t4 = now();
      const data = await codec.encode(rendered);
      const t5 = now();
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
        model: engine === "remote" ? `remote:${this.selection.remote?.provider ?? "removebg"}` : (this.model?.name ?? "unknown"),
        ...(creditsCharged === undefined ? {} : { creditsCharged }),
        source: decoded.source,
        warnings: [...(this.model?.warnings ?? []), ...decoded.warnings, ...warnings, ...(rendered.foreground ? [] : [NO_FOREGROUND])],
      };
    } finally {
      // Encoded (or failed): the RGBA buffer is free for the next image.
      if (pooled) this.rgbaPool.give(cut.rgba);
    }
  }

  /** The subject cut out by the chosen engine, falling back from local to remote under `auto`. */
  private async cutout(bytes: Uint8Array, decoded: PixelImage | PendingPhoto, loading: Promise<MatteSession> | undefined) {
    const choice = this.selection.engine ?? "local";
    const remote = this.selection.remote;
    const viaRemote = async (warnings: string[]) => ({
      ...(await remoteCutout(bytes, await fullPixels(decoded), remote as RemoteSettings, this.host.codec)),
      engine: "remote" as const,
      modelLoad: 0,
      warnings,
      pooled: false,
    });
    if (choice === "remote") return viaRemote([]);
    try {
      const session = loading ?? this.load();
      const options = {
        // A first image's model input is built while the model loads.
        input: this.host.model.announced(),
        scratch: this.scratch,
        rgbaBuffer: (length: number) => this.rgbaPool.take(length),
      };
      const cut = await this.exclusive(() => cutoutPixels(decoded, session, this.host.codec.resize, options));
      const photo = await fullPixels(decoded);
      const local = { engine: "local" as const, modelLoad: cut.timings.modelWait, warnings: [] as string[], pooled: true };
      return { cut, photo, ...local, creditsCharged: undefined as number | undefined };
    } catch (error) {
      const localCannotRun = isCutoutError(error) && (error.code === "model_unavailable" || error.code === "inference_failed");
      if (choice !== "auto" || !remote?.apiKey || !localCannotRun) throw error;
      return viaRemote([`Local inference could not run (${error.code}); used the remote engine instead`]);
    }
  }

  /** Background images are untrusted input too: same byte, pixel and time limits as the photo. */
  private async loadBackground(source: Uint8Array | string, limits: ResolvedOptions): Promise<PixelImage> {
    const bytes = await this.host.codec.read(source, limits);
    return (await this.host.codec.decode(bytes, limits.maxPixels)).photo as PixelImage;
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

function now(): number {
  return globalThis.performance.now();
}
