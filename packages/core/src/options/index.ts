/**
 * The options model: one canonical shape (canonical.ts), the parsers that
 * fill it from each API's form fields, and the JS API's CutoutOptions. Pure:
 * no Node built-ins, so it also runs in a browser.
 */

export { parseImageUrl } from "./backgrounds.js";
export type * from "./canonical.js";
export { copyOptions, DEFAULT_OPTIONS } from "./defaults.js";
export { checkFapihubEndpoint, FAPIHUB_ENDPOINTS, parseFapihub } from "./dialects/fapihub.js";
export {
  DIALECT_FIELDS,
  DIALECT_NAMES,
  DIALECTS,
  type DialectFields,
  type DialectName,
  type DialectParser,
  type DialectResult,
  type ImageKind,
  parseDialect,
} from "./dialects/index.js";
export { parseMinimal } from "./dialects/minimal.js";
export { parseRembg } from "./dialects/rembg.js";
export { parseRembgCom } from "./dialects/rembg-com.js";
export { parseRemoveBg } from "./dialects/removebg.js";
export type { FieldError } from "./draft.js";
export * from "./fields.js";
export { OPTION_FIELDS, type OptionField } from "./option-fields.js";
export {
  CUTOUT_OPTION_NAMES,
  type CutoutOptions,
  type GradientInput,
  resolveCanonical,
  type Spelling,
  type ValidationResult,
  validateCutoutOptions,
} from "./resolve.js";
