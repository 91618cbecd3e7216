// esbuild options for the action's bundle, shared by the workspace build
// (scripts/build.mjs) and the release packaging (scripts/package.mjs).
// Native modules stay external: dist/node_modules holds them (see package.mjs).
import { fileURLToPath } from "node:url";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

/** @type {import("esbuild").BuildOptions} */
export const actionBundle = {
  // index.js checks the platform, then loads run.js (the action, core and the model loader).
  entryPoints: { index: here("./src/index.ts"), run: here("./src/run.ts") },
  outdir: here("./dist"),
  bundle: true,
  platform: "node",
  format: "esm",
  // The runner starts it with Node 24 (runs.using: node24); node20 keeps it loadable by older Nodes in tests.
  target: "node20",
  sourcemap: true,
  external: ["sharp", "onnxruntime-node", "onnxruntime-common", "onnxruntime-web"],
  // Workspace packages from their sources (their exports' "source" condition).
  conditions: ["source"],
  logLevel: "warning",
};
