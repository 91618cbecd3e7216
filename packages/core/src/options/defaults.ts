import type { CanonicalOptions } from "./canonical.js";
import { zeroMargin } from "./lengths.js";
import { DEFAULT_SHADOW_BLUR, DEFAULT_SHADOW_COLOR, DEFAULT_SHADOW_OFFSET, SHADOW_DEFAULT_OPACITY } from "./shadow.js";

/**
 * The library's defaults: what the JS API, the CLI and the minimal dialect
 * start from. Each paid-API dialect starts from a copy with that API's own
 * defaults instead (remove.bg's format is `auto`, rembg.com's is webp), so a
 * migrated request keeps its meaning.
 *
 * - size: original. remove.bg's own default is `preview` (0.25 MP) to save
 *   credits; locally nothing is saved by shrinking, so no dialect defaults to it.
 * - format: png, the one lossless format with alpha everyone decodes.
 * - expand: true, rembg.com's documented default (rembg.com API usage page:
 *   "expand, boolean, default true, add padding so rotated images aren't cropped").
 * - shadow: none; its other fields hold a drop shadow's defaults, so a host
 *   that only switches the type on gets a sensible shadow.
 * - semitransparency: true, as remove.bg documents.
 */
export const DEFAULT_OPTIONS: CanonicalOptions = deepFreeze({
  size: { kind: "original" },
  format: "png",
  channels: "rgba",
  background: { type: "none" },
  shadow: {
    type: "none",
    opacity: SHADOW_DEFAULT_OPACITY.drop,
    color: DEFAULT_SHADOW_COLOR,
    offset: DEFAULT_SHADOW_OFFSET,
    blur: DEFAULT_SHADOW_BLUR,
  },
  crop: false,
  cropMargin: zeroMargin(),
  scale: "original",
  position: { kind: "original" },
  roi: null,
  angle: 0,
  expand: true,
  semitransparency: true,
  subject: "auto",
});

/** A mutable deep copy of the defaults (or of any options), for callers that build on them. */
export function copyOptions(options: CanonicalOptions = DEFAULT_OPTIONS): CanonicalOptions {
  return structuredCopy(options);
}

function structuredCopy<T>(value: T): T {
  if (value instanceof Uint8Array) return value.slice() as T;
  if (Array.isArray(value)) return value.map((item) => structuredCopy(item)) as T;
  if (value !== null && typeof value === "object") {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = structuredCopy(item);
    return copy as T;
  }
  return value;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}
