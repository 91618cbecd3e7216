export * from "./pure.js";
export {
  QUALITY_INPUT_SIDE,
  Remover,
  removeBackground,
  type CutoutResult,
  type EngineChoice,
  type EngineOptions,
  type Quality,
} from "./node/remover.js";
export { decodeImage, type DecodedImage } from "./node/decode.js";
export { encodeRendered, MIME_TYPES } from "./node/encode.js";
export type { ImageInput } from "./node/read-input.js";
export { writeFileAtomic } from "./node/write-atomic.js";
