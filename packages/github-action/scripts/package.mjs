// Builds the action as the runner will load it: dist/index.js (one esbuild
// bundle of the action, core and the model loader) and, beside it,
// dist/node_modules with the native modules the bundle leaves external, pruned
// to what `ubuntu-latest` (linux-x64, glibc) runs:
//
//   sharp + @img/sharp-linux-x64 + @img/sharp-libvips-linux-x64 (+ sharp's three small JS deps)
//   onnxruntime-node with bin/napi-v*/linux/x64 only (CPU provider; no CUDA/TensorRT, no other OS)
//   onnxruntime-common
//
// Node resolves `import "sharp"` from dist/index.js to dist/node_modules/sharp,
// so no install step runs on the runner. The files are copied from this
// workspace's install (the lockfile's exact versions) by
// scripts/native-modules.mjs, so packaging needs no network.
//
//   node packages/github-action/scripts/package.mjs            -> packages/github-action/dist
//   node packages/github-action/scripts/package.mjs --release DIR
//        -> DIR/{action.yml, README.md, LICENSE, dist/}: the tree of a release tag
//           (`pnpm pack:all` writes it to artifacts/github-action; see README).
import { copyFileSync, mkdirSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { buildKernels } from "../../../scripts/build-kernels.mjs";
import { copyNativeModules, dirSize } from "../../../scripts/native-modules.mjs";
import { actionBundle } from "../build.config.mjs";

const ACTION = fileURLToPath(new URL("..", import.meta.url));
const DIST = path.join(ACTION, "dist");

export async function packageAction(dist = DIST) {
  rmSync(dist, { recursive: true, force: true });
  // The bundle imports the refinement kernels' bytes, which the build generates.
  await buildKernels();
  await build({ ...actionBundle, outdir: dist, sourcemap: false });
  // The bundle is an ES module; this marks it so wherever dist/ goes (a release tree has no other package.json).
  writeFileSync(path.join(dist, "package.json"), `${JSON.stringify({ type: "module", private: true }, null, 2)}\n`);
  const versions = copyNativeModules(path.join(dist, "node_modules"), { platform: "linux", arch: "x64" });
  return { dist, versions, bytes: dirSize(dist) };
}

/** The tree of a release tag, in `dir`: action.yml, README.md, LICENSE and dist/. */
export async function packageRelease(dir) {
  const out = path.resolve(dir);
  mkdirSync(out, { recursive: true });
  const result = await packageAction(path.join(out, "dist"));
  for (const file of ["action.yml", "README.md"]) copyFileSync(path.join(ACTION, file), path.join(out, file));
  copyFileSync(path.join(ACTION, "..", "..", "LICENSE"), path.join(out, "LICENSE"));
  return result;
}

if (process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))) {
  const at = process.argv.indexOf("--release");
  const result = at > 0 ? await packageRelease(process.argv[at + 1] ?? "release") : await packageAction();
  const mb = (n) => `${(n / 1e6).toFixed(1)} MB`;
  process.stdout.write(`packaged ${result.dist} (${mb(result.bytes)})\n`);
  for (const [name, version] of Object.entries(result.versions)) {
    const dir = path.join(result.dist, "node_modules", ...name.split("/"));
    process.stdout.write(`  ${name}@${version}  ${mb(dirSize(dir))}\n`);
  }
}
