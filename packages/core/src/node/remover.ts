import * as ort from "onnxruntime-node";
import { CutoutError } from "../errors.js";
import type { Box } from "../image.js";
import { type OutputFormat, type RemoveOptions, positiveInteger, resolveOptions } from "../options.js";
import { cutoutPixels } from "../pipeline.js";
import { createSession } from "../sessions/registry.js";
import type { MatteSession, OrtRuntime } from "../sessions/session.js";
import { decodeImage } from "./decode.js";
import { MIME_TYPES, encodeCutout } from "./encode.js";
import { type LoadedModel, type ModelSource, loadModelBytes } from "./load-model.js";
import { type ImageInput, readInput } from "./read-input.js";
import { sharpResize } from "./sharp-resize.js";

export interface EngineOptions extends ModelSource {
  /** onnxruntime intra-op threads; all cores by default. */
  threads?: number;
  /** The onnxruntime flavour; onnxruntime-node unless another is injected. */
  runtime?: OrtRuntime;
}

export interface CutoutResult {
  /** The encoded output in the requested format. */
  data: Buffer;
  format: OutputFormat;
  mimeType: string;
  /** The alpha matte, width x height bytes. */
  alpha: Uint8Array;
  width: number;
  height: number;
  /** The subject's bounding box in output pixels; null when nothing was found. */
  foreground: Box | null;
  /** Milliseconds per stage. */
  timings: { read: number; decode: number; modelLoad: number; preprocess: number; inference: number; postprocess: number; encode: number; total: number };
  engine: "local";
  model: string;
  /** The input as found, before orientation and colour conversion. */
  source: { format: string; width: number; height: number; pages: number; orientation: number; hasAlpha: boolean };
  warnings: string[];
}

/**
 * One loaded model, reused for every image. Creating a session costs about a
 * second and ~300 MB, so batch callers keep one Remover for the whole batch.
 */
export class Remover {
  private session: Promise<MatteSession> | undefined;
  private model: LoadedModel | undefined;
  /** Inference runs one at a time: two runs would only fight over the same cores. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly engine: EngineOptions = {}) {
    if (engine.threads !== undefined) positiveInteger("threads", engine.threads, 1);
  }

  /** Loads the model now rather than on the first image (to show download progress up front, say). */
  load(): Promise<MatteSession> {
    this.session ??= (async () => {
      this.model = await loadModelBytes(this.engine);
      const runtime = this.engine.runtime ?? (ort as unknown as OrtRuntime);
      return createSession(runtime, this.model.bytes, this.model.description, {
        ...(this.engine.threads === undefined ? {} : { threads: this.engine.threads }),
      });
    })();
    // A failed load is not cached, so the next call can retry (after a network blip, say).
    this.session.catch(() => {
      this.session = undefined;
    });
    return this.session;
  }

  async remove(input: ImageInput, options: RemoveOptions = {}): Promise<CutoutResult> {
    const resolved = resolveOptions(options);
    const t0 = performance.now();
    const { bytes } = await readInput(input, resolved);
    const t1 = performance.now();
    const decoded = await decodeImage(bytes, resolved.maxPixels);
    const t2 = performance.now();
    const session = await this.load();
    const t2b = performance.now();
    const cut = await this.exclusive(() => cutoutPixels(decoded.image, session, sharpResize));
    const t3 = performance.now();
    const data = await encodeCutout(cut.rgba, cut.alpha, cut.width, cut.height, resolved);
    const t4 = performance.now();
    return {
      data,
      format: resolved.format,
      mimeType: MIME_TYPES[resolved.format],
      alpha: cut.alpha,
      width: cut.width,
      height: cut.height,
      foreground: cut.foreground,
      timings: { read: t1 - t0, decode: t2 - t1, modelLoad: t2b - t2, ...cut.timings, encode: t4 - t3, total: t4 - t0 },
      engine: "local",
      model: this.model?.name ?? "unknown",
      source: decoded.source,
      warnings: [...(this.model?.warnings ?? []), ...decoded.warnings],
    };
  }

  async close(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    if (session) await (await session).release();
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

const shared = new Map<string, Remover>();

/**
 * Removes the background of one image. Engines are shared per model and
 * thread count, so repeated calls load the model once.
 */
export function removeBackground(input: ImageInput, options: RemoveOptions & EngineOptions = {}): Promise<CutoutResult> {
  const { model, modelPath, cacheDir, threads, runtime, onModelProgress, ...perImage } = options;
  const key = JSON.stringify([model, modelPath, cacheDir, threads]);
  let remover = shared.get(key);
  if (!remover || runtime) {
    remover = new Remover({ model, modelPath, cacheDir, threads, runtime, onModelProgress });
    if (!runtime) shared.set(key, remover);
  }
  return remover.remove(input, perImage);
}

export { CutoutError };
