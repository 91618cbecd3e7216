import { readFile, stat } from "node:fs/promises";
import type { Readable } from "node:stream";
import { CutoutError } from "../errors.js";
import type { ReadLimits } from "../host.js";
import { collectBytes, redactUrl, tooManyBytes } from "../input-bytes.js";

export { redactUrl };

/** Everything `removeBackground` accepts as an image. */
export type ImageInput = string | URL | Uint8Array | ArrayBuffer | Readable | ReadableStream<Uint8Array>;

export type { ReadLimits };

/**
 * Turns any supported input into bytes, bounded in size and time. A string
 * is a URL when it starts with http(s)://, otherwise a file path.
 */
export async function readInput(input: ImageInput, limits: ReadLimits): Promise<{ bytes: Uint8Array; name: string }> {
  if (input instanceof Uint8Array) return { bytes: input, name: "buffer" };
  if (input instanceof ArrayBuffer) return { bytes: new Uint8Array(input), name: "buffer" };
  if (input instanceof URL || (typeof input === "string" && /^https?:\/\//i.test(input))) {
    return { bytes: await fetchBytes(new URL(String(input)), limits), name: redactUrl(String(input)) };
  }
  if (typeof input === "string") return { bytes: await readFileBytes(input, limits.maxInputBytes), name: input };
  if (isWebStream(input))
    return { bytes: await collectBytes(input as AsyncIterable<Uint8Array>, limits.maxInputBytes, "stream"), name: "stream" };
  if (isNodeStream(input)) return { bytes: await collectBytes(input, limits.maxInputBytes, "stream"), name: "stream" };
  throw new CutoutError(
    "validation_error",
    `Expected a file path, URL, Buffer, Uint8Array or stream for input but received ${Object.prototype.toString.call(input)}`,
    { field: "input" },
  );
}

async function readFileBytes(path: string, maxBytes: number): Promise<Uint8Array> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new CutoutError("input_unreadable", `${path} is a directory, not an image file`);
    if (info.size > maxBytes) throw tooManyBytes(path, maxBytes);
    return await readFile(path);
  } catch (error) {
    if (error instanceof CutoutError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : (error as Error).message;
    throw new CutoutError("input_unreadable", `Cannot read ${path}: ${why}`, { cause: error });
  }
}

async function fetchBytes(url: URL, limits: ReadLimits): Promise<Uint8Array> {
  const shown = redactUrl(url.href);
  const timeout = AbortSignal.timeout(limits.timeoutMs);
  const signal = limits.signal ? AbortSignal.any([limits.signal, timeout]) : timeout;
  // fetch refuses URLs with credentials; send them as a header instead, and never echo them.
  const headers: Record<string, string> = {};
  const bare = new URL(url.href);
  if (bare.username || bare.password) {
    const user = decodeURIComponent(bare.username);
    const pass = decodeURIComponent(bare.password);
    headers.authorization = `Basic ${btoa(`${user}:${pass}`)}`;
    bare.username = "";
    bare.password = "";
  }
  let response: Response;
  try {
    response = await fetch(bare, { signal, redirect: "follow", headers });
  } catch (error) {
    if (timeout.aborted) throw new CutoutError("timeout", `Fetching ${shown} timed out after ${limits.timeoutMs} ms`);
    throw new CutoutError("network_error", `Cannot fetch ${shown}: ${causeMessage(error).split(bare.href).join(shown)}`);
  }
  if (!response.ok) {
    throw new CutoutError("input_unreadable", `Fetching ${shown} failed: HTTP ${response.status} ${response.statusText}`);
  }
  const declared = Number(response.headers.get("content-length"));
  if (declared > limits.maxInputBytes) throw tooManyBytes(shown, limits.maxInputBytes);
  if (!response.body) return new Uint8Array(0);
  try {
    return await collectBytes(response.body as unknown as AsyncIterable<Uint8Array>, limits.maxInputBytes, shown);
  } catch (error) {
    if (timeout.aborted) throw new CutoutError("timeout", `Fetching ${shown} timed out after ${limits.timeoutMs} ms`);
    throw error;
  }
}

function causeMessage(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

function isWebStream(value: unknown): boolean {
  return typeof (value as ReadableStream | undefined)?.getReader === "function";
}

function isNodeStream(value: unknown): value is Readable {
  return typeof (value as Readable | undefined)?.pipe === "function" && Symbol.asyncIterator in (value as object);
}
