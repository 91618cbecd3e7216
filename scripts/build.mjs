// Bundles each package's entry points with esbuild. Native modules (sharp,
// onnxruntime-node) stay external: they load their own .node files.
import { build } from "esbuild";

const external = ["sharp", "onnxruntime-node", "onnxruntime-common", "onnxruntime-web"];
const common = { bundle: true, platform: "node", format: "esm", target: "node20", sourcemap: true, external, logLevel: "warning" };

await Promise.all([
  build({
    ...common,
    entryPoints: {
      index: "packages/core/src/index.ts",
      cli: "packages/core/src/cli/main.ts",
      bench: "packages/core/src/bench/main.ts",
    },
    outdir: "packages/core/dist",
    splitting: true,
  }),
  build({
    ...common,
    platform: "neutral",
    entryPoints: { pure: "packages/core/src/pure.ts" },
    outdir: "packages/core/dist",
  }),
]);
