/**
 * `@cutout/core/browser`: the engine in a browser. The host imports
 * onnxruntime-web itself and passes it in; everything else (options, errors,
 * the model's download and cache, decoding, effects, encoding) is core's.
 *
 *   import * as ort from "onnxruntime-web";
 *   import { BrowserRemover } from "@cutout/core/browser";
 *   const remover = new BrowserRemover({ ort, cdn: "https://cdn.jsdelivr.net/npm" });
 *   const { data } = await remover.remove(bytes, { format: "png" });
 */
export { type CutoutResult, type EngineChoice, MIME_TYPES, type ModelProvider, NO_FOREGROUND } from "../engine.js";
export { CutoutError, type ErrorCode, isCutoutError } from "../errors.js";
export type { SourceInfo } from "../host.js";
export { type ModelSettings, type Precision, QUALITY_PRESETS, type Quality } from "../model-choice.js";
export * from "../options/index.js";
export { type RemoveOptions, resolveOptions } from "../options.js";
export { type BrowserInput, browserCodec } from "./codec.js";
export { type CdnModelOptions, cacheStorage, cdnModel, DEFAULT_NPM_CDN, type ModelCache, type ModelProgress } from "./model-source.js";
export { encodePngInBrowser } from "./png.js";
export { BrowserRemover, type BrowserRemoverOptions } from "./remover.js";
export { configureWebRuntime, executionProviders, type WasmLocation, type WebRuntime } from "./runtime.js";
