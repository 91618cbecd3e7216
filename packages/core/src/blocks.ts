/**
 * `@cutout/core/blocks`: the pieces the engine is made of, for hosts and
 * tools that build something else from them (the quality eval, a custom
 * pipeline). No Node built-ins. Most callers want the engine instead
 * (`@cutout/core`, `@cutout/core/browser`).
 */
export { parseColor, type Rgba } from "./color.js";
export * from "./effects/index.js";
export type { Box, PixelImage, PixelResizer, Plane } from "./image.js";
export { checkPixelLimit, readImageHeader, uprightSize } from "./image-header.js";
export { foregroundBox } from "./matte/bounding-box.js";
export { boxFilter } from "./matte/box-filter.js";
export { applyForeground, estimateForeground } from "./matte/foreground.js";
export { applyGuidedFilter, fitGuidedFilter } from "./matte/guided-filter.js";
export { type Normalization, toInputTensor } from "./matte/preprocess.js";
export { resizePixels, resizePlane } from "./matte/resize.js";
export { atSide, describeModel } from "./model-choice.js";
export { calibratedFor, floatModel, INT8_CALIBRATION, int8Model, QUANTIZER_VERSION, type SourceModel, sizeFree } from "./model-forms.js";
export { encodeBmp } from "./output/bmp.js";
export { encodeWith, type FormatWriters } from "./output/encode.js";
export { flattenOver } from "./output/flatten.js";
export { adler32Combine, filterRowsUp, pngFile } from "./output/png.js";
export { crc32, createZip } from "./output/zip.js";
export { type CutoutPixels, cutoutPixels, guidedRadius, modelInput, type PendingPhoto, refineMatte } from "./pipeline.js";
export { fetchRemoteCutout } from "./remote/client.js";
export { remoteCutout } from "./remote/cutout.js";
export { outputSize, type RenderDeps, type Rendered, renderCutout } from "./render.js";
export { isnetSessionOptions } from "./sessions/isnet.js";
export { createSession, type ModelDescription } from "./sessions/registry.js";
export { loadKernels, releaseKernels } from "./wasm/kernels.js";
