// The Figma plugin's build, run by the workspace build (scripts/build.mjs):
// - dist/code.js: the main thread (Figma's sandbox: one classic script, no DOM);
// - dist/ui.html: the UI, one file with its script inline (Figma loads it into a
//   null-origin iframe that runs only inline script). The engine's worker script
//   (core's browser adapter and onnxruntime-web's WASM build) is bundled first and
//   inlined into it as text; the model and onnxruntime's .wasm file are
//   fetched at run time from the CDN the manifest allows.
import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

const common = {
  bundle: true,
  write: false,
  platform: "browser",
  format: "iife",
  // Workspace packages from their sources (their exports' "source" condition), so no build order matters.
  conditions: ["source"],
  logLevel: "warning",
  // onnxruntime-web reads import.meta.url to find its files; the worker always tells it where they are.
  logOverride: { "empty-import-meta": "silent" },
};

/** The WASM file of the onnxruntime-web the worker bundles, its version and SHA-256 (the worker checks what the CDN serves against it). */
async function onnxruntimeWasm() {
  const file = "ort-wasm-simd-threaded.wasm";
  const dist = path.dirname(createRequire(import.meta.url).resolve("onnxruntime-web/wasm"));
  const bytes = await readFile(path.join(dist, file));
  const { version } = JSON.parse(await readFile(path.join(dist, "../package.json"), "utf8"));
  return { file, version, sha256: createHash("sha256").update(bytes).digest("hex"), bytes: bytes.length };
}

/** Builds dist/code.js and dist/ui.html; returns their sizes in bytes. */
export async function buildFigmaPlugin() {
  const wasm = await onnxruntimeWasm();
  const [main, worker] = await Promise.all([
    // Figma's sandbox runs ES2020 and later.
    build({ ...common, entryPoints: [here("./src/main/code.ts")], target: "es2020" }),
    build({
      ...common,
      entryPoints: [here("./src/ui/engine-worker.ts")],
      target: "es2022",
      minify: true,
      define: { ORT_WASM: JSON.stringify({ file: wasm.file, sha256: wasm.sha256, version: wasm.version }) },
    }),
  ]);
  const ui = await build({
    ...common,
    entryPoints: [here("./src/ui/app.ts")],
    target: "es2022",
    minify: true,
    define: { ENGINE_WORKER_SCRIPT: JSON.stringify(worker.outputFiles[0].text) },
  });
  const template = await readFile(here("./src/ui/ui.html"), "utf8");
  const script = ui.outputFiles[0].text.replaceAll("</script", "<\\/script");
  const html = template.replace("<!-- script -->", () => `<script>${script}</script>`);
  await mkdir(here("./dist"), { recursive: true });
  await Promise.all([writeFile(here("./dist/code.js"), main.outputFiles[0].text), writeFile(here("./dist/ui.html"), html)]);
  return {
    code: Buffer.byteLength(main.outputFiles[0].text),
    ui: Buffer.byteLength(html),
    worker: Buffer.byteLength(worker.outputFiles[0].text),
    wasm: wasm.bytes,
  };
}
