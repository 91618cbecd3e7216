import { invalidOption } from "../../errors.js";
import { parseImageUrl } from "../backgrounds.js";
import { parseColorField } from "../colors.js";
import { copyOptions } from "../defaults.js";
import { PLAIN_STYLE } from "../draft.js";
import { inRange, parseBoolean, parseInteger } from "../scalars.js";
import {
  background,
  checkOnly,
  type DialectResult,
  type DialectSpec,
  type FieldParser,
  type ImageKind,
  runDialect,
  slot,
  unknownField,
} from "./engine.js";

/**
 * rembg's own HTTP server (`rembg s`): `POST /api/remove` with the multipart
 * field `file`, `GET /api/remove?url=`. Its parameters map where Cutout has
 * the same thing: `om` (only mask) is channels=alpha, `bgc` ("r,g,b,a") a
 * background colour. Its output is always PNG.
 *
 * `a` (alpha matting) with `af`, `ab`, `ae`, and `ppm` (post-process mask)
 * tune rembg's own edge clean-up; Cutout always refines edges with its guided
 * filter, so these are checked against rembg's ranges and change nothing.
 * `extras` (JSON for rembg's session) is accepted and ignored, as rembg does
 * when it does not parse.
 */

export const REMBG_IMAGE_FIELDS: ReadonlyMap<string, ImageKind> = new Map<string, ImageKind>([
  ["file", "file"],
  ["url", "url"],
]);

/** rembg's default model and the ISNet it names isnet-general-use are what Cutout runs; others cannot be honoured. */
const MODELS = new Set(["u2net", "isnet-general-use"]);

function parseModel(value: string, field: string): string {
  const name = value.trim();
  if (MODELS.has(name)) return name;
  throw invalidOption(
    field,
    "'u2net' or 'isnet-general-use' (Cutout runs its own ISNet model in their place, and cannot run other rembg models)",
    value,
  );
}

/** rembg's "r,g,b,a" (0..255 each, as its server splits and ints them); three channels mean opaque. */
function parseBgc(value: string, field: string) {
  if (!/^\s*\d{1,3}\s*(,\s*\d{1,3}\s*){2,3}$/.test(value)) throw invalidOption(field, "r,g,b,a with each 0..255", value);
  try {
    return { type: "color" as const, color: parseColorField(`(${value})`, field) };
  } catch {
    throw invalidOption(field, "r,g,b,a with each 0..255", value);
  }
}

function byteRange(min: number, max: number) {
  return (value: string, field: string) => inRange(parseInteger(value, field), field, min, max, `an integer from ${min} to ${max}`, value);
}

export const REMBG_FIELDS: ReadonlyMap<string, FieldParser> = new Map<string, FieldParser>([
  ["om", slot("channels", (raw, field) => (parseBoolean(raw, field) ? "alpha" : "rgba"))],
  ["bgc", background(parseBgc)],
  ["a", checkOnly(parseBoolean)],
  ["af", checkOnly(byteRange(0, 255))],
  ["ab", checkOnly(byteRange(0, 255))],
  ["ae", checkOnly(byteRange(0, Number.MAX_SAFE_INTEGER))],
  ["ppm", checkOnly(parseBoolean)],
  ["model", checkOnly(parseModel)],
  ["extras", checkOnly(() => undefined)],
]);

const base = copyOptions();
base.format = "png";

const SPEC: DialectSpec = {
  label: "rembg",
  base,
  imageFields: REMBG_IMAGE_FIELDS,
  imageCheck: { url: (raw, field) => parseImageUrl(raw, field) },
  fields: REMBG_FIELDS,
  names: { width: "width", height: "height", crop: "crop", shadowType: "shadow_type", topColor: "top_color", bottomColor: "bottom_color" },
  style: PLAIN_STYLE,
  hints: new Map([
    ["image", "file"],
    ["only_mask", "om"],
    ["bgcolor", "bgc"],
    ["alpha_matting", "a"],
  ]),
  unknown: unknownField("rembg"),
};

export function parseRembg(fields: Readonly<Record<string, string>>): DialectResult {
  return runDialect(SPEC, fields);
}
