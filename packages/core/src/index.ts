/**
 * `@cutout/core`: the engine in Node (Remover, removeBackground) and the host
 * API every adapter shares. Subpaths: `/browser` (the engine in a browser),
 * `/blocks` (its building blocks), `/node` (Node's building blocks),
 * `/pure` (everything without Node).
 */
export * from "./host-api.js";
export type { ModelChoice } from "./node/engine-model.js";
export type { ImageInput } from "./node/read-input.js";
export { type CutoutResult, checkEngineOptions, type EngineOptions, Remover, removeBackground } from "./node/remover.js";
export { type WriteOptions, writeFileAtomic } from "./node/write-atomic.js";
