import { invalidOption } from "../errors.js";
import { checkModelChoice } from "../node/engine-model.js";
import type { EngineOptions } from "../node/remover.js";
import { DEFAULT_MAX_PIXELS, DEFAULT_TIMEOUT_MS, positiveInteger, timeoutMilliseconds } from "../options.js";
import { DEFAULT_MAX_PNG_PIXELS } from "../render.js";

export interface ServerOptions {
  /** Default 7000 (rembg's). 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1: this machine only. 0.0.0.0 or :: to serve the network. */
  host?: string;
  /** API keys; none means every request is let in. */
  keys?: readonly string[];
  /** Megapixels per minute per key (per client address without keys), as remove.bg counts them; 0 or absent: no limit. */
  rateLimit?: number;
  /** Largest request body in bytes (default 22 MB, remove.bg's file limit); also caps fetched images. */
  bodyLimit?: number;
  /** Requests that may wait for the model beyond those in work (default 16); more get 503 with Retry-After. */
  queueSize?: number;
  /** Images in work at once (default 2: one's decoding and encoding overlap the other's inference). */
  concurrency?: number;
  /** Private hosts image_url and bg_image_url may still name: hostnames, IP addresses, CIDR ranges, or "*". */
  allowPrivateHosts?: readonly string[];
  /** Time limit for fetching image_url / bg_image_url, redirects included (default 30 s). */
  fetchTimeoutMs?: number;
  /** A client must have sent its whole request within this time (default 120 s), so slow uploads cannot hold connections. */
  requestTimeoutMs?: number;
  /** On close, how long requests in work may take to finish before their connections are cut (default 60 s). */
  shutdownGraceMs?: number;
  /** Largest input in pixels, checked from the header before decoding (default 50 MP, as the CLI). */
  maxPixels?: number;
  /** Largest PNG output in pixels (default 10 MP, as remove.bg). */
  maxPngPixels?: number;
  /** The model, its quality preset, precision and threads, as the CLI takes them. */
  engine?: EngineOptions;
  /** Where each request's JSON log line goes (default: stdout); false for none. */
  accessLog?: ((line: string) => void) | false;
  /** Where unexpected errors are reported (default: stderr). */
  errorLog?: (line: string) => void;
}

export const DEFAULT_PORT = 7000;
export const DEFAULT_BODY_LIMIT = 22 * 1024 * 1024;

export type ResolvedServerOptions = Required<Omit<ServerOptions, "accessLog" | "errorLog" | "engine">> & {
  accessLog: ((line: string) => void) | undefined;
  errorLog: (line: string) => void;
  engine: EngineOptions;
};

/** Every server option validated at the door, naming the option and the bad value. */
export function resolveServerOptions(options: ServerOptions = {}): ResolvedServerOptions {
  if (typeof options !== "object" || options === null) throw invalidOption("options", "an object", options);
  const port = options.port ?? DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw invalidOption("port", "a port number from 0 to 65535", port);
  const host = options.host ?? "127.0.0.1";
  if (typeof host !== "string" || host === "") throw invalidOption("host", "a host name or address", host);
  const keys = options.keys ?? [];
  if (!Array.isArray(keys) || keys.some((key) => typeof key !== "string" || key.trim() === "")) {
    throw invalidOption("keys", "a list of non-empty strings", "(not shown: keys are secret)");
  }
  const rateLimit = options.rateLimit ?? 0;
  if (rateLimit !== 0) positiveInteger("rateLimit", rateLimit, 0);
  const allow = options.allowPrivateHosts ?? [];
  if (!Array.isArray(allow) || allow.some((entry) => typeof entry !== "string"))
    throw invalidOption("allowPrivateHosts", "a list of strings", allow);
  const engine = options.engine ?? {};
  checkModelChoice(engine);
  return {
    port,
    host,
    keys,
    rateLimit,
    bodyLimit: positiveInteger("bodyLimit", options.bodyLimit, DEFAULT_BODY_LIMIT),
    queueSize: nonNegative("queueSize", options.queueSize, 16),
    concurrency: positiveInteger("concurrency", options.concurrency, 2),
    allowPrivateHosts: allow,
    fetchTimeoutMs: timeoutMilliseconds("fetchTimeoutMs", options.fetchTimeoutMs, DEFAULT_TIMEOUT_MS),
    requestTimeoutMs: timeoutMilliseconds("requestTimeoutMs", options.requestTimeoutMs, 120_000),
    shutdownGraceMs: timeoutMilliseconds("shutdownGraceMs", options.shutdownGraceMs, 60_000),
    maxPixels: positiveInteger("maxPixels", options.maxPixels, DEFAULT_MAX_PIXELS),
    maxPngPixels: positiveInteger("maxPngPixels", options.maxPngPixels, DEFAULT_MAX_PNG_PIXELS),
    engine,
    accessLog: options.accessLog === false ? undefined : (options.accessLog ?? ((line) => process.stdout.write(`${line}\n`))),
    errorLog: options.errorLog ?? ((line) => process.stderr.write(`${line}\n`)),
  };
}

function nonNegative(field: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0)
    throw invalidOption(field, "a whole number, 0 or more", value);
  return value;
}
