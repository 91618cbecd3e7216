/**
 * `@cutout/core/pure`: everything that runs unchanged in a browser or a
 * worker, the engine and its building blocks together: no Node built-ins,
 * no native modules. A browser host awaits `loadKernels()` once before its
 * first cutout (its main thread may not compile them synchronously), or uses
 * `@cutout/core/browser`, which does.
 */
export * from "./blocks.js";
export * from "./host-api.js";
