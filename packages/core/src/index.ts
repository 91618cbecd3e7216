export { type DecodedImage, decodeImage } from "./node/decode.js";
export { encodeRendered } from "./node/encode.js";
export type { ModelChoice } from "./node/engine-model.js";
export type { ImageInput } from "./node/read-input.js";
export { type CutoutResult, type EngineOptions, Remover, removeBackground } from "./node/remover.js";
export { writeFileAtomic } from "./node/write-atomic.js";
export * from "./pure.js";
