import { parseBackgroundColor, parseBackgroundFile, parseImageUrl } from "../backgrounds.js";
import { copyOptions } from "../defaults.js";
import { PLAIN_STYLE } from "../draft.js";
import { parseChannels, parseFormat, parseSubject, parseTypeLevel } from "../formats.js";
import { parsePosition, parseRegion, parseScale } from "../geometry.js";
import { parseMargin } from "../lengths.js";
import { parseBoolean } from "../scalars.js";
import { parseShadowOpacity, parseShadowType } from "../shadow.js";
import { parseMegapixelSize } from "../sizes.js";
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
 * remove.bg's POST /v1.0/removebg form, which BgCut copies field for field.
 * Defaults differ from remove.bg's in one place on purpose: `size` defaults to
 * `auto` (the input's resolution) where remove.bg defaults to `preview`
 * (0.25 MP) to save credits, which a local tool has no reason to do.
 * `format` keeps remove.bg's default, `auto`.
 */

export const REMOVEBG_IMAGE_FIELDS: ReadonlyMap<string, ImageKind> = new Map<string, ImageKind>([
  ["image_file", "file"],
  ["image_file_b64", "base64"],
  ["image_url", "url"],
]);

export const REMOVEBG_FIELDS: ReadonlyMap<string, FieldParser> = new Map<string, FieldParser>([
  ["size", slot("size", parseMegapixelSize)],
  ["type", slot("subject", parseSubject)],
  // Only selects how finely remove.bg names the detected type in its response; checked, changes nothing here.
  ["type_level", checkOnly(parseTypeLevel)],
  ["format", slot("format", parseFormat)],
  ["roi", slot("roi", parseRegion)],
  ["crop", slot("crop", parseBoolean)],
  ["crop_margin", slot("cropMargin", parseMargin)],
  ["scale", slot("scale", parseScale)],
  ["position", slot("position", parsePosition)],
  ["channels", slot("channels", parseChannels)],
  ["add_shadow", slot("addShadow", parseBoolean)],
  ["semitransparency", slot("semitransparency", parseBoolean)],
  ["bg_color", background(parseBackgroundColor)],
  ["bg_image_url", background((raw, field) => ({ type: "image", source: parseImageUrl(raw, field) }))],
  ["bg_image_file", background(parseBackgroundFile)],
  ["shadow_type", slot("shadowType", parseShadowType)],
  ["shadow_opacity", slot("shadowOpacity", parseShadowOpacity)],
]);

const base = copyOptions();
base.format = "auto";

const SPEC: DialectSpec = {
  label: "remove.bg",
  base,
  imageFields: REMOVEBG_IMAGE_FIELDS,
  imageCheck: { url: (raw, field) => parseImageUrl(raw, field) },
  fields: REMOVEBG_FIELDS,
  names: { width: "width", height: "height", crop: "crop", shadowType: "shadow_type", topColor: "top_color", bottomColor: "bottom_color" },
  style: PLAIN_STYLE,
  hints: new Map([
    ["image", "image_file"],
    ["file", "image_file"],
    ["url", "image_url"],
    ["bg_image", "bg_image_url"],
  ]),
  unknown: unknownField("remove.bg"),
};

export function parseRemoveBg(fields: Readonly<Record<string, string>>): DialectResult {
  return runDialect(SPEC, fields);
}
