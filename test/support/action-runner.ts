/**
 * Runs the packaged GitHub Action the way the runner does for
 * `runs.using: node24`: `node <action path>/dist/index.js` with the workspace
 * as working folder, one INPUT_* variable per input declared in action.yml
 * (the `with:` value, else the declared default, else empty), and the
 * GITHUB_* variables and files a job step gets.
 */
import { spawn, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import fs from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { ROOT } from "./cli";

/** `yaml` is a dev dependency of the action package, not of the workspace root. */
export const YAML = createRequire(path.join(ROOT, "packages", "github-action", "package.json"))("yaml") as { parse(text: string): unknown };

export const ACTION_SOURCE = path.join(ROOT, "packages", "github-action");

export interface ActionMetadata {
  name?: unknown;
  description?: unknown;
  inputs?: Record<string, { description?: unknown; required?: unknown; default?: unknown; [key: string]: unknown }>;
  outputs?: Record<string, { description?: unknown; [key: string]: unknown }>;
  runs?: { using?: unknown; main?: unknown; [key: string]: unknown };
  [key: string]: unknown;
}

export function readActionYml(dir: string): ActionMetadata {
  return YAML.parse(readFileSync(path.join(dir, "action.yml"), "utf8")) as ActionMetadata;
}

/**
 * Packages the action into `<dir>` as a release tag's tree (action.yml,
 * README.md, dist/ with its pruned node_modules), with the project's own
 * script, and returns the folder. Outside the workspace, so nothing resolves
 * from the workspace's node_modules by accident.
 */
export function packageAction(dir: string): string {
  const script = path.join(ACTION_SOURCE, "scripts", "package.mjs");
  const result = spawnSync(process.execPath, [script, "--release", dir], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
  if (result.status !== 0) throw new Error(`packaging failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return dir;
}

/** The runner's name for an input's variable: spaces become underscores, upper-cased; hyphens stay. */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, "_").toUpperCase()}`;
}

export interface RunActionOptions {
  /** The action's folder (action.yml and dist/). */
  actionDir: string;
  /** GITHUB_WORKSPACE, and the working folder. */
  workspace: string;
  with?: Record<string, string>;
  eventName: string;
  event: unknown;
  /** The Node binary (the runner's node24). */
  node: string;
  /** Options for node before the script (a test may preload a module). */
  nodeArgs?: string[];
  /** Extra variables, e.g. GITHUB_SHA. */
  env?: Record<string, string>;
  timeoutMs?: number;
}

export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** GITHUB_OUTPUT, parsed as the runner parses it. */
  outputs: Record<string, string>;
  /** GITHUB_STEP_SUMMARY's content. */
  summary: string;
  /** The variables the step got. */
  env: Record<string, string>;
  ms: number;
}

export async function runAction(options: RunActionOptions): Promise<ActionRun> {
  const metadata = readActionYml(options.actionDir);
  const declared = metadata.inputs ?? {};
  for (const name of Object.keys(options.with ?? {})) {
    if (!Object.hasOwn(declared, name)) throw new Error(`with: ${name} is not an input of action.yml`);
  }
  const files = await fs.mkdtemp(path.join(os.tmpdir(), "cutout-action-step-"));
  const outputFile = path.join(files, "output");
  const summaryFile = path.join(files, "step_summary");
  const eventFile = path.join(files, "event.json");
  writeFileSync(outputFile, "");
  writeFileSync(summaryFile, "");
  writeFileSync(eventFile, JSON.stringify(options.event, null, 2));

  // A step sees the runner's own variables, not the test process's INPUT_* / GITHUB_*.
  const base: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^(INPUT_|GITHUB_|RUNNER_)/.test(key)) base[key] = value;
  }
  const env: Record<string, string> = {
    ...base,
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_EVENT_NAME: options.eventName,
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_REPOSITORY: "octo-org/shop-assets",
    GITHUB_ACTION_PATH: options.actionDir,
    RUNNER_OS: "Linux",
    RUNNER_ARCH: "X64",
    RUNNER_TEMP: files,
    ...options.env,
  };
  for (const [name, spec] of Object.entries(declared)) {
    const given = options.with?.[name];
    env[inputEnvName(name)] = given ?? (spec.default === undefined ? "" : String(spec.default));
  }

  const main = path.join(options.actionDir, String(metadata.runs?.main));
  const started = performance.now();
  const child = spawn(options.node, [...(options.nodeArgs ?? []), main], {
    cwd: options.workspace,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
  child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 170_000);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (status) => resolve(status));
  });
  clearTimeout(timer);
  const ms = performance.now() - started;
  const run: ActionRun = {
    code,
    stdout: Buffer.concat(out).toString("utf8"),
    stderr: Buffer.concat(err).toString("utf8"),
    outputs: parseOutputFile(readFileSync(outputFile, "utf8")),
    summary: readFileSync(summaryFile, "utf8"),
    env,
    ms,
  };
  await fs.rm(files, { recursive: true, force: true });
  return run;
}

