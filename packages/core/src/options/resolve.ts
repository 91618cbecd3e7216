import type { Rgba } from "../color.js";
import { CutoutError, invalidOption } from "../errors.js";
import {
  backgroundImageFromBytes,
  blurFrom,
  gradientFrom,
  type LooseStop,
  parseBackgroundColor,
  parseBackgroundImage,
  parseBlurRadius,
  parseGradient,
} from "./backgrounds.js";
import type { BackgroundSpec, CanonicalOptions, SizeSpec } from "./canonical.js";
import { isRgba, parseColorField } from "./colors.js";
import { DEFAULT_OPTIONS } from "./defaults.js";
import { suggest } from "./dialects/engine.js";
import { assemble, type Draft, emptyDraft, type FieldError, type FieldNames, type Given, PLAIN_STYLE } from "./draft.js";
import { parseChannels, parseFormat, parseSubject } from "./formats.js";
import { angleFrom, parseAngle, parsePosition, parseRegion, parseScale, scaleFromPercent } from "./geometry.js";
import { MARGIN_LIMIT, marginFrom, parseMargin } from "./lengths.js";
import { inRange, parseBoolean, parsePositiveInteger, positiveIntegerFrom } from "./scalars.js";
import {
  offsetFrom,
  parseOffset,
  parseShadowBlur,
  parseShadowOpacity,
  parseShadowType,
  shadowBlurFrom,
  shadowOpacityFrom,
} from "./shadow.js";
import { parseMegapixelSize } from "./sizes.js";

/**
 * The JS API's options (and every host's settings): remove.bg's options and
 * meanings in camelCase, plus the few that only other APIs have. Each takes
 * the typed value or the same text a form would carry, so a CLI or n8n host
 * can pass its strings straight through. Numbers use remove.bg's units:
 * `scale` and `shadowOpacity` are percentages, lengths are pixels.
 */
export interface CutoutOptions {
  /** remove.bg size preset: preview/small/regular (0.25 MP), medium (1.5 MP), hd (4 MP), full/4k (25 MP), 50MP, auto (original). Or a SizeSpec. */
  size?: SizeName | SizeSpec;
  /** Output width in pixels (rembg.com `w`); aspect ratio kept unless exactResize. */
  width?: number | Text;
  /** Output height in pixels (rembg.com `h`). */
  height?: number | Text;
  /** Resize to exactly width x height, distorting if need be (rembg.com `exact_resize`). */
  exactResize?: boolean | Text;
  format?: "auto" | "png" | "jpg" | "jpeg" | "webp" | "bmp" | "zip" | Text;
  channels?: "rgba" | "alpha" | "rgb" | Text;
  /** The subject hint (remove.bg `type`). */
  type?: CanonicalOptions["subject"] | Text;
  bgColor?: Text | Rgba;
  /** An http(s) URL, a file path, or the image's bytes (remove.bg `bg_image_url` / `bg_image_file`). */
  bgImage?: Text | Uint8Array;
  /** `linear-gradient(45deg, red, #00f 40%, white)`, its inner list, or angle and stops. */
  bgGradient?: Text | GradientInput;
  /** Blur the photo's own background, radius 1..50 (fapihub `radius`). */
  bgBlur?: number | Text;
  shadowType?: "none" | "drop" | "3D" | "car" | "auto" | Text;
  /** 0..100. */
  shadowOpacity?: number | Text;
  shadowColor?: Text | Rgba;
  /** x and y in pixels: "(10, 10)", "10,10", "10 10" or [10, 10]. */
  shadowOffset?: Text | readonly [number, number];
  /** Shadow blur radius in pixels, 0 or more (fapihub `blur_radius`). */
  shadowBlur?: number | Text;
  crop?: boolean | Text;
  /** "30px", "10%", "10px 5%" or "1 2 3 4" (CSS order); a number is pixels. */
  cropMargin?: number | Text;
  /** "10%".."100%" or "original"; a number is a percentage. */
  scale?: number | Text;
  /** "original", "center", "50%" or "50% 100%". */
  position?: Text;
  /** "x1 y1 x2 y2", each px or %; null for the whole image. */
  roi?: Text | null;
  /** Degrees, -360..360, counter-clockwise positive. */
  angle?: number | Text;
  /** Grow the canvas so a rotated image is not cropped. */
  expand?: boolean | Text;
  semitransparency?: boolean | Text;
}

/** Any string, without swallowing the literal unions' autocompletion. */
type Text = string & Record<never, never>;
type SizeName = "preview" | "small" | "regular" | "medium" | "hd" | "full" | "4k" | "50MP" | "auto" | Text;

export interface GradientInput {
  /** Degrees, CSS convention: 180 (the default) runs top to bottom. */
  angle?: number;
  /** At least two; `position` is a percentage, spread evenly where left out, as in CSS. */
  stops: ReadonlyArray<Text | Rgba | { color: Text | Rgba; position?: number }>;
}

type Handler = (value: unknown, name: string, draft: Draft) => void;

/**
 * How the caller's user spells an option, for messages and FieldError.field:
 * the JS API's camelCase by default; the CLI passes its flags (`--bg-color`).
 */
