/** The plugin's main thread (manifest "main": dist/code.js). Figma provides `figma`, `__html__` (the UI, dist/ui.html) and `fetch`. */
import type { FigmaFetch, PluginAPI } from "./figma-api.js";
import { startPlugin } from "./plugin.js";

declare const figma: PluginAPI;
declare const __html__: string;
declare const fetch: FigmaFetch;

startPlugin(figma, __html__, fetch);
