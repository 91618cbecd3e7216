import type { DialectParser, DialectResult, ImageKind } from "./engine.js";
import { FAPIHUB_FIELDS, FAPIHUB_IMAGE_FIELDS, parseFapihub } from "./fapihub.js";
import { MINIMAL_FIELDS, MINIMAL_IMAGE_FIELDS, parseMinimal } from "./minimal.js";
import { parseRembg, REMBG_FIELDS, REMBG_IMAGE_FIELDS } from "./rembg.js";
import { parseRembgCom, REMBG_COM_FIELDS, REMBG_COM_IMAGE_FIELDS } from "./rembg-com.js";
import { parseRemoveBg, REMOVEBG_FIELDS, REMOVEBG_IMAGE_FIELDS } from "./removebg.js";

export type { FieldError } from "../draft.js";
export type { DialectParser, DialectResult, ImageKind } from "./engine.js";
export { checkFapihubEndpoint, FAPIHUB_ENDPOINTS, FAPIHUB_FIELDS, FAPIHUB_IMAGE_FIELDS, parseFapihub } from "./fapihub.js";
export { MINIMAL_FIELDS, MINIMAL_IMAGE_FIELDS, parseMinimal } from "./minimal.js";
export { parseRembg, REMBG_FIELDS, REMBG_IMAGE_FIELDS } from "./rembg.js";
export { parseRembgCom, REMBG_COM_FIELDS, REMBG_COM_IMAGE_FIELDS } from "./rembg-com.js";
export { parseRemoveBg, REMOVEBG_FIELDS, REMOVEBG_IMAGE_FIELDS } from "./removebg.js";

export const DIALECT_NAMES = ["removebg", "bgcut", "rembg.com", "fapihub", "minimal", "rembg"] as const;
export type DialectName = (typeof DIALECT_NAMES)[number];

/** Every dialect by name. BgCut speaks remove.bg's API field for field, so it shares the parser. */
export const DIALECTS: Readonly<Record<DialectName, DialectParser>> = Object.freeze({
  removebg: parseRemoveBg,
  bgcut: parseRemoveBg,
  "rembg.com": parseRembgCom,
  fapihub: parseFapihub,
  minimal: parseMinimal,
  rembg: parseRembg,
});

/** A dialect's field names: those carrying the image (and how), and the options. For hosts that must know them up front (an HTTP server reading uploads, an API description). */
export interface DialectFields {
  image: ReadonlyMap<string, ImageKind>;
  options: readonly string[];
}

const fields = (image: ReadonlyMap<string, ImageKind>, options: ReadonlyMap<string, unknown>): DialectFields =>
  Object.freeze({ image, options: Object.freeze([...options.keys()]) });

export const DIALECT_FIELDS: Readonly<Record<DialectName, DialectFields>> = Object.freeze({
  removebg: fields(REMOVEBG_IMAGE_FIELDS, REMOVEBG_FIELDS),
  bgcut: fields(REMOVEBG_IMAGE_FIELDS, REMOVEBG_FIELDS),
  "rembg.com": fields(REMBG_COM_IMAGE_FIELDS, REMBG_COM_FIELDS),
  fapihub: fields(FAPIHUB_IMAGE_FIELDS, FAPIHUB_FIELDS),
  minimal: fields(MINIMAL_IMAGE_FIELDS, MINIMAL_FIELDS),
  rembg: fields(REMBG_IMAGE_FIELDS, REMBG_FIELDS),
});

/** Parses form fields in the named dialect; reports every bad field at once and never throws. */
export function parseDialect(dialect: DialectName, fields: Readonly<Record<string, string>>): DialectResult {
  if (!Object.hasOwn(DIALECTS, dialect)) {
    return {
      ok: false,
      errors: [
        {
          field: "dialect",
          value: String(dialect),
          message: `Unknown API dialect ${String(dialect)}: expected one of ${DIALECT_NAMES.join(", ")}`,
        },
      ],
    };
  }
  return DIALECTS[dialect](fields);
}