export type Spelling = (name: string) => string;

const NAMES: FieldNames = {
  width: "width",
  height: "height",
  crop: "crop",
  shadowType: "shadowType",
  topColor: "bgGradient",
  bottomColor: "bgGradient",
};

/** The text of a value for messages and FieldError.value. */
function show(value: unknown): string {
  if (typeof value === "string") return value;
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** A string goes through the form parser; any other type must be the one `typed` accepts. */
function either<T>(parse: (text: string, name: string) => T, typed: (value: unknown, name: string) => T | undefined, expected: string) {
  return (value: unknown, name: string): T => {
    if (typeof value === "string") return parse(value, name);
    const result = typed(value, name);
    if (result === undefined) throw invalidOption(name, expected, value);
    return result;
  };
}

const bool = either(parseBoolean, (v) => (typeof v === "boolean" ? v : undefined), "a boolean");
const num = <T>(parse: (text: string, name: string) => T, from: (n: number, name: string) => T, expected: string) =>
  either(parse, (v, name) => (typeof v === "number" ? from(v, name) : undefined), expected);
const color = either(parseColorField, (v) => (isRgba(v) ? v : undefined), "a colour: a string or [r, g, b, a] with each 0..255");

function slot<K extends Exclude<keyof Draft, "backgrounds">>(
  key: K,
  read: (value: unknown, name: string) => NonNullable<Draft[K]> extends Given<infer T> ? T : never,
): Handler {
  return (value, name, draft) => {
    const given = { value: read(value, name), field: name, raw: show(value) };
    (draft as Record<Exclude<keyof Draft, "backgrounds">, unknown>)[key] = given;
  };
}

function background(read: (value: unknown, name: string) => BackgroundSpec): Handler {
  return (value, name, draft) => {
    draft.backgrounds.push({ value: read(value, name), field: name, raw: show(value) });
  };
}

function sizeFrom(value: unknown, name: string): SizeSpec | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const size = value as Partial<Record<string, unknown>>;
  const positive = (n: unknown) => typeof n === "number" && Number.isSafeInteger(n) && n > 0;
  switch (size.kind) {
    case "original":
      return { kind: "original" };
    case "megapixels":
    case "longSide":
      if (!positive(size.pixels)) throw invalidOption(name, "a positive integer of pixels in the SizeSpec", value);
      return { kind: size.kind, pixels: size.pixels as number };
    case "explicit": {
      const { width, height, exact } = size;
      const ok =
        (width === undefined || positive(width)) &&
        (height === undefined || positive(height)) &&
        (width !== undefined || height !== undefined) &&
        typeof exact === "boolean" &&
        (!exact || (width !== undefined && height !== undefined));
      if (!ok)
        throw invalidOption(name, "an explicit SizeSpec: positive integer width and/or height, exact boolean (exact needs both)", value);
      return {
        kind: "explicit",
        ...(width === undefined ? {} : { width: width as number }),
        ...(height === undefined ? {} : { height: height as number }),
        exact,
      };
    }
    default:
      return undefined;
  }
}

function gradientInput(value: unknown, name: string): BackgroundSpec | undefined {
  if (value === null || typeof value !== "object" || !Array.isArray((value as GradientInput).stops)) return undefined;
  const input = value as GradientInput;
  if (input.angle !== undefined && typeof input.angle !== "number") throw invalidOption(name, "a gradient angle in degrees", value);
  const stops = input.stops.map((stop): LooseStop => {
    if (typeof stop === "string" || isRgba(stop)) return { color: color(stop, name) };
    if (stop === null || typeof stop !== "object") throw invalidOption(name, "gradient stops: colours or { color, position }", value);
    const { color: c, position } = stop as { color: unknown; position?: unknown };
    if (position !== undefined && typeof position !== "number") throw invalidOption(name, "a stop position as a percentage", value);
    return position === undefined ? { color: color(c, name) } : { color: color(c, name), at: position };
  });
  return gradientFrom(input.angle ?? 180, stops, name, value);
}

/** A typed [x, y]; offsetFrom refuses anything but two safe integers. */
function offsetPair(pair: unknown[], name: string): readonly [number, number] {
  const [x, y] = pair;
  return offsetFrom(typeof x === "number" ? x : Number.NaN, typeof y === "number" ? y : Number.NaN, name, pair);
}

const MARGIN_EXPECTED = `a margin in pixels from 0 to ${MARGIN_LIMIT.px}`;

