import { type Rgba, parseColor } from "./color.js";
import { invalidOption } from "./errors.js";

export const OUTPUT_FORMATS = ["png", "webp", "jpg", "zip", "mask"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** remove.bg refuses inputs above 50 megapixels; so do we, unless told otherwise. */
export const DEFAULT_MAX_PIXELS = 50_000_000;
/** Upper bound on bytes read from a stream or URL, so a hostile source cannot exhaust memory. */
export const DEFAULT_MAX_INPUT_BYTES = 256 * 1024 * 1024;

/** What a caller may pass; every field optional, every value checked by `resolveOptions`. */
export interface RemoveOptions {
  format?: OutputFormat | "jpeg";
  /** Background for formats without alpha (jpg); white by default. */
  bgColor?: string;
  /** Largest input, in pixels (width x height), checked before decoding. `false` lifts the limit. */
  maxPixels?: number | false;
  /** Largest input, in bytes, read from a stream or URL. */
  maxInputBytes?: number;
  /** Network timeout for URL inputs, in milliseconds. */
  timeoutMs?: number;
}

export interface ResolvedOptions {
  format: OutputFormat;
  bgColor: Rgba;
  maxPixels: number;
  maxInputBytes: number;
  timeoutMs: number;
}

const KNOWN = new Set(["format", "bgColor", "maxPixels", "maxInputBytes", "timeoutMs"]);

/** Validates options at the door, naming the option and the bad value, as sharp does. */
export function resolveOptions(options: RemoveOptions = {}): ResolvedOptions {
  if (typeof options !== "object" || options === null) throw invalidOption("options", "an object", options);
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key) && (options as Record<string, unknown>)[key] !== undefined && !ENGINE_KEYS.has(key)) {
      throw invalidOption(key, `one of the known options (${[...KNOWN].join(", ")})`, key);
    }
  }
  return {
    format: resolveFormat(options.format),
    bgColor: options.bgColor === undefined ? [255, 255, 255, 255] : parseColor(options.bgColor, "bgColor"),
    maxPixels: options.maxPixels === false ? Number.MAX_SAFE_INTEGER : positiveInteger("maxPixels", options.maxPixels, DEFAULT_MAX_PIXELS),
    maxInputBytes: positiveInteger("maxInputBytes", options.maxInputBytes, DEFAULT_MAX_INPUT_BYTES),
    timeoutMs: positiveInteger("timeoutMs", options.timeoutMs, 30_000),
  };
}

/** Engine settings that may travel in the same object as the per-image options. */
const ENGINE_KEYS = new Set(["model", "modelPath", "threads", "cacheDir", "onModelProgress", "runtime", "signal"]);

export function resolveFormat(format: unknown): OutputFormat {
  if (format === undefined) return "png";
  if (format === "jpeg") return "jpg";
  if (typeof format === "string" && (OUTPUT_FORMATS as readonly string[]).includes(format)) return format as OutputFormat;
  throw invalidOption("format", `one of ${OUTPUT_FORMATS.join(", ")}`, format);
}

export function positiveInteger(field: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
    throw invalidOption(field, "a positive integer", value);
  }
  return value;
}
