import { parseBackgroundColor } from "../backgrounds.js";
import { copyOptions } from "../defaults.js";
import { PLAIN_STYLE } from "../draft.js";
import { parseChannels, parseFormat } from "../formats.js";
import { parseBoolean } from "../scalars.js";
import { parseLongSideSize } from "../sizes.js";
import {
  background,
  type DialectResult,
  type DialectSpec,
  type FieldParser,
  type ImageKind,
  runDialect,
  slot,
  unknownField,
} from "./engine.js";

/**
 * The minimal API: five fields, the library's defaults. Its `size` is the
 * long-side table (preview 256 ... large 2048, full), not remove.bg's
 * megapixels: `size=medium` here caps the long side at 1024 px.
 */

/** The reference names the upload only "the image file"; the service it describes calls the field image_file. Both are read. */
export const MINIMAL_IMAGE_FIELDS: ReadonlyMap<string, ImageKind> = new Map<string, ImageKind>([
  ["image", "file"],
  ["image_file", "file"],
]);

export const MINIMAL_FIELDS: ReadonlyMap<string, FieldParser> = new Map<string, FieldParser>([
  ["format", slot("format", parseFormat)],
  ["channels", slot("channels", parseChannels)],
  ["bg_color", background(parseBackgroundColor)],
  ["size", slot("size", parseLongSideSize)],
  ["crop", slot("crop", parseBoolean)],
]);

const SPEC: DialectSpec = {
  label: "minimal",
  base: copyOptions(),
  imageFields: MINIMAL_IMAGE_FIELDS,
  fields: MINIMAL_FIELDS,
  names: { width: "width", height: "height", crop: "crop", shadowType: "shadow_type", topColor: "top_color", bottomColor: "bottom_color" },
  style: PLAIN_STYLE,
  unknown: unknownField("minimal"),
};

export function parseMinimal(fields: Readonly<Record<string, string>>): DialectResult {
  return runDialect(SPEC, fields);
}
