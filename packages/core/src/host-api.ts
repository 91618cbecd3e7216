/**
 * The host API with no Node built-ins: the engine and the interfaces a host
 * fills in, options, errors and result types. `@cutout/core` (Node) and
 * `@cutout/core/browser` add their adapters to it; building blocks are in
 * `@cutout/core/blocks`.
 */
export {
  CutoutEngine,
  type CutoutResult as EngineResult,
  checkEngineSelection,
  type EngineChoice,
  type EngineHost,
  type EngineSelection,
  MIME_TYPES,
  type ModelProvider,
  NO_FOREGROUND,
} from "./engine.js";
export { CutoutError, type ErrorCode, isCutoutError } from "./errors.js";
export type { DecodedImage, DecodedPhoto, DecodeRequest, ImageCodec, ReadLimits, SourceInfo } from "./host.js";
export type { Box, PixelImage, PixelResizer, Plane } from "./image.js";
export {
  checkModelChoice,
  type EngineModel,
  type ModelSettings,
  modelDescription,
  modelPrecision,
  modelSide,
  type Precision,
  QUALITY_PRESETS,
  type Quality,
} from "./model-choice.js";
export * from "./options/index.js";
export { type InputLimits, type RemoveOptions, type ResolvedOptions, resolveOptions } from "./options.js";
export { IMAGE_EXTENSIONS, isImageFile, isOwnOutput, type OutputKind, outputSuffix } from "./output/file-names.js";
export { REMOTE_PROVIDERS, type RemoteProvider, type RemoteSettings } from "./remote/providers.js";
export { type ConcreteFormat, DEFAULT_MAX_PNG_PIXELS } from "./render.js";
export type { MatteSession, OrtRuntime, SessionSettings } from "./sessions/session.js";
export { loadKernels, releaseKernels } from "./wasm/kernels.js";
