export { type DecodedImage, decodeImage } from "./node/decode.js";
export { encodeRendered, MIME_TYPES } from "./node/encode.js";
export type { ImageInput } from "./node/read-input.js";
export {
  type CutoutResult,
  type EngineChoice,
  type EngineOptions,
  QUALITY_INPUT_SIDE,
  type Quality,
  Remover,
  removeBackground,
} from "./node/remover.js";
export { writeFileAtomic } from "./node/write-atomic.js";
export * from "./pure.js";
