// The native modules a Node host ships beside its bundle (the bundle leaves
// them external): sharp with its platform binaries, onnxruntime-node with only
// the CPU runtime of one platform, and their few run-time dependencies. Used
// by the GitHub Action's packaging and the VS Code extension's .vsix.
//
// Files come from this workspace's install (the lockfile's exact versions).
// sharp's binaries for another platform than this one are not installed here:
// they are fetched from the npm registry with `npm pack` (the versions sharp's
// own package.json pins), so a .vsix for every target builds on one machine.
import { execFileSync } from "node:child_process";
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const CORE = fileURLToPath(new URL("../packages/core", import.meta.url));

/** Files no runtime reads: sources, headers, types, maps, docs. LICENSE files stay. */
const DROP = [/\.d\.ts$/, /\.d\.mts$/, /\.d\.cts$/, /\.map$/, /\.h$/, /\.ts$/, /^\.npmignore$/, /^CHANGELOG/i];

/**
 * onnxruntime-node's files for one platform: the binding and the CPU runtime
 * it links (on Windows also DirectML, which that runtime links). Where its
 * install script ran, the Linux folder also holds the CUDA and TensorRT
 * providers it downloads (hundreds of MB): never shipped.
 */
const ORT_RUNTIME = {
  linux: /^(onnxruntime_binding\.node|libonnxruntime\.so(\.\d+)*)$/,
  darwin: /^(onnxruntime_binding\.node|libonnxruntime\.1\.dylib)$/,
  win32: /^(onnxruntime_binding\.node|onnxruntime\.dll|DirectML\.dll)$/,
};

/**
 * What to copy, by package: folders inside it to keep (all when absent) and
 * folders to skip. Only packages needed at run time are listed: onnxruntime-node's
 * other dependencies (adm-zip, global-agent) serve only its install script.
 */
function packages(platform, arch) {
  const sharpTarget = `${platform}-${arch}`;
  return [
    { name: "sharp", from: CORE, keep: ["lib", "package.json", "LICENSE"] },
    { name: "@img/colour", from: "sharp" },
    { name: "detect-libc", from: "sharp" },
    {
      name: "semver",
      from: "sharp",
      keep: ["functions", "classes", "internal", "ranges", "index.js", "preload.js", "package.json", "LICENSE"],
    },
    { name: `@img/sharp-${sharpTarget}`, from: "sharp", platformBinary: true },
    // Windows builds carry libvips inside @img/sharp-win32-*.
    ...(platform === "win32"
      ? []
      : [{ name: `@img/sharp-libvips-${sharpTarget}`, from: "sharp", platformBinary: true, skip: ["lib/glib-2.0"] }]),
    { name: "onnxruntime-node", from: CORE, keep: ["dist", "bin", "package.json", "LICENSE"], runtime: ORT_RUNTIME[platform] },
    { name: "onnxruntime-common", from: "onnxruntime-node", keep: ["dist", "package.json", "LICENSE"] },
  ];
}

/** Where Node would find package `name` from `fromDir` (by folder lookup: some packages do not export package.json). */
function packageDir(name, fromDir) {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", ...name.split("/"));
    if (existsSync(path.join(candidate, "package.json"))) return realpathSync(candidate);
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** A platform package of sharp that this machine did not install: the exact version sharp pins, from the npm registry. */
function fetchPackage(name, version, scratch) {
  const into = mkdtempSync(path.join(scratch, "pack-"));
  const tarball = execFileSync("npm", ["pack", `${name}@${version}`, "--silent", "--pack-destination", into], { encoding: "utf8" }).trim();
  execFileSync("tar", ["-xzf", path.join(into, tarball.split("\n").pop()), "-C", into]);
  return path.join(into, "package");
}

export function dirSize(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return total;
}

/** Copies one package, keeping only run-time files; onnxruntime-node keeps only this platform's CPU runtime. */
function copyPackage(spec, source, target, platform, arch) {
  const keep = spec.keep ?? readdirSync(source);
  for (const top of keep) {
    const from = path.join(source, top);
    if (!existsSync(from)) continue;
    if (spec.runtime && top === "bin") {
      // bin/napi-v6/<platform>/<arch>/...: one napi folder per ABI version, each with every OS.
      let found = 0;
      for (const napi of readdirSync(from)) {
        const own = path.join(from, napi, platform, arch);
        if (!existsSync(own)) continue;
        const into = path.join(target, "bin", napi, platform, arch);
        mkdirSync(into, { recursive: true });
        for (const file of readdirSync(own)) {
          if (!spec.runtime.test(file)) continue;
          copyFileSync(path.join(own, file), path.join(into, file));
          found++;
        }
      }
      if (found === 0) throw new Error(`onnxruntime-node ships no binaries for ${platform}-${arch}`);
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

/**
 * Copies the native modules for `platform`-`arch` into `nodeModules` (a
 * node_modules folder beside the bundle). Resolves to the versions copied.
 */
export function copyNativeModules(nodeModules, { platform = "linux", arch = "x64" } = {}) {
  if (!ORT_RUNTIME[platform]) throw new Error(`no onnxruntime-node runtime for platform ${platform}`);
  const scratch = mkdtempSync(path.join(os.tmpdir(), "cutout-natives-"));
  try {
    const dirs = new Map();
    const versions = {};
    for (const spec of packages(platform, arch)) {
      const from = spec.from === CORE ? CORE : dirs.get(spec.from);
      let source = packageDir(spec.name, from);
      if (!source && spec.platformBinary) {
        const sharp = JSON.parse(readFileSync(path.join(dirs.get("sharp"), "package.json"), "utf8"));
        const version = sharp.optionalDependencies?.[spec.name];
        if (!version) throw new Error(`sharp has no binary package ${spec.name}`);
        source = fetchPackage(spec.name, version, scratch);
      }
      if (!source) throw new Error(`cannot find ${spec.name} from ${from}: run pnpm install`);
      dirs.set(spec.name, source);
      const target = path.join(nodeModules, ...spec.name.split("/"));
      mkdirSync(target, { recursive: true });
      copyPackage(spec, source, target, platform, arch);
      versions[spec.name] = JSON.parse(readFileSync(path.join(source, "package.json"), "utf8")).version;
    }
    return versions;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
