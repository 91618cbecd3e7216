import type { DialectParser, DialectResult } from "./engine.js";
import { parseFapihub } from "./fapihub.js";
import { parseMinimal } from "./minimal.js";
import { parseRembgCom } from "./rembg-com.js";
import { parseRemoveBg } from "./removebg.js";

export type { FieldError } from "../draft.js";
export type { DialectParser, DialectResult, ImageKind } from "./engine.js";
export { FAPIHUB_FIELDS, FAPIHUB_IMAGE_FIELDS, parseFapihub } from "./fapihub.js";
export { MINIMAL_FIELDS, MINIMAL_IMAGE_FIELDS, parseMinimal } from "./minimal.js";
export { parseRembgCom, REMBG_COM_FIELDS, REMBG_COM_IMAGE_FIELDS } from "./rembg-com.js";
export { parseRemoveBg, REMOVEBG_FIELDS, REMOVEBG_IMAGE_FIELDS } from "./removebg.js";

export const DIALECT_NAMES = ["removebg", "bgcut", "rembg.com", "fapihub", "minimal"] as const;
export type DialectName = (typeof DIALECT_NAMES)[number];

/** Every dialect by name. BgCut speaks remove.bg's API field for field, so it shares the parser. */
export const DIALECTS: Readonly<Record<DialectName, DialectParser>> = Object.freeze({
  removebg: parseRemoveBg,
  bgcut: parseRemoveBg,
  "rembg.com": parseRembgCom,
  fapihub: parseFapihub,
  minimal: parseMinimal,
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
