import { invalidOption } from "../../errors.js";
import { parseBackgroundColor, parseBlurRadius, parseImageUrl } from "../backgrounds.js";
import { parseColorField } from "../colors.js";
import { copyOptions } from "../defaults.js";
import { type FieldError, PLAIN_STYLE } from "../draft.js";
import { parseOffset, parseShadowBlur } from "../shadow.js";
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
 * fapihub's RemoveBG API (https://fapihub.com/v2/rembg/...). fapihub picks
 * the effect by endpoint (/blur/, /color/, /gradient/, /shadow/); here the
 * fields themselves say which: `radius` blurs the background, `bgcolor`
 * colours it, `top_color` + `bottom_color` paint a vertical gradient, and any
 * of `shadow_color` / `offset` / `blur_radius` adds a drop shadow. fapihub has
 * no format field: its output is PNG.
 *
 * fapihub's shadow has no opacity field; its colour's alpha is the opacity,
 * default "0, 0, 0, 150" (the default fapihub's own MCP server documents for
 * add_shadow). So shadows here are drawn at opacity 1 with that colour.
 */

export const FAPIHUB_IMAGE_FIELDS: ReadonlyMap<string, ImageKind> = new Map<string, ImageKind>([
  ["image", "file"],
  ["url", "url"],
]);

/**
 * fapihub's `model` (falcon | aurora | ghost) picks one of its hosted models.
 * Cutout runs its own model, which stands in for fapihub's default; asking
 * for a specific other model cannot be honoured, and is said so.
 */
function parseModel(value: string, field: string): "falcon" {
  if (value.trim().toLowerCase() === "falcon") return "falcon";
  throw invalidOption(
    field,
    "'falcon' (fapihub's default model; Cutout runs its own local model in its place, and cannot run aurora or ghost)",
    value,
  );
}

export const FAPIHUB_FIELDS: ReadonlyMap<string, FieldParser> = new Map<string, FieldParser>([
  ["radius", background(parseBlurRadius)],
  ["bgcolor", background(parseBackgroundColor)],
  ["top_color", slot("topColor", parseColorField)],
  ["bottom_color", slot("bottomColor", parseColorField)],
  ["shadow_color", slot("shadowColor", parseColorField)],
  ["offset", slot("shadowOffset", parseOffset)],
  ["blur_radius", slot("shadowBlur", parseShadowBlur)],
  ["model", checkOnly(parseModel)],
]);

const base = copyOptions();
base.shadow.color = [0, 0, 0, 150];
base.shadow.opacity = 1;

const SPEC: DialectSpec = {
  label: "fapihub",
  base,
  imageFields: FAPIHUB_IMAGE_FIELDS,
  imageCheck: { url: (raw, field) => parseImageUrl(raw, field) },
  fields: FAPIHUB_FIELDS,
  names: { width: "width", height: "height", crop: "crop", shadowType: "shadow_type", topColor: "top_color", bottomColor: "bottom_color" },
  style: PLAIN_STYLE,
  hints: new Map([
    ["image_url", "url"],
    ["bg_color", "bgcolor"],
    ["blur", "radius"],
  ]),
  unknown: unknownField("fapihub"),
  shadowOpacity: () => 1,
};

export function parseFapihub(fields: Readonly<Record<string, string>>): DialectResult {
  return runDialect(SPEC, fields);
}

/** fapihub's endpoints under /v2/rembg/ and the fields each requires; the plain endpoint takes none. */
export const FAPIHUB_ENDPOINTS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  "": [],
  blur: ["radius"],
  color: ["bgcolor"],
  gradient: ["top_color", "bottom_color"],
  shadow: ["shadow_color", "offset", "blur_radius"],
});

/**
 * What an endpoint adds to parseFapihub: its required fields must be there,
 * and another endpoint's fields are refused (a `radius` sent to /color/ would
 * otherwise blur what the caller asked to colour).
 */
export function checkFapihubEndpoint(endpoint: string, fields: Readonly<Record<string, string>>): FieldError[] {
  const path = (name: string) => `/v2/rembg/${name === "" ? "" : `${name}/`}`;
  const own = FAPIHUB_ENDPOINTS[endpoint];
  if (own === undefined) return [{ field: "endpoint", value: endpoint, message: `fapihub has no endpoint ${path(endpoint)}` }];
  const errors: FieldError[] = [];
  for (const field of own) {
    if (!Object.hasOwn(fields, field)) errors.push({ field, value: "", message: `${field} is required by ${path(endpoint)}` });
  }
  for (const [other, owned] of Object.entries(FAPIHUB_ENDPOINTS)) {
    if (other === endpoint) continue;
    for (const field of owned) {
      if (Object.hasOwn(fields, field) && !own.includes(field)) {
        errors.push({ field, value: fields[field]!, message: `${field} belongs to ${path(other)}, not ${path(endpoint)}` });
      }
    }
  }
  return errors;
}
