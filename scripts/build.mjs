// Bundles each package's entry points with esbuild. Native modules (sharp,
// onnxruntime-node) stay external: they load their own .node files.
import { readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { actionBundle } from "../packages/github-action/build.config.mjs";
import { n8nNodeBundle } from "../packages/n8n-node/build.config.mjs";
import { buildKernels } from "./build-kernels.mjs";

const external = ["sharp", "onnxruntime-node", "onnxruntime-common", "onnxruntime-web"];
// The server's framework stays a dependency loaded at run time, as its plugins expect.
const serverExternal = ["fastify", "@fastify/multipart", "@fastify/formbody"];
const common = { bundle: true, platform: "node", format: "esm", target: "node20", sourcemap: true, external, logLevel: "warning" };

const core = "packages/core/dist";

// First: every bundle below imports the kernels' bytes.
await buildKernels();

const [coreBuild, , pureBuild] = await Promise.all([
  build({
    ...common,
    external: [...external, ...serverExternal],
    entryPoints: {
      index: "packages/core/src/index.ts",
      cli: "packages/core/src/cli/main.ts",
      launch: "packages/core/src/cli/launch.ts",
      bench: "packages/core/src/bench/main.ts",
      server: "packages/core/src/server/index.ts",
    },
    outdir: core,
    splitting: true,
    metafile: true,
  }),
  // pnpm eval (bench/, private): bundles the engine's source; imgly's baseline is loaded at run time, never bundled.
  build({
    ...common,
    external: [...external, "@imgly/background-removal-node"],
    entryPoints: { eval: "bench/src/main.ts", "imgly-worker": "bench/src/imgly-worker.ts" },
    outdir: "bench/dist",
  }),
  build({
    ...common,
    platform: "neutral",
    entryPoints: { pure: "packages/core/src/pure.ts" },
    outdir: core,
    metafile: true,
  }),
  // The GitHub Action's bundle (dist/index.js); scripts/package.mjs there adds the native modules.
  build(actionBundle),
]);

// The n8n node bundles core's dist (built just above) into CommonJS.
await build(n8nNodeBundle);

// Split chunks get new hashed names whenever their code changes: drop the ones neither build into it wrote.
const outputs = [coreBuild, pureBuild].flatMap((result) => Object.keys(result.metafile.outputs));
const written = new Set(outputs.map((file) => path.basename(file)));
for (const file of readdirSync(core)) {
  if (/\.js(\.map)?$/.test(file) && !written.has(file)) rmSync(path.join(core, file));
}
