import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { closeSync, openSync } from "node:fs";
import fs from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { inflateSync } from "node:zlib";
import type sharpModule from "../../packages/core/node_modules/sharp";

/** The workspace root. */
export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** The CLI's bin script, as installed for users (it imports dist/cli.js). */
export const CLI = path.join(ROOT, "packages", "core", "bin", "cutout.js");
export const FIXTURES = path.join(ROOT, "test", "fixtures");

/** sharp is a dependency of @cutout/core, not of the workspace root: load core's copy. */
export const sharp = createRequire(path.join(ROOT, "packages", "core", "package.json"))("sharp") as typeof sharpModule;

/** Bundles the packages with the project's own build script, as `pnpm build` does. */
export function buildOnce(): void {
  const result = spawnSync(process.execPath, [path.join(ROOT, "scripts", "build.mjs")], { cwd: ROOT, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`build failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
}

export interface CliResult {
  /** Exit code; null when the process was killed. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
  /** Wall-clock milliseconds from spawn to exit. */
  ms: number;
}

export interface RunOptions {
  cwd: string;
  /**
   * Standard input: a Buffer is written to a pipe; `{ file }` opens that file
   * and hands its descriptor over, like the shell's `< file`. Default: none
   * (/dev/null, so a run without inputs never waits on a terminal).
   */
  stdin?: Buffer | { file: string };
  /** Added to (and overriding) the test process's environment. */
  env?: NodeJS.ProcessEnv;
  /** Kill the CLI after this long, so a hang fails with its output. Default 170 s. */
  timeoutMs?: number;
}

/** Runs `node packages/core/bin/cutout.js ...args` as a user would, without a shell (so globs reach the CLI unexpanded). */
export function runCli(args: string[], options: RunOptions): Promise<CliResult> {
  const { cwd, stdin, env, timeoutMs = 170_000 } = options;
  const fd = stdin !== undefined && !Buffer.isBuffer(stdin) ? openSync(path.resolve(cwd, stdin.file), "r") : undefined;
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: [fd ?? (stdin === undefined ? "ignore" : "pipe"), "pipe", "pipe"],
  });
  if (fd !== undefined) closeSync(fd);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout!.on("data", (chunk: Buffer) => out.push(chunk));
  child.stderr!.on("data", (chunk: Buffer) => err.push(chunk));
  if (Buffer.isBuffer(stdin)) child.stdin?.end(stdin);
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString("utf8"), ms: performance.now() - started });
    });
  });
}

/** A fresh folder under the OS temp folder. */
export function tempDir(label: string): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), `cutout-cli-${label}-`));
}

export async function sha256(file: string): Promise<string> {
  return createHash("sha256")
    .update(await fs.readFile(file))
    .digest("hex");
}

/** Every file under `dir`, as sorted forward-slash paths relative to it. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
    .sort();
}

/** A small solid-colour JPEG (or PNG): for runs where the subject does not matter. */
export async function writeTinyImage(file: string, width = 64, height = 48, format: "jpeg" | "png" = "jpeg"): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const image = sharp({ create: { width, height, channels: 3, background: { r: 40, g: 110, b: 200 } } });
  await (format === "jpeg" ? image.jpeg() : image.png()).toFile(file);
}

export interface Decoded {
  format: string | undefined;
  width: number;
  height: number;
  /** Channels in the file itself (sharp's metadata). */
  channels: number | undefined;
  hasAlpha: boolean;
  space: string | undefined;
  /** Raw pixels as stored, `channels` bytes per pixel. */
  data: Buffer;
  /** The value of channel `c` at (x, y). */
  at(x: number, y: number, c?: number): number;
}

export async function decode(input: string | Buffer): Promise<Decoded> {
  const meta = await sharp(input).metadata();
  const { data, info } = await sharp(input).raw().toBuffer({ resolveWithObject: true });
  return {
    format: meta.format,
    width: info.width,
    height: info.height,
    channels: meta.channels,
    hasAlpha: meta.hasAlpha ?? false,
    space: meta.space,
    data,
    at: (x, y, c = 0) => data[(y * info.width + x) * info.channels + c]!,
  };
}

/** The alpha of rembg's ISNet cutout of a fixture (test/fixtures/reference), one byte a pixel. */
export function referenceAlpha(name: string): Promise<Buffer> {
  return sharp(path.join(FIXTURES, "reference", `${name}.isnet-general-use.png`))
    .ensureAlpha()
    .extractChannel(3)
    .raw()
    .toBuffer();
}

/** One line of `--json` output: a result's metadata, or a failure's error. */
export interface JsonLine {
  input: string;
  output: string;
  cpu?: string;
  error?: { code: string; message: string; field?: string };
  bytes?: number;
  format?: string;
  width?: number;
  height?: number;
  foreground?: { left: number; top: number; width: number; height: number } | null;
  timings?: Record<string, number>;
  model?: string;
  engine?: string;
  [key: string]: unknown;
}

/** Parses `--json` output: one object per line. */
export function jsonLines(stdout: Buffer): JsonLine[] {
  return stdout
    .toString("utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as JsonLine);
}

/** Reads a zip with Python's zipfile (an independent reader): entry names, CRC check, and the entries' bytes. */
export function readZip(file: string): { names: string[]; badEntry: string | null; entries: Record<string, Buffer> } {
  const script = [
    "import base64, json, sys, zipfile",
    "z = zipfile.ZipFile(sys.argv[1])",
    "print(json.dumps({'names': z.namelist(), 'bad': z.testzip(), 'data': {n: base64.b64encode(z.read(n)).decode() for n in z.namelist()}}))",
  ].join("\n");
  const result = spawnSync("python3", ["-c", script, file], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`python3 zipfile could not read ${file}:\n${result.stderr}`);
  const parsed = JSON.parse(result.stdout) as { names: string[]; bad: string | null; data: Record<string, string> };
  const entries: Record<string, Buffer> = {};
  for (const [name, b64] of Object.entries(parsed.data)) entries[name] = Buffer.from(b64, "base64");
  return { names: parsed.names, badEntry: parsed.bad, entries };
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Checks a PNG's structure independently of sharp (which decodes a truncated
 * PNG without complaint): signature, chunk lengths, IEND as the last chunk at
 * the very end, and IDAT data that inflates completely to the expected size.
 */
export function checkPng(buf: Buffer): { width: number; height: number; colorType: number; channels: number } {
  if (!buf.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error("not a PNG: bad signature");
  let at = 8;
  let ihdr: Buffer | undefined;
  const idat: Buffer[] = [];
  let ended = false;
  while (at < buf.length) {
    if (ended) throw new Error(`bytes after IEND at ${at}`);
    if (at + 12 > buf.length) throw new Error(`truncated chunk header at ${at}`);
    const length = buf.readUInt32BE(at);
    const type = buf.toString("latin1", at + 4, at + 8);
    if (at + 12 + length > buf.length) throw new Error(`truncated ${type} chunk at ${at}`);
    const data = buf.subarray(at + 8, at + 8 + length);
    if (type === "IHDR") ihdr = data;
    if (type === "IDAT") idat.push(data);
    if (type === "IEND") ended = true;
    at += 12 + length;
  }
  if (!ihdr || !ended) throw new Error("PNG without IHDR or IEND");
  const width = ihdr.readUInt32BE(0);
  const height = ihdr.readUInt32BE(4);
  const bitDepth = ihdr[8]!;
  const colorType = ihdr[9]!;
  const channels = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[colorType];
  if (channels === undefined) throw new Error(`bad colour type ${colorType}`);
  if (ihdr[12] !== 0) throw new Error("interlaced PNG: size check not implemented");
  const raw = inflateSync(Buffer.concat(idat));
  const expected = height * (1 + Math.ceil((width * channels * bitDepth) / 8));
  if (raw.length !== expected) throw new Error(`IDAT inflates to ${raw.length} bytes, expected ${expected}`);
  return { width, height, colorType, channels };
}
