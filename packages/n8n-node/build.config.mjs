// esbuild options for the node's package (dist/), used by the workspace build
// (scripts/build.mjs) after core's own bundles, which this one is built from.
// n8n require()s each node and credential file, so each is one CommonJS file
// with @cutout/core inside. n8n-workflow is n8n's own copy; sharp and
// onnxruntime-node stay external (they load their .node binaries) and are
// required only when a first image is processed, through core's lazy import.
import { copyFile, mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

const CREDENTIALS = ["RemoveBgApi", "BgCutApi", "RembgComApi", "FapihubApi", "CutoutServerApi"];
const ASSETS = ["cutout.svg", "Cutout.node.json"];

/** n8n reads the icon and the codex file beside the node's .js. */
const copyAssets = {
  name: "n8n-node-assets",
  setup(build) {
    build.onEnd(async (result) => {
      if (result.errors.length > 0) return;
      await mkdir(here("./dist/nodes/Cutout"), { recursive: true });
      await Promise.all(ASSETS.map((file) => copyFile(here(`./src/nodes/Cutout/${file}`), here(`./dist/nodes/Cutout/${file}`))));
    });
  },
};

/** @type {import("esbuild").BuildOptions} */
export const n8nNodeBundle = {
  entryPoints: {
    "nodes/Cutout/Cutout.node": here("./src/nodes/Cutout/Cutout.node.ts"),
    ...Object.fromEntries(CREDENTIALS.map((name) => [`credentials/${name}.credentials`, here(`./src/credentials/${name}.credentials.ts`)])),
  },
  outdir: here("./dist"),
  bundle: true,
  platform: "node",
  format: "cjs",
  // n8n 2.x runs on Node 22 or newer; node20 keeps the bundle loadable by the tests' Node too.
  target: "node20",
  sourcemap: true,
  external: ["n8n-workflow", "sharp", "onnxruntime-node", "onnxruntime-common", "onnxruntime-web"],
  plugins: [copyAssets],
  logLevel: "warning",
};
