// Bundles each package's entry points with esbuild, and writes core's type
// declarations (dist/types) with tsc. Native modules (sharp, onnxruntime-node)
// stay external: they load their own .node files; onnxruntime-web is the
// browser host's to bundle. Workspace sources are resolved through the
// "source" export condition, so nothing needs building in a particular order.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { buildFigmaPlugin } from "../packages/figma-plugin/build.config.mjs";
import { actionBundle } from "../packages/github-action/build.config.mjs";
import { n8nNodeBundle } from "../packages/n8n-node/build.config.mjs";
import { extensionBundle } from "../packages/vscode-extension/build.config.mjs";
import { buildKernels } from "./build-kernels.mjs";
import { SUITE } from "./suite.mjs";

const external = ["sharp", "onnxruntime-node", "onnxruntime-common", "onnxruntime-web"];
// The server's framework stays a dependency loaded at run time, as its plugins expect; so do the
// CLI's glob library and the rest of core's npm dependencies (their licences come with them).
const coreExternal = ["fastify", "@fastify/multipart", "@fastify/formbody", "tinyglobby"];
const common = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  external,
  conditions: ["source"],
  logLevel: "warning",
};

const root = fileURLToPath(new URL("..", import.meta.url));
const core = "packages/core/dist";

// First: every bundle below imports the kernels' bytes.
await buildKernels();

const [nodeBuild, , pureBuild] = await Promise.all([
  build({
    ...common,
    external: [...external, ...coreExternal],
    // `cutout --version`: the suite's one version (the root package.json's).
    define: { CUTOUT_VERSION: JSON.stringify(SUITE.version) },
    entryPoints: {
      index: "packages/core/src/index.ts",
      cli: "packages/core/src/cli/main.ts",
      node: "packages/core/src/node/index.ts",
      server: "packages/core/src/server/index.ts",
    },
    outdir: core,
    splitting: true,
    metafile: true,
  }),
  // pnpm eval and pnpm bench (bench/, private): bundle the engine's source; imgly's baseline is loaded at run time, never bundled.
  build({
    ...common,
    external: [...external, "@imgly/background-removal-node", "playwright-core", "esbuild"],
    entryPoints: { eval: "bench/src/main.ts", "imgly-worker": "bench/src/imgly-worker.ts", bench: "bench/src/speed/main.ts" },
    outdir: "bench/dist",
    splitting: true,
  }),
  // No Node built-ins: the browser adapter, and the portable engine and blocks (a worker's, say).
  build({
    ...common,
    platform: "browser",
    target: "es2022",
    entryPoints: {
      browser: "packages/core/src/browser/index.ts",
      blocks: "packages/core/src/blocks.ts",
      pure: "packages/core/src/pure.ts",
    },
    outdir: core,
    splitting: true,
    metafile: true,
  }),
  // The GitHub Action's bundle (dist/index.js); scripts/package.mjs there adds the native modules.
  build(actionBundle),
  // The Figma plugin: dist/code.js and dist/ui.html (see its build.config.mjs).
  buildFigmaPlugin(),
  declarations(),
]);

// Split chunks get new hashed names whenever their code changes: drop the ones neither build into it wrote.
const outputs = [nodeBuild, pureBuild].flatMap((result) => Object.keys(result.metafile.outputs));
const written = new Set(outputs.map((file) => path.basename(file)));
for (const file of readdirSync(core)) {
  if (/\.js(\.map)?$/.test(file) && !written.has(file)) rmSync(path.join(core, file));
}

// The n8n node and the VS Code extension (CommonJS) bundle @cutout/core as published (its dist/, built just
// above); scripts/package.mjs in the extension builds the .vsix.
await Promise.all([build(n8nNodeBundle), build(extensionBundle)]);

/**
 * dist/types: the .d.ts files the package's `types` point at. The model loader
 * (@cutout/models), bundled into core's JavaScript, gets its declarations
 * beside core's, in dist/types/models, and core's imports of it become
 * relative paths: the published types need no package that is not published.
 */
async function declarations() {
  const types = path.join(root, core, "types");
  rmSync(types, { recursive: true, force: true });
  await Promise.all([tsc("packages/core/tsconfig.build.json"), tsc("packages/core/tsconfig.models.json")]);
  const models = path.join(types, "models");
  for (const entry of readdirSync(types, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath, entry.name);
    if (!entry.name.endsWith(".d.ts") || file.startsWith(`${models}${path.sep}`)) continue;
    const text = readFileSync(file, "utf8");
    const relative = text.replace(/(["'])@cutout\/models(\/pure)?\1/g, (_, quote, pure) => {
      const target = path
        .relative(entry.parentPath, path.join(models, pure ? "pure.js" : "index.js"))
        .split(path.sep)
        .join("/");
      return `${quote}${target.startsWith(".") ? target : `./${target}`}${quote}`;
    });
    if (relative !== text) writeFileSync(file, relative);
  }
}

function tsc(project) {
  const bin = path.join(root, "node_modules", "typescript", "bin", "tsc");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, "-p", project], { cwd: root, stdio: "inherit" });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`tsc -p ${project} exited with ${code}`))));
  });
}