/**
 * GITHUB_OUTPUT as the runner reads it: `name=value` lines, or
 * `name<<DELIMITER` / value lines / `DELIMITER`. Written independently of the
 * action's writer, so a wrong format fails here.
 */
export function parseOutputFile(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === "") continue;
    const heredoc = line.indexOf("<<");
    const equals = line.indexOf("=");
    if (heredoc > 0 && (equals < 0 || heredoc < equals)) {
      const name = line.slice(0, heredoc);
      const delimiter = line.slice(heredoc + 2);
      if (delimiter === "") throw new Error(`line ${i + 1}: empty delimiter`);
      const value: string[] = [];
      i++;
      while (i < lines.length && lines[i] !== delimiter) value.push(lines[i++]!);
      if (i >= lines.length) throw new Error(`output ${name}: delimiter ${delimiter} never closes`);
      if (Object.hasOwn(result, name)) throw new Error(`output ${name} set twice`);
      result[name] = value.join("\n");
    } else if (equals > 0) {
      const name = line.slice(0, equals);
      if (Object.hasOwn(result, name)) throw new Error(`output ${name} set twice`);
      result[name] = line.slice(equals + 1);
    } else {
      throw new Error(`line ${i + 1} is neither name=value nor name<<DELIMITER: ${line}`);
    }
  }
  return result;
}

/** Workflow commands (`::name props::message`) in a step's stdout, unescaped. */
export interface WorkflowCommand {
  name: string;
  properties: Record<string, string>;
  message: string;
}

export function workflowCommands(stdout: string): WorkflowCommand[] {
  const decodeValue = (s: string) =>
    s.replace(/%0A/g, "\n").replace(/%0D/g, "\r").replace(/%3A/g, ":").replace(/%2C/g, ",").replace(/%25/g, "%");
  const commands: WorkflowCommand[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const match = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!match) continue;
    const properties: Record<string, string> = {};
    for (const pair of (match[2] ?? "").split(",").filter(Boolean)) {
      const at = pair.indexOf("=");
      properties[pair.slice(0, at)] = decodeValue(pair.slice(at + 1));
    }
    commands.push({ name: match[1]!, properties, message: decodeValue(match[3]!) });
  }
  return commands;
}

/** git, with a fixed identity and, when given, a fixed commit date. */
export function git(cwd: string, args: string[], date?: string): string {
  const dates = date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {};
  const result = spawnSync("git", args, {
    cwd,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "Test",
      GIT_AUTHOR_EMAIL: "test@example.com",
      GIT_COMMITTER_NAME: "Test",
      GIT_COMMITTER_EMAIL: "test@example.com",
      GIT_CONFIG_NOSYSTEM: "1",
      ...dates,
    },
  });
  if (result.status !== 0) throw new Error(`git ${args.join(" ")} failed:\n${result.stderr}`);
  return result.stdout.trim();
}

/** A fresh repository on branch main. */
export function initRepo(dir: string): void {
  git(dir, ["init", "-q", "-b", "main"]);
  git(dir, ["config", "commit.gpgsign", "false"]);
}
