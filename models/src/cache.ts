import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import type { ModelSpec } from "./manifest.js";
import { type HashedFile, readHashed } from "./read-hashed.js";

/** `<cacheDir>/models/<name>-<first 12 hex of sha256>.onnx`: a new model version gets a new name. */
export function modelCachePath(cacheDir: string, spec: ModelSpec): string {
  return path.join(cacheDir, "models", `${spec.name}-${spec.sha256.slice(0, 12)}.onnx`);
}

export type CacheRead =
  | { readonly status: "hit"; readonly bytes: Buffer }
  | { readonly status: "miss" }
  | { readonly status: "bad"; readonly reason: string };

/** The cached file if its sha256 matches the spec. Checked on every load: hashing is fast next to inference. */
export async function readCached(file: string, spec: ModelSpec): Promise<CacheRead> {
  let read: HashedFile;
  try {
    read = await readHashed(file);
  } catch (error) {
    if (errorCode(error) === "ENOENT") return { status: "miss" };
    return { status: "bad", reason: `could not be read (${errorText(error)})` };
  }
  const { bytes, sha256: actual } = read;
  if (actual === spec.sha256) return { status: "hit", bytes };
  return {
    status: "bad",
    reason: `is corrupt (${bytes.length} bytes, sha256 ${actual}; expected ${spec.bytes} bytes, sha256 ${spec.sha256})`,
  };
}

/**
 * Writes via a uniquely named temp file and a rename, so readers, and other
 * processes writing the same model, only ever see a complete file. No fsync:
 * a file torn by a crash fails the sha256 check on the next load and is replaced.
 */
export async function writeAtomically(file: string, bytes: Uint8Array): Promise<void> {
  const temp = tempPath(path.dirname(file), path.basename(file));
  try {
    await fs.writeFile(temp, bytes, { flag: "wx" });
    await fs.rename(temp, file);
  } finally {
    await fs.rm(temp, { force: true });
  }
}

/** A name no other process or call will pick, hidden and marked `.part` so stale ones can be swept. */
export function tempPath(dir: string, base: string): string {
  return path.join(dir, `.${base}.${process.pid}-${randomBytes(6).toString("hex")}.part`);
}

/** Removes temp files that crashed processes left behind (older than a day, so never a live download's). */
export async function removeStaleTemps(dir: string, maxAgeMs = 24 * 60 * 60 * 1000): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return;
  }
  const now = Date.now();
  await Promise.all(
    names
      .filter((name) => name.startsWith(".") && name.endsWith(".part"))
      .map(async (name) => {
        const file = path.join(dir, name);
        try {
          if (now - (await fs.stat(file)).mtimeMs > maxAgeMs) await fs.rm(file, { force: true });
        } catch {
          // Another process got there first; nothing to do.
        }
      }),
  );
}

/**
 * `mkdir -p` without Node's `recursive: true`, which spins forever when a
 * parent exists but cannot hold children (a dangling symlink, a path under
 * /proc). Here each level is tried once, so such a path fails with ENOENT.
 */
export async function ensureDir(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    try {
      await fs.stat(current);
      break;
    } catch (error) {
      if (errorCode(error) !== "ENOENT") throw error;
    }
    missing.push(current);
    if (path.dirname(current) === current) break;
  }
  for (const level of missing.reverse()) {
    try {
      await fs.mkdir(level);
    } catch (error) {
      if (errorCode(error) !== "EEXIST") throw error;
    }
  }
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** An error's message without its stack; Node's fs messages already name the code and path. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
