import type { Rgba } from "../color.js";
import type {
  BackgroundSpec,
  CanonicalOptions,
  ChannelsSpec,
  FormatSpec,
  MarginSpec,
  PositionSpec,
  RegionSpec,
  ShadowSpec,
  ShadowType,
  SizeSpec,
} from "./canonical.js";
import { copyOptions } from "./defaults.js";
import type { Subject } from "./formats.js";
import { verticalGradient } from "./gradient.js";
import { isZeroMargin } from "./lengths.js";
import { defaultShadowOpacity, resolveShadowType, type ShadowTypeInput } from "./shadow.js";

/**
 * Parsing happens in two steps. Each field is parsed on its own into a Draft
 * (remembering which field said what), then `assemble` checks how the fields
 * combine and builds the CanonicalOptions. Dialects and the JS API share the
 * second step, so "bg_color with bg_image_url" is refused the same way
 * everywhere, in each caller's own spelling.
 */

/** One problem with one field, as dialect parsers report them (all at once). */
export interface FieldError {
  field: string;
  value: string;
  message: string;
}

/** A parsed value and where it came from, so combination errors can name the field and quote what it got. */
export interface Given<T> {
  value: T;
  field: string;
  raw: string;
}

export interface Draft {
  size?: Given<SizeSpec>;
  width?: Given<number>;
  height?: Given<number>;
  exactResize?: Given<boolean>;
  format?: Given<FormatSpec>;
  channels?: Given<ChannelsSpec>;
  subject?: Given<Subject>;
  /** Every background option given; more than one is an error. */
  backgrounds: Given<BackgroundSpec>[];
  topColor?: Given<Rgba>;
  bottomColor?: Given<Rgba>;
  shadowType?: Given<ShadowTypeInput>;
  /** remove.bg's deprecated `add_shadow`. */
  addShadow?: Given<boolean>;
  shadowOpacity?: Given<number>;
  shadowColor?: Given<Rgba>;
  shadowOffset?: Given<readonly [number, number]>;
  shadowBlur?: Given<number>;
  crop?: Given<boolean>;
  cropMargin?: Given<MarginSpec>;
  scale?: Given<number | "original">;
  position?: Given<PositionSpec>;
  roi?: Given<RegionSpec | null>;
  angle?: Given<number>;
  expand?: Given<boolean>;
  semitransparency?: Given<boolean>;
}

export function emptyDraft(): Draft {
  return { backgrounds: [] };
}

/** How a caller words combination errors (rembg.com has its own style). */
export interface MessageStyle {
  /** `a` and `b` were both given but exclude each other. */
  conflict(a: string, b: string): string;
  /** `field` was given but only works with `what` (e.g. "crop=true"). */
  requires(field: string, what: string): string;
}

export const PLAIN_STYLE: MessageStyle = {
  conflict: (a, b) => `${a} and ${b} cannot be combined: give only one of them`,
  requires: (field, what) => `${field} requires ${what}`,
};

/** The caller's spelling of fields that combination messages mention but that may not have been given. */
export interface FieldNames {
  width: string;
  height: string;
  crop: string;
  shadowType: string;
  topColor: string;
  bottomColor: string;
}

export interface AssembleContext {
  base: CanonicalOptions;
  names: FieldNames;
  style: MessageStyle;
  /** Opacity of a shadow whose opacity was not given; remove.bg's per-type values unless a dialect says otherwise. */
  shadowOpacity?: (type: ShadowType) => number;
}

