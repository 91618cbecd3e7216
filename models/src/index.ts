export { modelCachePath, sha256Hex } from "./cache.js";
export { type CacheDirOptions, defaultCacheDir } from "./cache-dir.js";
export { isModelError, ModelError, type ModelErrorCode } from "./errors.js";
export { type LoadedModel, type LoadModelOptions, type LoadProgress, loadModel, type ModelProgress } from "./loader.js";
export {
  DEFAULT_MODEL,
  getModelSpec,
  isModelName,
  listModels,
  type ModelName,
  type ModelSpec,
  type NpmChunksSource,
} from "./manifest.js";
export { type HashedFile, readHashed } from "./read-hashed.js";
export { DEFAULT_REGISTRY, type RegistryConfig, type RegistryConfigOptions, redactUrl, resolveRegistryConfig } from "./registry-config.js";
