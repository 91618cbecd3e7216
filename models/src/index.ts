export { modelCachePath, sha256Hex } from "./cache";
export { type CacheDirOptions, defaultCacheDir } from "./cache-dir";
export { isModelError, ModelError, type ModelErrorCode } from "./errors";
export { type LoadedModel, type LoadModelOptions, type LoadProgress, loadModel, type ModelProgress } from "./loader";
export {
  DEFAULT_MODEL,
  getModelSpec,
  isModelName,
  listModels,
  type ModelName,
  type ModelSpec,
  type NpmChunksSource,
} from "./manifest";
export { type HashedFile, readHashed } from "./read-hashed";
export { DEFAULT_REGISTRY, type RegistryConfig, type RegistryConfigOptions, redactUrl, resolveRegistryConfig } from "./registry-config";
