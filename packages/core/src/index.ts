export { type DecodedImage, decodeImage } from "./node/decode.js";
export { encodeRendered, MIME_TYPES } from "./node/encode.js";
export { checkModelChoice, type ModelChoice, type Precision, QUALITY_PRESETS, type Quality } from "./node/engine-model.js";
export type { ImageInput } from "./node/read-input.js";
export {
  type CutoutResult,
  type EngineChoice,
  type EngineOptions,
  Remover,
  removeBackground,
} from "./node/remover.js";
export { type WriteOptions, writeFileAtomic } from "./node/write-atomic.js";
export * from "./pure.js";
