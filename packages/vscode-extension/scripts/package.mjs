// Builds a platform-specific .vsix: the extension's bundles (dist/extension.js,
// dist/engine.js), its webview media, and dist/node_modules with the native
// modules the bundles leave external, for one target only
// (scripts/native-modules.mjs: sharp with that platform's libvips,
// onnxruntime-node's CPU runtime for it, no CUDA or TensorRT files). Node
// finds them from dist/ by its usual lookup. vsce packages a staging folder
// with dependency detection off, so pnpm's linked node_modules never reach it
// and nothing but the copied files is shipped.
//
//   node packages/vscode-extension/scripts/package.mjs                     -> dist/cutout-<version>-linux-x64.vsix
//   (`pnpm pack:all` writes it to artifacts/; `--vsix-targets all` there builds every target)
//   node packages/vscode-extension/scripts/package.mjs --target darwin-arm64 [--out file.vsix]
//
// Targets: linux-x64, linux-arm64, darwin-arm64, win32-x64, win32-arm64 (what
// onnxruntime-node ships binaries for). sharp's binaries for a target other
// than this machine come from the npm registry.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { copyNativeModules } from "../../../scripts/native-modules.mjs";
import { ROOT, SUITE } from "../../../scripts/suite.mjs";
import { extensionBundle } from "../build.config.mjs";

const EXTENSION = fileURLToPath(new URL("..", import.meta.url));
export const TARGETS = ["linux-x64", "linux-arm64", "darwin-arm64", "win32-x64", "win32-arm64"];

/** Only what VS Code loads: the bundles, media, the README's screenshots and the native modules' run-time files (kept: dist/node_modules). */
const VSCODEIGNORE = ["**/*.map", "**/*.ts", "dist/node_modules/**/README*", "dist/node_modules/**/*.md"].join("\n");

export async function packageExtension({ target = "linux-x64", out } = {}) {
  if (!TARGETS.includes(target)) throw new Error(`--target must be one of ${TARGETS.join(", ")}; got '${target}'`);
  const [platform, arch] = target.split("-");
  const manifest = JSON.parse(readFileSync(path.join(EXTENSION, "package.json"), "utf8"));
  const stage = path.join(EXTENSION, "dist", "vsix", target);
  const file = path.resolve(out ?? path.join(EXTENSION, "dist", `cutout-${SUITE.version}-${target}.vsix`));
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });

  // The bundles take @cutout/core as published (its dist/): the workspace build makes it current.
  await import("../../../scripts/build.mjs");
  await build({ ...extensionBundle, outdir: path.join(stage, "dist"), sourcemap: false });
  cpSync(path.join(EXTENSION, "media"), path.join(stage, "media"), { recursive: true });
  if (existsSync(path.join(EXTENSION, "docs"))) cpSync(path.join(EXTENSION, "docs"), path.join(stage, "docs"), { recursive: true });
  cpSync(path.join(EXTENSION, "README.md"), path.join(stage, "README.md"));
  const versions = copyNativeModules(path.join(stage, "dist", "node_modules"), { platform, arch });

  // The Marketplace's package name: no npm scope; the workspace's dependencies are bundled or copied above.
  // The version and repository are the suite's (the root package.json's).
  const { dependencies: _d, devDependencies: _dd, scripts: _s, private: _p, ...published } = manifest;
  const repository = { type: "git", url: `https://github.com/${SUITE.repository}.git` };
  writeFileSync(
    path.join(stage, "package.json"),
    `${JSON.stringify({ ...published, name: "cutout", version: SUITE.version, repository }, null, 2)}\n`,
  );
  writeFileSync(path.join(stage, ".vscodeignore"), `${VSCODEIGNORE}\n`);
  writeFileSync(path.join(stage, "LICENSE"), readFileSync(path.join(ROOT, "LICENSE")));

  const vsce = createRequire(path.join(EXTENSION, "package.json")).resolve("@vscode/vsce/vsce");
  const args = ["package", "--target", target, "--no-dependencies", "--no-rewrite-relative-links", "--out", file];
  const result = spawnSync(process.execPath, [vsce, ...args], { cwd: stage, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`vsce ${args.join(" ")} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return { file, bytes: statSync(file).size, versions, stage };
}

if (process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))) {
  const flag = (name) => {
    const at = process.argv.indexOf(name);
    return at > 0 ? process.argv[at + 1] : undefined;
  };
  const result = await packageExtension({ target: flag("--target"), out: flag("--out") });
  process.stdout.write(`packaged ${result.file} (${(result.bytes / 1e6).toFixed(1)} MB)\n`);
  for (const [name, version] of Object.entries(result.versions)) process.stdout.write(`  ${name}@${version}\n`);
}
