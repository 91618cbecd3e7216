/**
 * A real n8n for the end-to-end tests: installed offline from the npm registry
 * on Node 24 (n8n 2.x refuses older Nodes), with its one native module that
 * has no prebuilt binary here (sqlite3) built against Node 24's headers.
 * Cached in HOST_CACHE, so only the first `pnpm test` on a machine pays for
 * it. Also: the node package as a user gets it, installed the two ways n8n
 * loads community nodes, and n8n's CLI to import and execute workflows.
 */
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { ROOT } from "./cli";
import { cachedInstall, node24, pathWithNode24, run } from "./hosts";

/** Checked with `npm view n8n@<v> dependencies`: 2.41.3 depends on an `@n8n/agents` the registry lacks. */
export const N8N_VERSION = "2.41.1";

const PACKAGE_DIR = path.join(ROOT, "packages", "n8n-node");

export interface N8nInstall {
  /** The folder whose node_modules holds n8n. */
  dir: string;
  /** n8n's bin script, run with Node 24. */
  bin: string;
}

export function installN8n(): N8nInstall {
  const { home } = node24();
  const dir = cachedInstall(`n8n-${N8N_VERSION}`, `installing n8n ${N8N_VERSION} (about 3 GB, several minutes)`, (target) => {
    // n8n depends on an `xlsx` tarball outside the registry; the registry's 0.18.5 stands in for it.
    writeFileSync(
      path.join(target, "package.json"),
      JSON.stringify({ name: "n8n-host", private: true, overrides: { xlsx: "0.18.5" } }, null, 2),
    );
    const env = { PATH: pathWithNode24(), npm_config_nodedir: home };
    run("npm", ["install", `n8n@${N8N_VERSION}`, "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"], {
      cwd: target,
      env,
      timeoutMs: 1_800_000,
    });
    // --nodedir explicitly: node-gyp cannot download headers here, and an .npmrc may name another Node's.
    run("npx", ["node-gyp", "rebuild", `--nodedir=${home}`], {
      cwd: path.join(target, "node_modules", "sqlite3"),
      env,
      timeoutMs: 900_000,
    });
  });
  return { dir, bin: path.join(dir, "node_modules", "n8n", "bin", "n8n") };
}

function extract(tarball: string, into: string): void {
  mkdirSync(into, { recursive: true });
  run("tar", ["-xzf", tarball, "-C", into, "--strip-components=1"]);
}

/**
 * A folder for N8N_CUSTOM_EXTENSIONS: the package with its two native
 * dependencies beside it (linked from the workspace's install). With
 * `brokenOnnxRuntime`, onnxruntime-node fails to load as it does on musl
 * (Alpine, n8n's Docker image), to show the node and its remote engine work
 * without it.
 */
export function customExtension(tarball: string, into: string, options: { brokenOnnxRuntime?: boolean } = {}): string {
  const dir = path.join(into, "n8n-nodes-cutout");
  extract(tarball, dir);
  const modules = path.join(dir, "node_modules");
  mkdirSync(modules, { recursive: true });
  symlinkSync(realpathSync(path.join(PACKAGE_DIR, "node_modules", "sharp")), path.join(modules, "sharp"));
  const ort = path.join(modules, "onnxruntime-node");
  if (!options.brokenOnnxRuntime) {
    symlinkSync(realpathSync(path.join(PACKAGE_DIR, "node_modules", "onnxruntime-node")), ort);
  } else {
    mkdirSync(ort);
    writeFileSync(path.join(ort, "package.json"), JSON.stringify({ name: "onnxruntime-node", version: "1.30.0", main: "index.js" }));
    writeFileSync(
      path.join(ort, "index.js"),
      `throw Object.assign(new Error("Error loading shared library ld-linux-x86-64.so.2: No such file or directory (needed by ${ort}/bin/napi-v6/linux/x64/libonnxruntime.so.1)"), { code: "ERR_DLOPEN_FAILED" });\n`,
    );
  }
  return into;
}

/**
 * Installs the package into n8n's community-nodes folder the way n8n's own
 * installer does (community-packages.service.ts, downloadPackage): the
 * tarball unpacked into <user folder>/.n8n/nodes/node_modules/<name>, its
 * dev, peer and optional dependencies dropped, then `npm install` there with
 * scripts off, and the package recorded in the folder's package.json.
 */