/** Builds CanonicalOptions from a draft, pushing every combination problem onto `errors`. */
export function assemble(draft: Draft, context: AssembleContext, errors: FieldError[]): CanonicalOptions {
  const options = copyOptions(context.base);
  const fail = (given: Given<unknown>, message: string) => errors.push({ field: given.field, value: given.raw, message });
  const { style, names } = context;

  // Size: a preset or explicit dimensions, not both.
  const dimension = draft.width ?? draft.height ?? (draft.exactResize?.value ? draft.exactResize : undefined);
  if (draft.size && dimension) fail(dimension, style.conflict(draft.size.field, dimension.field));
  else if (draft.size) options.size = draft.size.value;
  else if (draft.exactResize?.value && !(draft.width && draft.height)) {
    fail(draft.exactResize, style.requires(draft.exactResize.field, `both ${names.width} and ${names.height}`));
  } else if (draft.width || draft.height) {
    options.size = {
      kind: "explicit",
      ...(draft.width ? { width: draft.width.value } : {}),
      ...(draft.height ? { height: draft.height.value } : {}),
      exact: draft.exactResize?.value ?? false,
    };
  }

  if (draft.format) options.format = draft.format.value;
  if (draft.channels) options.channels = draft.channels.value;
  if (draft.subject) options.subject = draft.subject.value;

  // Backgrounds: a top/bottom pair is one gradient; then at most one background in all.
  const backgrounds = [...draft.backgrounds];
  const { topColor, bottomColor } = draft;
  if (topColor && bottomColor) {
    backgrounds.push({ value: verticalGradient(topColor.value, bottomColor.value), field: topColor.field, raw: topColor.raw });
  } else if (topColor) fail(topColor, style.requires(topColor.field, names.bottomColor));
  else if (bottomColor) fail(bottomColor, style.requires(bottomColor.field, names.topColor));
  const [background, ...extra] = backgrounds;
  for (const other of extra) fail(other, style.conflict((background as Given<BackgroundSpec>).field, other.field));
  if (background && extra.length === 0) {
    // The alpha matte carries no colour, so a background would be dropped without a word.
    if (draft.channels?.value === "alpha") fail(background, style.conflict(draft.channels.field, background.field));
    else options.background = background.value;
  }

  options.shadow = assembleShadow(draft, context, options.subject, fail);

  if (draft.crop) options.crop = draft.crop.value;
  if (draft.cropMargin) {
    // remove.bg applies crop_margin only when cropping; a margin that would be dropped is reported instead.
    if (!options.crop && !isZeroMargin(draft.cropMargin.value))
      fail(draft.cropMargin, style.requires(draft.cropMargin.field, `${names.crop}=true`));
    else options.cropMargin = draft.cropMargin.value;
  }
  if (draft.scale) options.scale = draft.scale.value;
  if (draft.position) options.position = draft.position.value;
  if (draft.roi) options.roi = draft.roi.value;
  if (draft.angle) options.angle = draft.angle.value;
  if (draft.expand) options.expand = draft.expand.value;
  if (draft.semitransparency) options.semitransparency = draft.semitransparency.value;
  return options;
}

/**
 * shadow_type picks the shadow; shadow_color / offset / blur_radius without a
 * type mean a drop shadow (fapihub's only kind). shadow_opacity alone says
 * nothing about which shadow, so it needs a type; details with
 * shadow_type=none contradict it.
 */
function assembleShadow(
  draft: Draft,
  context: AssembleContext,
  subject: Subject,
  fail: (given: Given<unknown>, message: string) => void,
): ShadowSpec {
  const { style, names } = context;
  const base = context.base.shadow;
  const details: Given<unknown>[] = [draft.shadowColor, draft.shadowOffset, draft.shadowBlur].filter(
    (given): given is NonNullable<typeof given> => given !== undefined,
  );
  let type: ShadowTypeInput | undefined = draft.shadowType?.value;
  if (draft.addShadow?.value) {
    if (draft.shadowType) fail(draft.shadowType, style.conflict(draft.addShadow.field, draft.shadowType.field));
    // remove.bg's deprecated add_shadow only ever drew its car shadow.
    else type = "car";
  }
  if (type === undefined) {
    if (details.length > 0) type = "drop";
    else if (draft.shadowOpacity) fail(draft.shadowOpacity, style.requires(draft.shadowOpacity.field, names.shadowType));
  }
  if (type === "none") {
    const given = draft.shadowType as Given<ShadowTypeInput>;
    for (const detail of draft.shadowOpacity ? [...details, draft.shadowOpacity] : details) {
      fail(detail, style.conflict(`${given.field}=${given.raw.trim()}`, detail.field));
    }
  }
  const resolved = type === undefined ? base.type : resolveShadowType(type, subject);
  const opacityFor = context.shadowOpacity ?? defaultShadowOpacity;
  return {
    type: resolved,
    opacity: draft.shadowOpacity?.value ?? (resolved === "none" ? base.opacity : opacityFor(resolved)),
    color: draft.shadowColor?.value ?? base.color,
    offset: draft.shadowOffset?.value ?? base.offset,
    blur: draft.shadowBlur?.value ?? base.blur,
  };
}
