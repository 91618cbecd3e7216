/**
 * One parser per field type, each `(value: string, field: string)` returning
 * the typed value or throwing a validation_error that names the field and the
 * value it got. They live in small files by subject; this is the index.
 */

export {
  parseBackgroundColor,
  parseBackgroundFile,
  parseBackgroundImage,
  parseBlurRadius,
  parseGradient,
  parseImageUrl,
  verticalGradient,
} from "./backgrounds.js";
export { parseColorField } from "./colors.js";
export {
  CHANNELS,
  FORMATS,
  parseChannels,
  parseFormat,
  parseSubject,
  parseTypeLevel,
  SUBJECTS,
  type Subject,
  TYPE_LEVELS,
  type TypeLevel,
} from "./formats.js";
export { parseAngle, parsePosition, parseRegion, parseRoi, parseScale } from "./geometry.js";
export { MARGIN_LIMIT, parseLength, parseMargin } from "./lengths.js";
export { parseBoolean, parseEnum, parseInteger, parseNumber, parsePositiveInteger, splitList } from "./scalars.js";
export {
  parseOffset,
  parseShadowBlur,
  parseShadowOpacity,
  parseShadowType,
  resolveShadowType,
  SHADOW_DEFAULT_OPACITY,
  SHADOW_TYPES,
  type ShadowTypeInput,
} from "./shadow.js";
export {
  LONG_SIDE_PRESET_NAMES,
  LONG_SIDE_PRESETS,
  MEGAPIXEL_PRESET_NAMES,
  MEGAPIXEL_PRESETS,
  parseDimension,
  parseLongSideSize,
  parseMegapixelSize,
} from "./sizes.js";