export function communityInstall(tarball: string, userFolder: string): void {
  const nodes = path.join(userFolder, ".n8n", "nodes");
  const dir = path.join(nodes, "node_modules", "n8n-nodes-cutout");
  extract(tarball, dir);
  const manifest = path.join(dir, "package.json");
  const { devDependencies, peerDependencies, optionalDependencies, ...kept } = JSON.parse(readFileSync(manifest, "utf8"));
  writeFileSync(manifest, JSON.stringify(kept, null, 2));
  run(
    "npm",
    [
      "install",
      "--audit=false",
      "--fund=false",
      "--bin-links=false",
      "--install-strategy=shallow",
      "--ignore-scripts=true",
      "--package-lock=false",
    ],
    { cwd: dir, timeoutMs: 600_000 },
  );
  writeFileSync(
    path.join(nodes, "package.json"),
    JSON.stringify({ name: "installed-nodes", private: true, dependencies: { "n8n-nodes-cutout": kept.version } }, null, 2),
  );
}

/** A TCP port free right now on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface N8nRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs n8n's CLI with Node 24 to completion; the environment says which user folder and extensions. */
export function n8nCli(n8n: N8nInstall, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 300_000): Promise<N8nRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(node24().bin, [n8n.bin, ...args], { env: n8nEnv(env), stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") });
    });
  });
}

export interface Service {
  /** Everything it printed so far, stdout and stderr together. */
  output(): string;
  stop(): Promise<void>;
}

/** A long-running process (redis, `n8n start`, `n8n worker`), stopped with SIGTERM, then SIGKILL after 10 s. */
export function startService(command: string, args: string[], env: NodeJS.ProcessEnv): Service {
  const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk.toString("utf8");
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  const exited = new Promise<void>((resolve) => child.on("close", () => resolve()));
  return {
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** n8n's CLI as a long-running service (start, worker) with Node 24. */
export function n8nService(n8n: N8nInstall, args: string[], env: NodeJS.ProcessEnv): Service {
  return startService(node24().bin, [n8n.bin, ...args], n8nEnv(env));
}

/** Waits until `service` has printed a line matching `pattern`, or fails after `timeoutMs` with what it printed. */
export async function waitForOutput(service: Service, pattern: RegExp, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(service.output())) {
    if (Date.now() > deadline) throw new Error(`no line matching ${pattern} within ${timeoutMs} ms:\n${service.output().slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * The environment every n8n process here gets: Node 24 first, no telemetry,
 * and none of the test runner's own settings (n8n refuses to load nodes when
 * NODE_ENV is "test", as vitest sets it).
 */
export function n8nEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const rest = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(NODE_ENV|NODE_OPTIONS|VITEST.*|TEST)$/.test(name)));
  return {
    ...rest,
    PATH: pathWithNode24(),
    N8N_DIAGNOSTICS_ENABLED: "false",
    N8N_VERSION_NOTIFICATIONS_ENABLED: "false",
    N8N_PERSONALIZATION_ENABLED: "false",
    ...env,
  };
}

/** `n8n execute --rawOutput` prints the execution as indented JSON (from a "{" line to a "}" line) among its log lines. */
export function executionOf(run: N8nRun): Execution {
  const json = /^\{$[\s\S]*?^\}$/m.exec(run.stdout)?.[0];
  if (!json) throw new Error(`n8n printed no execution (exit ${run.code}):\n${run.stdout.slice(-3000)}\n${run.stderr.slice(-3000)}`);
  return JSON.parse(json) as Execution;
}

export interface Item {
  json: Record<string, unknown>;
  binary?: Record<string, { mimeType: string; fileName?: string; id?: string; data: string; bytes?: number }>;
  pairedItem?: { item: number };
}

export interface Execution {
  status: string;
  data: { resultData: { runData: Record<string, { data?: { main: Item[][] }; error?: unknown }[]>; error?: { message: string } } };
}

/** The items a node gave on an output (0, or 1 for the error output), in its first run. */
export function outputOf(execution: Execution, node: string, output = 0): Item[] {
  const runs = execution.data.resultData.runData[node];
  if (!runs) throw new Error(`node '${node}' did not run; ran: ${Object.keys(execution.data.resultData.runData).join(", ")}`);
  return runs[0]?.data?.main[output] ?? [];
}

/** Copies test inputs into the folder n8n may read (N8N_RESTRICT_FILE_ACCESS_TO). */
export function stage(files: Record<string, string | Buffer>, into: string): void {
  for (const [name, source] of Object.entries(files)) {
    const target = path.join(into, name);
    mkdirSync(path.dirname(target), { recursive: true });
    if (typeof source === "string") cpSync(source, target);
    else writeFileSync(target, source);
  }
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
