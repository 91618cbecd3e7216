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
// workspace's install (the lockfile's exact versions), so packaging needs no
// network.
//
//   node packages/github-action/scripts/package.mjs            -> packages/github-action/dist
//   node packages/github-action/scripts/package.mjs --release DIR
//        -> DIR/{action.yml, README.md, dist/}: the tree of a release tag (see README).
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { buildKernels } from "../../../scripts/build-kernels.mjs";
import { actionBundle } from "../build.config.mjs";

const ACTION = fileURLToPath(new URL("..", import.meta.url));
const CORE = path.join(ACTION, "..", "core");
const DIST = path.join(ACTION, "dist");
const PLATFORM = "linux";
const ARCH = "x64";

/** Files no runtime reads: sources, headers, types, maps, docs. LICENSE files stay. */
const DROP = [/\.d\.ts$/, /\.d\.mts$/, /\.d\.cts$/, /\.map$/, /\.h$/, /\.ts$/, /^\.npmignore$/, /^CHANGELOG/i];

/** onnxruntime-node's binding and the CPU runtime library it links. */
const CPU_RUNTIME = /^(onnxruntime_binding\.node|libonnxruntime\.so(\.\d+)*)$/;

/**
 * What to copy, by package: folders inside it to keep (all when absent) and
 * folders to skip. Only packages needed at run time are listed: onnxruntime-node's
 * other dependencies (adm-zip, global-agent) serve only its install script.
 */
const PACKAGES = [
  { name: "sharp", from: CORE, keep: ["lib", "package.json", "LICENSE"] },
  { name: "@img/colour", from: "sharp" },
  { name: "detect-libc", from: "sharp" },
  {
    name: "semver",
    from: "sharp",
    keep: ["functions", "classes", "internal", "ranges", "index.js", "preload.js", "package.json", "LICENSE"],
  },
  { name: `@img/sharp-${PLATFORM}-${ARCH}`, from: "sharp" },
  { name: `@img/sharp-libvips-${PLATFORM}-${ARCH}`, from: "sharp", skip: ["lib/glib-2.0"] },
  { name: "onnxruntime-node", from: CORE, keep: ["dist", "bin", "package.json", "LICENSE"], binaries: true },
  { name: "onnxruntime-common", from: "onnxruntime-node", keep: ["dist", "package.json", "LICENSE"] },
];

/** Where Node would find package `name` from `fromDir` (by folder lookup: some packages do not export package.json). */
function packageDir(name, fromDir) {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", ...name.split("/"));
    if (existsSync(path.join(candidate, "package.json"))) return realpathSync(candidate);
    if (path.dirname(dir) === dir) throw new Error(`cannot find ${name} from ${fromDir}: run pnpm install`);
  }
}

function dirSize(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return total;
}

/** Copies one package, keeping only run-time files; onnxruntime-node keeps only this platform's binaries. */
function copyPackage(spec, source, target) {
  const keep = spec.keep ?? readdirSync(source);
  for (const top of keep) {
    const from = path.join(source, top);
    if (!existsSync(from)) continue;
    if (spec.binaries && top === "bin") {
      // bin/napi-v6/<platform>/<arch>/...: one napi folder per ABI version, each with every OS.
      // Only the CPU runtime: where onnxruntime-node's install script ran, this folder also holds
      // the CUDA / TensorRT providers it downloads (hundreds of MB), which the action never loads.
      for (const napi of readdirSync(from)) {
        const own = path.join(from, napi, PLATFORM, ARCH);
        if (!existsSync(own)) continue;
        const into = path.join(target, "bin", napi, PLATFORM, ARCH);
        mkdirSync(into, { recursive: true });
        for (const file of readdirSync(own)) if (CPU_RUNTIME.test(file)) copyFileSync(path.join(own, file), path.join(into, file));
      }
      continue;
    }
    cpSync(from, path.join(target, top), {
      recursive: true,
      filter: (file) => {
        const rel = path.relative(source, file).split(path.sep).join("/");
        if ((spec.skip ?? []).some((s) => rel === s || rel.startsWith(`${s}/`))) return false;
        return statSync(file).isDirectory() || !DROP.some((re) => re.test(path.basename(file)));
      },
    });
  }
}

export async function packageAction(dist = DIST) {
  rmSync(dist, { recursive: true, force: true });
  // The bundle imports the refinement kernels' bytes, which the build generates.
  await buildKernels();
  await build({ ...actionBundle, outdir: dist, sourcemap: false });
  // The bundle is an ES module; this marks it so wherever dist/ goes (a release tree has no other package.json).
  writeFileSync(path.join(dist, "package.json"), `${JSON.stringify({ type: "module", private: true }, null, 2)}\n`);
  const dirs = new Map();
  const versions = {};
  for (const spec of PACKAGES) {
    const from = spec.from === CORE ? CORE : dirs.get(spec.from);
    const source = packageDir(spec.name, from);
    dirs.set(spec.name, source);
    const target = path.join(dist, "node_modules", ...spec.name.split("/"));
    mkdirSync(target, { recursive: true });
    copyPackage(spec, source, target);
    versions[spec.name] = JSON.parse(readFileSync(path.join(source, "package.json"), "utf8")).version;
  }
  return { dist, versions, bytes: dirSize(dist) };
}

async function release(dir) {
  const out = path.resolve(dir);
  mkdirSync(out, { recursive: true });
  const result = await packageAction(path.join(out, "dist"));
  for (const file of ["action.yml", "README.md"]) copyFileSync(path.join(ACTION, file), path.join(out, file));
  return result;
}

if (process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))) {
  const at = process.argv.indexOf("--release");
  const result = at > 0 ? await release(process.argv[at + 1] ?? "release") : await packageAction();
  const mb = (n) => `${(n / 1e6).toFixed(1)} MB`;
  process.stdout.write(`packaged ${result.dist} (${mb(result.bytes)})\n`);
  for (const [name, version] of Object.entries(result.versions)) {
    const dir = path.join(result.dist, "node_modules", ...name.split("/"));
    process.stdout.write(`  ${name}@${version}  ${mb(dirSize(dir))}\n`);
  }
}
