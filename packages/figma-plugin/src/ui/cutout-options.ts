/**
 * The options panel's settings as core's options, checked by core before a
 * run starts so that a bad value is shown next to its field, in the panel's
 * words, and no image is sent with it.
 */
import { type CutoutOptions, validateCutoutOptions } from "@cutout/core/browser";
import type { PluginSettings } from "../protocol.js";

/** What the panel calls each option core may complain about, and the field that holds it. */
const FIELDS: Record<string, { label: string; control: string }> = {
  bgColor: { label: "Background colour", control: "bg-color" },
  bgGradient: { label: "Gradient", control: "gradient-from" },
  bgBlur: { label: "Blur", control: "blur-radius" },
  crop: { label: "Crop to subject", control: "crop" },
  cropMargin: { label: "Margin", control: "crop-margin" },
  shadowType: { label: "Shadow", control: "shadow" },
  channels: { label: "Result", control: "mode-mask" },
};

/** The per-image options for a run: the matte alone in mask mode, where effects would not show. */
export function cutoutOptions(settings: PluginSettings, matteOnly: boolean): CutoutOptions {
  if (matteOnly) return { channels: "alpha" };
  const options: CutoutOptions = {};
  if (settings.background === "color") options.bgColor = settings.bgColor;
  if (settings.background === "gradient") {
    options.bgGradient = `linear-gradient(${settings.gradientAngle}deg, ${settings.gradientFrom}, ${settings.gradientTo})`;
  }
  if (settings.background === "blur") options.bgBlur = settings.blurRadius;
  if (settings.crop) {
    options.crop = true;
    options.cropMargin = settings.cropMargin.trim() || "0";
  }
  if (settings.shadow !== "none") options.shadowType = settings.shadow;
  return options;
}

export interface OptionProblem {
  /** The id of the panel control to mark. */
  control: string;
  message: string;
}

/** Every problem with the settings at once, each naming the field as the panel labels it; empty when they are fine. */
export function checkSettings(settings: PluginSettings): OptionProblem[] {
  const result = validateCutoutOptions(cutoutOptions(settings, settings.mode === "mask"), (name) => FIELDS[name]?.label ?? name);
  if (result.ok) return [];
  return result.errors.map((error) => {
    const field = Object.entries(FIELDS).find(([, { label }]) => label === error.field);
    return { control: field?.[1].control ?? "run", message: error.message };
  });
}
