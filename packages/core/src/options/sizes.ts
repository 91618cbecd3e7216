import { invalidOption } from "../errors.js";
import type { SizeSpec } from "./canonical.js";
import { parsePositiveInteger } from "./scalars.js";

/**
 * Two preset tables share names with different meanings: remove.bg's
 * `medium` is a 1.5 megapixel budget, the long-side table's `medium` is a
 * 1024 px cap. Which table applies is the dialect's decision, so each has its
 * own parser and neither is a default of the other.
 */

/**
 * remove.bg `size`, as its API reference documents it: preview/small/regular
 * 0.25 MP, medium 1.5 MP, hd 4 MP, full/4k up to 25 MP, 50MP up to 50 MP and
 * auto the highest available. Locally there is no credit to save, so `auto`
 * keeps the input's resolution. Keys are lower case; lookups ignore case.
 */
export const MEGAPIXEL_PRESETS: Readonly<Record<string, SizeSpec>> = Object.freeze({
  preview: { kind: "megapixels", pixels: 250_000 },
  small: { kind: "megapixels", pixels: 250_000 },
  regular: { kind: "megapixels", pixels: 250_000 },
  medium: { kind: "megapixels", pixels: 1_500_000 },
  hd: { kind: "megapixels", pixels: 4_000_000 },
  full: { kind: "megapixels", pixels: 25_000_000 },
  "4k": { kind: "megapixels", pixels: 25_000_000 },
  "50mp": { kind: "megapixels", pixels: 50_000_000 },
  auto: { kind: "original" },
});

/** The names as remove.bg spells them, for messages and option lists. */
export const MEGAPIXEL_PRESET_NAMES = ["preview", "small", "regular", "medium", "hd", "full", "4k", "50MP", "auto"] as const;

/** Long-side caps: preview 256, small 512, medium 1024, large 2048 px; full keeps the input's resolution. */
export const LONG_SIDE_PRESETS: Readonly<Record<string, SizeSpec>> = Object.freeze({
  preview: { kind: "longSide", pixels: 256 },
  small: { kind: "longSide", pixels: 512 },
  medium: { kind: "longSide", pixels: 1024 },
  large: { kind: "longSide", pixels: 2048 },
  full: { kind: "original" },
});

export const LONG_SIDE_PRESET_NAMES = ["preview", "small", "medium", "large", "full"] as const;

export function parseMegapixelSize(value: string, field: string): SizeSpec {
  return lookup(MEGAPIXEL_PRESETS, value, field, MEGAPIXEL_PRESET_NAMES);
}

export function parseLongSideSize(value: string, field: string): SizeSpec {
  return lookup(LONG_SIDE_PRESETS, value, field, LONG_SIDE_PRESET_NAMES);
}

/** An explicit width or height in pixels (rembg.com `w` / `h`). */
export function parseDimension(value: string, field: string): number {
  return parsePositiveInteger(value, field);
}

function lookup(table: Readonly<Record<string, SizeSpec>>, value: string, field: string, names: readonly string[]): SizeSpec {
  const key = value.trim().toLowerCase();
  // hasOwn, not `in`: "constructor" must not find Object.prototype's.
  if (!Object.hasOwn(table, key)) throw invalidOption(field, `one of ${names.join(", ")}`, value);
  return copySize(table[key] as SizeSpec);
}

/** A fresh object, so callers may not alter the shared tables through a result. */
function copySize(size: SizeSpec): SizeSpec {
  return { ...size };
}
