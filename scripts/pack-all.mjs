// `pnpm pack:all`: every artifact of a release, built from this checkout into
// one folder (artifacts/, git-ignored), as the release workflow ships them:
//
//   cutout-core-<v>.tgz, n8n-nodes-cutout-<v>.tgz   npm packages (`npm publish <file>`)
//   github-action/                                  the Action's release tree (action.yml, README.md, LICENSE, dist/)
//   cutout-<v>-linux-x64.vsix                       the VS Code extension, one per platform
//   figma-plugin/, cutout-figma-plugin-<v>.zip      the Figma plugin (manifest.json, dist/code.js, dist/ui.html)
//   SHA256SUMS, RELEASE_NOTES.md                    checksums of the files above, and CHANGELOG.md's section for <v>
//
//   node scripts/pack-all.mjs [--out DIR] [--only npm,action,vsix,figma]
//                             [--vsix-targets linux-x64,darwin-arm64,... | all] [--expect-version X.Y.Z]
//
// <v> is the suite's one version (the root package.json's). --expect-version
// fails the run unless it is that version (the release workflow passes its tag).
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { dirSize } from "./native-modules.mjs";
import { packNpm } from "./pack-npm.mjs";
import { ROOT, SUITE } from "./suite.mjs";

export const KINDS = ["npm", "action", "vsix", "figma"];

/** Where each artifact of version `version` lies in `out`. */
export function artifactPaths(out, version = SUITE.version) {
  return {
    action: path.join(out, "github-action"),
    vsix: (target) => path.join(out, `cutout-${version}-${target}.vsix`),
    figma: path.join(out, "figma-plugin"),
    figmaZip: path.join(out, `cutout-figma-plugin-${version}.zip`),
    /** npm's tarball name for a package: `@scope/name` becomes `scope-name`. */
    npm: (name) => path.join(out, `${name.replace(/^@/, "").replace("/", "-")}-${version}.tgz`),
    sums: path.join(out, "SHA256SUMS"),
    notes: path.join(out, "RELEASE_NOTES.md"),
  };
}

/** The workspace packages that are published to npm: those not marked private. */
export function publishedPackages() {
  return readdirSync(path.join(ROOT, "packages"))
    .map((name) => path.join(ROOT, "packages", name))
    .filter((dir) => existsSync(path.join(dir, "package.json")))
    .filter((dir) => !JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")).private);
}

/** CHANGELOG.md's section for `version` (its `## [version]` heading to the next heading or link list); an error when there is none. */
export function releaseNotes(version = SUITE.version) {
  const changelog = readFileSync(path.join(ROOT, "CHANGELOG.md"), "utf8");
  const heading = new RegExp(`^## \\[${version.replace(/\./g, "\\.")}\\].*$`, "m");
  const start = changelog.search(heading);
  if (start < 0) throw new Error(`CHANGELOG.md has no section '## [${version}]': write one before releasing ${version}`);
  const rest = changelog.slice(start);
  const next = rest.slice(3).search(/^(## |\[[^\]]+\]: )/m);
  return `${(next < 0 ? rest : rest.slice(0, next + 3)).trim()}\n`;
}

function sha256(file) {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

async function packFigma(paths) {
  const plugin = path.join(ROOT, "packages", "figma-plugin");
  const files = ["manifest.json", "dist/code.js", "dist/ui.html"];
  rmSync(paths.figma, { recursive: true, force: true });
  for (const file of files) {
    mkdirSync(path.dirname(path.join(paths.figma, file)), { recursive: true });
    copyFileSync(path.join(plugin, file), path.join(paths.figma, file));
  }
  // Core's own ZIP writer (stored entries: the bundle is small; Figma imports the unpacked folder).
  const { createZip } = await import(pathToFileURL(path.join(ROOT, "packages", "core", "dist", "blocks.js")).href);
  const entries = files.map((file) => ({ name: `cutout-figma-plugin/${file}`, data: readFileSync(path.join(paths.figma, file)) }));
  writeFileSync(paths.figmaZip, createZip(entries));
  return [
    { kind: "figma", file: paths.figma, bytes: dirSize(paths.figma), unpackedBytes: dirSize(paths.figma) },
    { kind: "figma", file: paths.figmaZip, bytes: statSync(paths.figmaZip).size, unpackedBytes: dirSize(paths.figma) },
  ];
}

/**
 * Builds the workspace, then the artifacts of `only` into `out`. Packing
 * every kind starts from an empty folder; packing some replaces only theirs.
 * Resolves to one entry per artifact: its kind, path, size and unpacked size.
 */
export async function packAll({ out = path.join(ROOT, "artifacts"), only = KINDS, vsixTargets = ["linux-x64"], expectVersion } = {}) {
  if (expectVersion !== undefined && expectVersion !== SUITE.version) {
    throw new Error(`the tag says ${expectVersion}, but package.json's version is ${SUITE.version}`);
  }
  for (const kind of only) if (!KINDS.includes(kind)) throw new Error(`--only: '${kind}' is not one of ${KINDS.join(", ")}`);
  const notes = releaseNotes();
  out = path.resolve(out);
  if (only.length === KINDS.length) rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const paths = artifactPaths(out);

  // The workspace build: core's bundles and declarations, the Figma plugin, the extension's bundle.
  await import("./build.mjs");
  const artifacts = [];
  if (only.includes("npm")) {
    for (const dir of publishedPackages()) {
      const packed = packNpm(dir, out);
      artifacts.push({ kind: "npm", file: packed.file, bytes: packed.bytes, unpackedBytes: packed.unpackedBytes });
    }
  }
  if (only.includes("action")) {
    const { packageRelease } = await import("../packages/github-action/scripts/package.mjs");
    await packageRelease(paths.action);
    const bytes = dirSize(paths.action);
    artifacts.push({ kind: "action", file: paths.action, bytes, unpackedBytes: bytes });
  }
  if (only.includes("vsix")) {
    const { packageExtension, TARGETS } = await import("../packages/vscode-extension/scripts/package.mjs");
    for (const target of vsixTargets.includes("all") ? TARGETS : vsixTargets) {
      const packed = await packageExtension({ target, out: paths.vsix(target) });
      artifacts.push({ kind: "vsix", file: packed.file, bytes: packed.bytes, unpackedBytes: dirSize(packed.stage) });
    }
  }
  if (only.includes("figma")) artifacts.push(...(await packFigma(paths)));

  writeFileSync(paths.notes, notes);
  const shipped = readdirSync(out).filter((name) => /\.(tgz|vsix|zip)$/.test(name));
  writeFileSync(paths.sums, shipped.map((name) => `${sha256(path.join(out, name))}  ${name}\n`).join(""));
  return artifacts;
}

function option(name) {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
}

if (process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))) {
  const list = (value) => value?.split(",").map((s) => s.trim());
  const artifacts = await packAll({
    out: option("--out"),
    only: list(option("--only")),
    vsixTargets: list(option("--vsix-targets")),
    expectVersion: option("--expect-version")?.replace(/^v/, ""),
  });
  const mb = (n) => `${(n / 1e6).toFixed(1)} MB`.padStart(9);
  process.stdout.write(`Cutout ${SUITE.version}: ${artifacts.length} artifacts\n`);
  for (const a of artifacts) {
    process.stdout.write(`  ${mb(a.bytes)} packed ${mb(a.unpackedBytes)} unpacked  ${path.relative(process.cwd(), a.file)}\n`);
  }
}
