// One workspace package as the npm registry gets it: the files its `files`
// names, built, copied into a staging folder with the manifest users should
// see, then `npm pack` there. The manifest carries the suite's version and
// repository; it loses what only the workspace uses (devDependencies,
// scripts, the `source` export condition that points into src/), and a
// `workspace:` range left in anything a user installs is an error.
// Source maps stay behind: the bundles are not minified, so stack traces
// read as they are.
import { execFileSync } from "node:child_process";
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT, SUITE } from "./suite.mjs";

const INSTALLED = ["dependencies", "peerDependencies", "optionalDependencies"];

/** Export conditions with `source` dropped, at every level. */
function withoutSource(exports) {
  if (typeof exports !== "object" || exports === null) return exports;
  return Object.fromEntries(
    Object.entries(exports)
      .filter(([key]) => key !== "source")
      .map(([key, value]) => [key, withoutSource(value)]),
  );
}

/** The manifest `npm publish` should send for the workspace package at `dir` (its package.json as `manifest`). */
export function publishManifest(manifest, dir) {
  if (manifest.private) throw new Error(`${manifest.name} is private: it is not published`);
  for (const field of INSTALLED) {
    for (const [name, range] of Object.entries(manifest[field] ?? {})) {
      if (String(range).startsWith("workspace:")) {
        throw new Error(`${manifest.name}: ${field}.${name} is '${range}', which no registry resolves; bundle it or publish it`);
      }
    }
  }
  const { version: _version, devDependencies: _dev, scripts: _scripts, pnpm: _pnpm, ...kept } = manifest;
  const directory = path.relative(ROOT, dir).split(path.sep).join("/");
  const published = {};
  for (const [key, value] of Object.entries(kept)) {
    published[key] = key === "exports" ? withoutSource(value) : value;
    if (key === "name") published.version = SUITE.version;
    if (key === "license") {
      published.homepage = `https://github.com/${SUITE.repository}/tree/main/${directory}#readme`;
      published.repository = { type: "git", url: `git+https://github.com/${SUITE.repository}.git`, directory };
      published.bugs = { url: `https://github.com/${SUITE.repository}/issues` };
    }
  }
  if (manifest.name.startsWith("@")) published.publishConfig = { access: "public" };
  return published;
}

/** Copies `from` (a file or folder) into `to`, leaving source maps behind, and each bundle's pointer to its map with them. */
function copyShipped(from, to) {
  cpSync(from, to, { recursive: true, filter: (file) => !file.endsWith(".map") });
  const files = statSync(to).isDirectory()
    ? readdirSync(to, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => path.join(entry.parentPath, entry.name))
    : [to];
  for (const file of files.filter((f) => /\.[cm]?js$/.test(f))) {
    const text = readFileSync(file, "utf8");
    const stripped = text.replace(/\n\/\/# sourceMappingURL=\S+\.map\s*$/, "\n");
    if (stripped !== text) writeFileSync(file, stripped);
  }
}

/**
 * Packs the package at `dir` into `outDir`. Resolves to the tarball's path,
 * its size, its unpacked size and the files in it, as npm reports them.
 */
export function packNpm(dir, outDir) {
  const manifest = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
  const published = publishManifest(manifest, dir);
  const stage = mkdtempSync(path.join(os.tmpdir(), "cutout-npm-stage-"));
  try {
    for (const entry of manifest.files ?? []) {
      if (/[*?{}[\]!]/.test(entry)) throw new Error(`${manifest.name}: files entry '${entry}' is a pattern; name files and folders`);
      const from = path.join(dir, entry);
      if (!existsSync(from)) throw new Error(`${manifest.name}: '${entry}' (in files) does not exist; run pnpm build`);
      copyShipped(from, path.join(stage, entry));
    }
    if (!existsSync(path.join(dir, "README.md"))) throw new Error(`${manifest.name} has no README.md`);
    copyFileSync(path.join(dir, "README.md"), path.join(stage, "README.md"));
    copyFileSync(path.join(ROOT, "LICENSE"), path.join(stage, "LICENSE"));
    writeFileSync(path.join(stage, "package.json"), `${JSON.stringify(published, null, 2)}\n`);
    mkdirSync(outDir, { recursive: true });
    const report = JSON.parse(
      execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", path.resolve(outDir)], {
        cwd: stage,
        encoding: "utf8",
        env: { ...process.env, npm_config_loglevel: "error" },
      }),
    )[0];
    return {
      name: published.name,
      file: path.join(path.resolve(outDir), report.filename),
      bytes: report.size,
      unpackedBytes: report.unpackedSize,
      files: report.files.map((f) => f.path).sort(),
    };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}
