/**
 * Core's image options as n8n fields, grouped into the node's "Options"
 * collections. Names, accepted values and descriptions come from core's
 * OPTION_FIELDS, so each field means what the same option means in the CLI,
 * the GitHub Action and the paid APIs; this file adds only n8n's look (labels
 * in Title Case, field types, the value a field starts at when added).
 */
import { type CutoutOptions, OPTION_FIELDS, type OptionField } from "@cutout/core/pure";
import type { INodeProperties, INodePropertyOptions } from "n8n-workflow";

type OptionName = keyof CutoutOptions;

/** Labels where splitting the camelCase name would read badly. */
const LABELS: Partial<Record<OptionName, string>> = {
  roi: "Region of Interest",
  type: "Subject Type",
  bgImage: "Background Image URL",
  exactResize: "Exact Resize",
};

/**
 * What a field holds when first added, for options whose core default is
 * "unset" (an n8n number or colour field cannot be empty). Adding the field is
 * what asks for the effect; leaving it out keeps core's default.
 */
const STARTING_VALUES: Partial<Record<OptionName, string | number>> = {
  width: 1000,
  height: 1000,
  bgColor: "#ffffff",
  bgBlur: 10,
  bgGradient: "linear-gradient(180deg, #ffffff, #dddddd)",
  bgImage: "",
  shadowOpacity: 50,
};

/** Enum values that are only other spellings of one listed already. */
const ALIASES = new Set(["jpeg"]);
/** Enum values shown in capitals: file formats, channel sets, size names. */
const ACRONYMS = new Set(["png", "jpg", "webp", "bmp", "zip", "rgba", "rgb", "hd", "4k"]);

function valueLabel(value: string): string {
  return ACRONYMS.has(value) ? value.toUpperCase() : value.charAt(0).toUpperCase() + value.slice(1);
}

export function label(name: string): string {
  const override = LABELS[name as OptionName];
  if (override) return override;
  const words = name.replace(/^bg(?=[A-Z])/, "background").replace(/([a-z0-9])([A-Z])/g, "$1 $2");
  return words.replace(/\b\w/g, (c) => c.toUpperCase());
}

function field(option: OptionField): INodeProperties {
  const base = { displayName: label(option.name), name: option.name, description: option.description };
  const start = STARTING_VALUES[option.name];
  switch (option.kind) {
    case "enum":
      return {
        ...base,
        type: "options",
        options: (option.values ?? [])
          .filter((value) => !ALIASES.has(value))
          .map((value): INodePropertyOptions => ({ name: valueLabel(value), value })),
        default: option.default,
      };
    case "boolean":
      return { ...base, type: "boolean", default: option.default === "true" };
    case "integer":
    case "number":
      return {
        ...base,
        type: "number",
        ...(option.kind === "integer" ? { typeOptions: { numberPrecision: 0 } } : {}),
        default: typeof start === "number" ? start : Number(option.default),
      };
    case "color":
      return { ...base, type: "color", default: (start as string | undefined) ?? option.default };
    default:
      return { ...base, type: "string", default: (start as string | undefined) ?? option.default };
  }
}

/** The named options, in OPTION_FIELDS' order. */
export function optionFields(names: readonly OptionName[]): INodeProperties[] {
  return OPTION_FIELDS.filter((option) => names.includes(option.name)).map(field);
}

/** Every option of the named groups, less the excluded ones. */
export function groupFields(groups: readonly OptionField["group"][], exclude: readonly OptionName[] = []): OptionName[] {
  return OPTION_FIELDS.filter((option) => groups.includes(option.group) && !exclude.includes(option.name)).map((option) => option.name);
}
