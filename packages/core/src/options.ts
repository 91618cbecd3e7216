import { invalidOption } from "./errors.js";
import type { CanonicalOptions } from "./options/canonical.js";
import { type CutoutOptions, resolveCanonical } from "./options/resolve.js";
import { DEFAULT_MAX_PNG_PIXELS } from "./render.js";

/** remove.bg refuses inputs above 50 megapixels; so do we, unless told otherwise. */
export const DEFAULT_MAX_PIXELS = 50_000_000;
/** Upper bound on bytes read from a stream or URL, so a hostile source cannot exhaust memory. */
export const DEFAULT_MAX_INPUT_BYTES = 256 * 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 30_000;

/** Limits on untrusted input, checked before any work. */
export interface InputLimits {
  /** Largest input, in pixels (width x height), checked from the header before decoding. `false` lifts the limit. */
  maxPixels?: number | false;
  /** Largest input, in bytes, read from a stream or URL. */
  maxInputBytes?: number;
  /** Network timeout for URL inputs (and background images), in milliseconds. */
  timeoutMs?: number;
  /** Largest PNG output, in pixels; remove.bg's 10 MP by default. `false` lifts it. */
  maxPngPixels?: number | false;
}

/**
 * What `removeBackground` takes per image: every option of the canonical
 * model in remove.bg's meaning (see OPTION_FIELDS), plus input limits.
 * `format: "mask"` is shorthand for `channels: "alpha"` as a PNG.
 */
export interface RemoveOptions extends Omit<CutoutOptions, "format">, InputLimits {
  format?: CutoutOptions["format"] | "mask";
}

/**
 * Options a dialect parser (parseDialect) has already read and checked, with
 * the input limits: how an HTTP host passes a request in remove.bg's or
 * rembg.com's terms straight through.
 */
export interface ParsedOptions extends InputLimits {
  canonical: CanonicalOptions;
}

export interface ResolvedOptions {
  canonical: CanonicalOptions;
  maxPixels: number;
  maxInputBytes: number;
  timeoutMs: number;
  maxPngPixels: number;
}

const LIMIT_KEYS = ["maxPixels", "maxInputBytes", "timeoutMs", "maxPngPixels"] as const;

/** Validates everything at the door, naming the option and the bad value, as sharp does. */
export function resolveOptions(options: RemoveOptions | ParsedOptions = {}): ResolvedOptions {
  if (typeof options !== "object" || options === null) throw invalidOption("options", "an object", options);
  const { maxPixels, maxInputBytes, timeoutMs, maxPngPixels, ...request } = options;
  return {
    canonical: "canonical" in request ? request.canonical : canonicalOf(request),
    maxPixels: maxPixels === false ? Number.MAX_SAFE_INTEGER : positiveInteger("maxPixels", maxPixels, DEFAULT_MAX_PIXELS),
    maxInputBytes: positiveInteger("maxInputBytes", maxInputBytes, DEFAULT_MAX_INPUT_BYTES),
    timeoutMs: timeoutMilliseconds("timeoutMs", timeoutMs, DEFAULT_TIMEOUT_MS),
    maxPngPixels: maxPngPixels === false ? Number.MAX_SAFE_INTEGER : positiveInteger("maxPngPixels", maxPngPixels, DEFAULT_MAX_PNG_PIXELS),
  };
}

function canonicalOf({ format, ...rest }: Omit<RemoveOptions, keyof InputLimits>): CanonicalOptions {
  return resolveCanonical(withoutUndefined(format === "mask" ? { ...rest, format: "png", channels: "alpha" } : { ...rest, format }));
}

/** Engine settings may travel in the same object; they are not image options. */
const ENGINE_KEYS = new Set([
  "model",
  "modelPath",
  "threads",
  "cacheDir",
  "onModelProgress",
  "runtime",
  "engine",
  "remote",
  "quality",
  "inputSize",
  "precision",
]);

function withoutUndefined(options: CutoutOptions): CutoutOptions {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) if (value !== undefined && !ENGINE_KEYS.has(key)) out[key] = value;
  return out as CutoutOptions;
}

export function positiveInteger(field: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
    throw invalidOption(field, "a positive integer", value);
  }
  return value;
}

/** Node's timers hold 2^31 - 1 ms (about 24.8 days); a longer timeout would fire after 1 ms, or throw. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export function timeoutMilliseconds(field: string, value: unknown, fallback: number): number {
  const ms = positiveInteger(field, value, fallback);
  if (ms > MAX_TIMEOUT_MS) throw invalidOption(field, `a positive integer of at most ${MAX_TIMEOUT_MS} (milliseconds)`, value);
  return ms;
}

export { LIMIT_KEYS };
