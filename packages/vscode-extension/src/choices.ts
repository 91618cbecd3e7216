/**
 * "Remove background with options…": the user's choices (format, background,
 * crop and margin, size, shadow), turned into core's options and validated by
 * core. Pure, so the flow's answers can be tested without a UI.
 */
import type { RemoveOptions } from "@cutout/core";
import { MEGAPIXEL_PRESET_NAMES, MEGAPIXEL_PRESETS, SHADOW_TYPES, validateCutoutOptions } from "@cutout/core/pure";
import type { FormatSetting } from "./settings.js";

export type BackgroundKind = "transparent" | "color" | "blur" | "gradient" | "image";

export interface Choices {
  format: FormatSetting;
  background: { kind: BackgroundKind; value: string };
  crop: { enabled: boolean; margin: string };
  /** A remove.bg size preset name. */
  size: string;
  /** One of core's SHADOW_TYPES. */
  shadow: string;
}

export const DEFAULT_CHOICES: Choices = {
  format: "png",
  background: { kind: "transparent", value: "" },
  crop: { enabled: false, margin: "0" },
  size: "auto",
  shadow: "none",
};

/** Which core option each kind of background sets. */
const BACKGROUND_OPTION = { color: "bgColor", blur: "bgBlur", gradient: "bgGradient", image: "bgImage" } as const;

export function toOptions(choices: Choices): RemoveOptions {
  const { format, background, crop, size, shadow } = choices;
  return {
    format,
    ...(background.kind === "transparent" ? {} : { [BACKGROUND_OPTION[background.kind]]: background.value }),
    ...(crop.enabled ? { crop: true, cropMargin: crop.margin } : {}),
    ...(size === "auto" ? {} : { size }),
    ...(shadow === "none" ? {} : { shadowType: shadow }),
  };
}

/** Core's message for one value of one option, or undefined when it is fine: the input boxes' validation. */
export function checkOption(name: "bgColor" | "bgBlur" | "bgGradient" | "cropMargin", value: string): string | undefined {
  // A margin means something only with crop, and core says so: ask about the margin alone.
  const result = validateCutoutOptions(name === "cropMargin" ? { crop: true, cropMargin: value } : { [name]: value });
  return result.ok ? undefined : result.errors[0]?.message;
}

/** Every problem with a whole set of choices (a background image that is not there is found when it is read). */
export function checkChoices(choices: Choices): string[] {
  const { format, ...options } = toOptions(choices);
  const result = validateCutoutOptions({ ...options, ...(format === "mask" ? { channels: "alpha" } : { format }) });
  return result.ok ? [] : result.errors.map((e) => e.message);
}

/** A one-line summary: `webp · colour #fff · crop 10% · hd · drop shadow`. */
export function describeChoices(choices: Choices): string {
  const { format, background, crop, size, shadow } = choices;
  const parts: string[] = [format];
  parts.push(
    background.kind === "transparent"
      ? "transparent"
      : `${background.kind} ${background.kind === "image" ? baseName(background.value) : background.value}`,
  );
  if (crop.enabled) parts.push(`crop ${crop.margin}`);
  if (size !== "auto") parts.push(size);
  if (shadow !== "none") parts.push(`${shadow} shadow`);
  return parts.join(" · ");
}

function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

export interface SizeChoice {
  name: string;
  /** What it means, from core's preset table. */
  detail: string;
}

/** remove.bg's size presets, one per distinct size (small and regular are preview's aliases, 4k is full's). */
export function sizeChoices(): SizeChoice[] {
  const seen = new Set<string>();
  const out: SizeChoice[] = [];
  for (const name of MEGAPIXEL_PRESET_NAMES) {
    const spec = MEGAPIXEL_PRESETS[name.toLowerCase()]!;
    const key = JSON.stringify(spec);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ name, detail: spec.kind === "megapixels" ? `up to ${spec.pixels / 1e6} megapixels` : "the image's own resolution" });
  }
  // auto first: it is what "Remove background" does.
  return [...out.filter((s) => s.name === "auto"), ...out.filter((s) => s.name !== "auto")];
}

export const SHADOW_CHOICES: readonly string[] = SHADOW_TYPES;
