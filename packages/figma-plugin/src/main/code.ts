/** The plugin's main thread (manifest "main": dist/code.js). Figma provides `figma` and `__html__` (the UI, dist/ui.html). */
import type { PluginAPI } from "./figma-api.js";
import { startPlugin } from "./plugin.js";

declare const figma: PluginAPI;
declare const __html__: string;

startPlugin(figma, __html__);
