/**
 * `@cutout/core/server`: a local HTTP server that speaks the paid
 * background-removal APIs' protocols (remove.bg / BgCut, rembg.com, fapihub,
 * the minimal Remove Background API, rembg's own server), so existing
 * clients switch by changing one base URL. `cutout serve` runs it.
 */
export { type CutoutServer, createCutoutServer } from "./app.js";
export { loadKeys } from "./keys.js";
export { DEFAULT_BODY_LIMIT, DEFAULT_PORT, type ServerOptions } from "./options.js";
export { IMAGE_ROUTES, type ImageRoute } from "./routes.js";