const HANDLERS: ReadonlyMap<keyof CutoutOptions, Handler> = new Map<keyof CutoutOptions, Handler>([
  ["size", slot("size", either(parseMegapixelSize, sizeFrom, "a remove.bg size preset or a SizeSpec"))],
  ["width", slot("width", num(parsePositiveInteger, positiveIntegerFrom, "a positive integer"))],
  ["height", slot("height", num(parsePositiveInteger, positiveIntegerFrom, "a positive integer"))],
  ["exactResize", slot("exactResize", bool)],
  [
    "format",
    slot(
      "format",
      either(parseFormat, () => undefined, "a format name"),
    ),
  ],
  [
    "channels",
    slot(
      "channels",
      either(parseChannels, () => undefined, "a channels name"),
    ),
  ],
  [
    "type",
    slot(
      "subject",
      either(parseSubject, () => undefined, "a subject type"),
    ),
  ],
  ["bgColor", background(either(parseBackgroundColor, (v) => (isRgba(v) ? { type: "color", color: v } : undefined), "a colour"))],
  [
    "bgImage",
    background(
      either(
        parseBackgroundImage,
        (v, name) => (v instanceof Uint8Array ? backgroundImageFromBytes(v, name) : undefined),
        "a URL, a file path or image bytes",
      ),
    ),
  ],
  ["bgGradient", background(either(parseGradient, gradientInput, "a gradient string or { angle, stops }"))],
  ["bgBlur", background(num(parseBlurRadius, blurFrom, "a blur radius from 1 to 50"))],
  [
    "shadowType",
    slot(
      "shadowType",
      either(parseShadowType, () => undefined, "a shadow type"),
    ),
  ],
  ["shadowOpacity", slot("shadowOpacity", num(parseShadowOpacity, shadowOpacityFrom, "a shadow opacity from 0 to 100"))],
  ["shadowColor", slot("shadowColor", color)],
  [
    "shadowOffset",
    slot(
      "shadowOffset",
      either(
        parseOffset,
        (v, name) => (Array.isArray(v) && v.length === 2 ? offsetPair(v as unknown[], name) : undefined),
        "an offset [x, y]",
      ),
    ),
  ],
  ["shadowBlur", slot("shadowBlur", num(parseShadowBlur, shadowBlurFrom, "a shadow blur radius"))],
  ["crop", slot("crop", bool)],
  [
    "cropMargin",
    slot(
      "cropMargin",
      num(
        parseMargin,
        (n, name) => marginFrom([{ value: inRange(n, name, 0, MARGIN_LIMIT.px, MARGIN_EXPECTED, n), unit: "px" }]),
        MARGIN_EXPECTED,
      ),
    ),
  ],
  ["scale", slot("scale", num(parseScale, scaleFromPercent, "a percentage from 10 to 100, or 'original'"))],
  [
    "position",
    slot(
      "position",
      either(parsePosition, () => undefined, "a position string"),
    ),
  ],
  [
    "roi",
    slot(
      "roi",
      either(parseRegion, (v) => (v === null ? null : undefined), "a region string or null"),
    ),
  ],
  ["angle", slot("angle", num(parseAngle, angleFrom, "an angle in degrees from -360 to 360"))],
  ["expand", slot("expand", bool)],
  ["semitransparency", slot("semitransparency", bool)],
]);

/** Every CutoutOptions key, in the order OPTION_FIELDS lists them. */
export const CUTOUT_OPTION_NAMES: readonly (keyof CutoutOptions)[] = [...HANDLERS.keys()];

export type ValidationResult = { ok: true; options: CanonicalOptions } | { ok: false; errors: FieldError[] };

/**
 * Checks every option at once and reports every problem, naming the option
 * (camelCase) and quoting its value. Undefined values count as not given, as
 * JS callers spread optional settings; unknown keys are errors, so a typo
 * does not silently do nothing.
 */
export function validateCutoutOptions(input: unknown = {}, spell: Spelling = (name) => name): ValidationResult {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    return { ok: false, errors: [{ field: "options", value: show(input), message: invalidOption("options", "an object", input).message }] };
  }
  const errors: FieldError[] = [];
  const draft = emptyDraft();
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    const handler = HANDLERS.get(key as keyof CutoutOptions);
    const name = spell(key);
    if (!handler) {
      const guess = suggest(key, CUTOUT_OPTION_NAMES);
      const expected = guess === undefined ? "a known option" : `a known option (did you mean ${spell(guess)}?)`;
      errors.push({ field: name, value: show(value), message: invalidOption(name, expected, key).message });
      continue;
    }
    try {
      handler(value, name, draft);
    } catch (error) {
      errors.push({ field: name, value: show(value), message: error instanceof Error ? error.message : String(error) });
    }
  }
  const names = Object.fromEntries(Object.entries(NAMES).map(([slot, name]) => [slot, spell(name)])) as unknown as FieldNames;
  const options = assemble(draft, { base: DEFAULT_OPTIONS, names, style: PLAIN_STYLE }, errors);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, options };
}

/**
 * CutoutOptions -> CanonicalOptions, validated at the door. Throws a
 * validation_error for the first bad option (its `field`); the message also
 * lists the others, so one run shows everything to fix.
 */
export function resolveCanonical(input: CutoutOptions = {}, spell?: Spelling): CanonicalOptions {
  const result = validateCutoutOptions(input, spell);
  if (result.ok) return result.options;
  const [first, ...rest] = result.errors as [FieldError, ...FieldError[]];
  const more = rest.length === 0 ? "" : ` (also: ${rest.map((error) => error.message).join("; ")})`;
  throw new CutoutError("validation_error", first.message + more, { field: first.field });
}
