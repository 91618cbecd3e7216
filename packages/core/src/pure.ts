/**
 * Everything that runs unchanged in a browser (the Figma UI): no Node
 * built-ins, no native modules. Hosts add decoding, resizing and encoding.
 * The refinement's kernels are WebAssembly: a browser host awaits
 * `loadKernels()` once before its first cutout (its main thread may not
 * compile them synchronously).
 */

export { parseColor, type Rgba } from "./color.js";
export * from "./effects/index.js";
export { CutoutError, type ErrorCode, isCutoutError } from "./errors.js";
export type { Box, PixelImage, PixelResizer, Plane } from "./image.js";
export { foregroundBox } from "./matte/bounding-box.js";
export { boxFilter } from "./matte/box-filter.js";
export { applyForeground, estimateForeground } from "./matte/foreground.js";
export { applyGuidedFilter, fitGuidedFilter } from "./matte/guided-filter.js";
export { type Normalization, toInputTensor } from "./matte/preprocess.js";
export { resizePixels, resizePlane } from "./matte/resize.js";
export * from "./options/index.js";
export { type InputLimits, type RemoveOptions, type ResolvedOptions, resolveOptions } from "./options.js";
export { encodeBmp } from "./output/bmp.js";
export { IMAGE_EXTENSIONS, isImageFile, isOwnOutput, type OutputKind, outputSuffix } from "./output/file-names.js";
export { flattenOver } from "./output/flatten.js";
export { crc32, createZip } from "./output/zip.js";
export { type CutoutPixels, cutoutPixels, guidedRadius, refineMatte } from "./pipeline.js";
export { fetchRemoteAccount, fetchRemoteCutout, type RemoteCutout, requestRemoteCutout } from "./remote/client.js";
export { REMOTE_PROVIDERS, type RemoteAccount, type RemoteProvider, type RemoteSettings } from "./remote/providers.js";
export { type ConcreteFormat, DEFAULT_MAX_PNG_PIXELS, outputSize, type RenderDeps, type Rendered, renderCutout } from "./render.js";
export { createSession, type ModelDescription } from "./sessions/registry.js";
export type { MatteSession, OrtRuntime, SessionSettings } from "./sessions/session.js";
export { loadKernels, releaseKernels } from "./wasm/kernels.js";
