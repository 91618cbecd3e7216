import type { Rgba } from "../../color.js";
import { CutoutError } from "../../errors.js";
import type { FormatSpec } from "../canonical.js";
import { parseColorField } from "../colors.js";
import { copyOptions } from "../defaults.js";
import type { MessageStyle } from "../draft.js";
import { type DialectResult, type DialectSpec, type FieldParser, type ImageKind, runDialect, slot } from "./engine.js";

/**
 * rembg.com's POST form (the one its rembg.js client sends): image, w, h,
 * exact_resize, mask, bg_color, angle, expand, format. Its documented
 * defaults: format webp, exact_resize false, angle 0, expand true.
 *
 * Error texts follow rembg.com's own style, "'w' must be an integer, got:
 * 'abc'", so clients that match on them keep working.
 *
 * Two things rembg.com lets pass that are refused here, because the request
 * would otherwise not do what it says: `mask=true` with `bg_color` (rembg.com
 * ignores the colour) and `exact_resize=true` without both `w` and `h`.
 */

export const REMBG_COM_IMAGE_FIELDS: ReadonlyMap<string, ImageKind> = new Map<string, ImageKind>([
  ["image", "file"],
  ["file", "file"],
]);

function fail(field: string, rule: string, got: string): CutoutError {
  return new CutoutError("validation_error", `'${field}' ${rule}, got: '${got}'`, { field });
}

function integer(raw: string, field: string): number {
  const text = raw.trim();
  if (!/^[+-]?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw fail(field, "must be an integer", raw);
  const number = Number(text);
  if (number < 1) throw fail(field, "must be a positive integer", raw);
  return number;
}

function boolean(raw: string, field: string): boolean {
  const word = raw.trim().toLowerCase();
  if (word === "true" || word === "1" || word === "yes") return true;
  if (word === "false" || word === "0" || word === "no") return false;
  throw fail(field, "must be a boolean (true or false)", raw);
}

function angle(raw: string, field: string): number {
  const text = raw.trim();
  if (!/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/.test(text)) throw fail(field, "must be a number", raw);
  const degrees = Number(text);
  if (!(degrees >= -360 && degrees <= 360)) throw fail(field, "must be between -360 and 360", raw);
  return degrees;
}

function format(raw: string, field: string): FormatSpec {
  const word = raw.trim().toLowerCase();
  if (word === "webp" || word === "png") return word;
  throw fail(field, "must be one of 'webp', 'png'", raw);
}

function color(raw: string, field: string): Rgba {
  try {
    return parseColorField(raw, field);
  } catch {
    throw fail(field, "must be a hex color (e.g. #FFFFFFFF) or a color name", raw);
  }
}

export const REMBG_COM_FIELDS: ReadonlyMap<string, FieldParser> = new Map<string, FieldParser>([
  ["w", slot("width", integer)],
  ["h", slot("height", integer)],
  ["exact_resize", slot("exactResize", boolean)],
  ["mask", slot("channels", (raw, field) => (boolean(raw, field) ? "alpha" : "rgba"))],
  [
    "bg_color",
    (raw, field, draft) => {
      draft.backgrounds.push({ value: { type: "color", color: color(raw, field) }, field, raw });
    },
  ],
  ["angle", slot("angle", angle)],
  ["expand", slot("expand", boolean)],
  ["format", slot("format", format)],
]);

const STYLE: MessageStyle = {
  conflict: (a, b) => `'${a}' cannot be combined with '${b}'`,
  requires: (field, what) => `'${field}' requires ${what}`,
};

const base = copyOptions();
base.format = "webp";

const SPEC: DialectSpec = {
  label: "rembg.com",
  base,
  imageFields: REMBG_COM_IMAGE_FIELDS,
  fields: REMBG_COM_FIELDS,
  names: {
    width: "'w'",
    height: "'h'",
    crop: "'crop'",
    shadowType: "'shadow_type'",
    topColor: "'top_color'",
    bottomColor: "'bottom_color'",
  },
  style: STYLE,
  hints: new Map([
    ["width", "w"],
    ["height", "h"],
    ["returnMask", "mask"],
    ["return_mask", "mask"],
  ]),
  unknown: (field, value, suggestion) =>
    `'${field}' is not a supported parameter${suggestion === undefined ? "" : ` (did you mean '${suggestion}'?)`}, got: '${value}'`,
};

export function parseRembgCom(fields: Readonly<Record<string, string>>): DialectResult {
  return runDialect(SPEC, fields);
}
