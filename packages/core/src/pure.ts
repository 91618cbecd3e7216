/**
 * Everything that runs unchanged in a browser (the Figma UI): no Node
 * built-ins, no native modules. Hosts add decoding, resizing and encoding.
 */
export { CutoutError, isCutoutError, type ErrorCode } from "./errors.js";
export { parseColor, type Rgba } from "./color.js";
export { resolveOptions, type InputLimits, type RemoveOptions, type ResolvedOptions } from "./options.js";
export * from "./options/index.js";
export { renderCutout, outputSize, DEFAULT_MAX_PNG_PIXELS, type ConcreteFormat, type Rendered, type RenderDeps } from "./render.js";
export * from "./effects/index.js";
export { encodeBmp } from "./output/bmp.js";
export type { Box, PixelImage, PixelResizer, Plane } from "./image.js";
export { cutoutPixels, guidedRadius, refineMatte, type CutoutPixels } from "./pipeline.js";
export { resizePixels, resizePlane } from "./matte/resize.js";
export { boxFilter } from "./matte/box-filter.js";
export { fitGuidedFilter, applyGuidedFilter } from "./matte/guided-filter.js";
export { estimateForeground, applyForeground } from "./matte/foreground.js";
export { foregroundBox } from "./matte/bounding-box.js";
export { toInputTensor, type Normalization } from "./matte/preprocess.js";
export { flattenOver } from "./output/flatten.js";
export { createZip, crc32 } from "./output/zip.js";
export { createSession, type ModelDescription } from "./sessions/registry.js";
export type { MatteSession, OrtRuntime, SessionSettings } from "./sessions/session.js";
export { fetchRemoteCutout } from "./remote/client.js";
export { REMOTE_PROVIDERS, type RemoteProvider, type RemoteSettings } from "./remote/providers.js";
export { IMAGE_EXTENSIONS, isImageFile, isOwnOutput, outputSuffix, type OutputKind } from "./output/file-names.js";
