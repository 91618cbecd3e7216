// esbuild options for the extension's bundle (dist/extension.js, and the
// engine process dist/engine.js), shared by the workspace build
// (scripts/build.mjs) and the .vsix packaging (scripts/package.mjs). VS Code
// loads extensions as CommonJS. `vscode` is the host's own module; the native
// modules stay external and ship in the .vsix's node_modules.
import { fileURLToPath } from "node:url";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

/** @type {import("esbuild").BuildOptions} */
export const extensionBundle = {
  entryPoints: { extension: here("./src/extension.ts"), engine: here("./src/engine/process.ts") },
  outdir: here("./dist"),
  bundle: true,
  platform: "node",
  format: "cjs",
  // code-server 4.139 and VS Code run extensions on Node 20 or newer.
  target: "node20",
  sourcemap: true,
  external: ["vscode", "onnxruntime-node", "sharp"],
  logLevel: "warning",
};
