/**
 * `cutout serve` for the tests: as a process, run the way a user runs it
 * (bin/cutout.js serve, its huge-pages launcher included), or in this
 * process through @cutout/core/server's createCutoutServer. Either way it
 * listens on a free loopback port.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { type CutoutServer, createCutoutServer, type ServerOptions } from "../../packages/core/src/server/index.js";
import { CLI, FIXTURES } from "./cli";

export const CAR = readFileSync(path.join(FIXTURES, "car-1.jpg"));
export const ANIME = readFileSync(path.join(FIXTURES, "anime-girl-1.jpg"));

export interface ServeProcess {
  url: string;
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Sends a signal to the server (through its launcher) and waits for it to exit. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Kills the whole process group at once (launcher and server). */
  kill(): void;
}

/** Starts `cutout serve --port 0 ...args`; resolves once it listens (and, with `ready`, once its model is loaded). */
export async function startServe(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; ready?: boolean } = {},
): Promise<ServeProcess> {
  const child = spawn(process.execPath, [CLI, "serve", "--port", "0", ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    out += chunk.toString("utf8");
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`cutout serve did not start:\n${err}`)), 120_000);
    child.stderr!.on("data", (chunk: Buffer) => {
      err += chunk.toString("utf8");
      const listening = /listening on (http:\/\/\S+?)[,;\s]/.exec(err);
      const ready = !options.ready || /model ready/.test(err);
      if (listening && ready) {
        clearTimeout(timer);
        resolve(listening[1]!);
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`cutout serve exited with ${code}:\n${err}`));
    });
  });
  return {
    url,
    child,
    stdout: () => out,
    stderr: () => err,
    stop: (signal = "SIGTERM") => {
      child.kill(signal);
      return exited;
    },
    kill: () => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // Already gone.
      }
    },
  };
}

export interface InProcessServer {
  server: CutoutServer;
  url: string;
  /** The access log, one parsed JSON line per request. */
  log: Record<string, unknown>[];
  /** The raw access log lines. */
  lines: string[];
}

/** createCutoutServer on a free loopback port; resolves once the model is loaded. */
export async function startInProcess(options: ServerOptions = {}): Promise<InProcessServer> {
  const lines: string[] = [];
  const server = await createCutoutServer({ port: 0, host: "127.0.0.1", accessLog: (line) => lines.push(line), ...options });
  const url = await server.listen();
  await server.ready;
  return {
    server,
    url,
    lines,
    get log() {
      return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    },
  };
}

/** A multipart form from text fields and files (name -> bytes, sent with a file name as browsers and curl do). */
export function form(fields: Record<string, string>, files: Record<string, Uint8Array> = {}): FormData {
  const body = new FormData();
  for (const [name, bytes] of Object.entries(files)) body.append(name, new Blob([bytes as BlobPart]), `${name}.jpg`);
  for (const [name, value] of Object.entries(fields)) body.append(name, value);
  return body;
}

/** The answer's body as bytes and, when it is JSON, parsed (loosely typed: tests read deep into each protocol's shapes). */
// biome-ignore lint/suspicious/noExplicitAny: the JSON of five protocols' answers, checked by the tests' expectations.
export async function answer(response: Response): Promise<{ status: number; headers: Headers; bytes: Buffer; json: any }> {
  const bytes = Buffer.from(await response.arrayBuffer());
  let json: unknown;
  if (/json/.test(response.headers.get("content-type") ?? "")) json = JSON.parse(bytes.toString("utf8"));
  return { status: response.status, headers: response.headers, bytes, json };
}

/** Polls until `check` holds (a server-side state the test waits for, such as a request being in work). */
export async function until(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
