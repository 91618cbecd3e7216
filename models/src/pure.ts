/** The manifest and the chunk index, without Node built-ins: what a browser host needs to fetch and check a model. */
export { type Chunk, parseChunkIndex } from "./chunk-index.js";
export { isModelError, ModelError, type ModelErrorCode } from "./errors.js";
export { DEFAULT_MODEL, getModelSpec, isModelName, listModels, type ModelName, type ModelSpec, type NpmChunksSource } from "./manifest.js";
