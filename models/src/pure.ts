/** The manifest and the chunk index, without Node built-ins: what a browser host needs to fetch and check a model. */
export { type Chunk, parseChunkIndex } from "./chunk-index";
export { isModelError, ModelError, type ModelErrorCode } from "./errors";
export { DEFAULT_MODEL, getModelSpec, isModelName, listModels, type ModelName, type ModelSpec, type NpmChunksSource } from "./manifest";
