/**
 * Vitest global set-up of the real-host tests: every artifact of a release,
 * packed once by `pnpm pack:all`'s own script into test/.tmp/artifacts. The
 * hosts install these (the npm tarballs, the .vsix, the Figma zip), never
 * the workspace's build, so what is tested is what ships.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { inject } from "vitest";
import type { TestProject } from "vitest/node";
import { ROOT } from "./cli.js";
import { run } from "./hosts.js";

declare module "vitest" {
  export interface ProvidedContext {
    artifacts: string;
  }
}

export default function packArtifacts(project: TestProject): void {
  const out = path.join(ROOT, "test", ".tmp", "artifacts");
  const started = performance.now();
  const report = run(process.execPath, [path.join(ROOT, "scripts", "pack-all.mjs"), "--out", out], { cwd: ROOT });
  process.stdout.write(`[artifacts] packed in ${((performance.now() - started) / 1000).toFixed(0)} s: ${report}`);
  project.provide("artifacts", out);
}

/** The packed artifacts of this run (names as scripts/pack-all.mjs writes them). */
export function artifacts(): {
  dir: string;
  npm: (name: "cutout-core" | "n8n-nodes-cutout") => string;
  vsix: string;
  figmaZip: string;
  actionTree: string;
} {
  const dir = inject("artifacts");
  if (!dir) throw new Error("no packed artifacts: run the hosts project (its global set-up packs them)");
  const version = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version;
  return {
    dir,
    npm: (name) => path.join(dir, `${name}-${version}.tgz`),
    vsix: path.join(dir, `cutout-${version}-linux-x64.vsix`),
    figmaZip: path.join(dir, `cutout-figma-plugin-${version}.zip`),
    actionTree: path.join(dir, "github-action"),
  };
}

/** The Figma plugin's zip unpacked into `into`, as a designer unpacks it before importing its manifest: the plugin's folder. */
export function unpackFigmaZip(into: string): string {
  run("unzip", ["-q", "-o", artifacts().figmaZip, "-d", into]);
  return path.join(into, "cutout-figma-plugin");
}
