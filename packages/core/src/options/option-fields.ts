import { CHANNELS, FORMATS, SUBJECTS } from "./formats.js";
import type { CutoutOptions } from "./resolve.js";
import { SHADOW_TYPES } from "./shadow.js";
import { MEGAPIXEL_PRESET_NAMES } from "./sizes.js";

/**
 * Every option, once, with each spelling hosts need: the CLI builds its
 * flags from it, the GitHub Action its inputs, the n8n node its fields. The
 * table is keyed by CutoutOptions' names, so an option added there without a
 * row here does not compile.
 */
export interface OptionField {
  /** camelCase name: CutoutOptions, the JS API, n8n. */
  name: keyof CutoutOptions;
  /** snake_case form field: remove.bg's spelling where remove.bg has the option (GitHub Action inputs, our HTTP API). */
  field: string;
  /** CLI flag. */
  flag: string;
  kind: "enum" | "boolean" | "integer" | "number" | "color" | "length" | "string";
  /** The accepted words, for enums. */
  values?: readonly string[];
  description: string;
  /** The default as a user would type it; "" means unset (no background, no resize...), explained in the description. */
  default: string;
  /** remove.bg documents this field under `field`, with this meaning. */
  removebg: boolean;
  /** Other APIs' spellings of the same option, by dialect. */
  aliases?: Readonly<Record<string, readonly string[]>>;
  group: "size" | "output" | "subject" | "background" | "shadow" | "layout";
}

type Row = Omit<OptionField, "name">;

const ROWS: { readonly [K in keyof Required<CutoutOptions>]: Row } = {
  size: {
    field: "size",
    flag: "--size",
    kind: "enum",
    values: MEGAPIXEL_PRESET_NAMES,
    description:
      "Maximum output resolution (remove.bg presets): preview/small/regular 0.25 MP, medium 1.5 MP, hd 4 MP, full/4k 25 MP, 50MP 50 MP, auto keeps the input's resolution. Never upscales.",
    default: "auto",
    removebg: true,
    group: "size",
  },
  width: {
    field: "width",
    flag: "--width",
    kind: "integer",
    description: "Output width in pixels; the aspect ratio is kept unless exact-resize. Not with size.",
    default: "",
    removebg: false,
    aliases: { "rembg.com": ["w"] },
    group: "size",
  },
  height: {
    field: "height",
    flag: "--height",
    kind: "integer",
    description: "Output height in pixels; the aspect ratio is kept unless exact-resize. Not with size.",
    default: "",
    removebg: false,
    aliases: { "rembg.com": ["h"] },
    group: "size",
  },
  exactResize: {
    field: "exact_resize",
    flag: "--exact-resize",
    kind: "boolean",
    description: "Resize to exactly width x height, distorting if need be; needs both width and height.",
    default: "false",
    removebg: false,
    aliases: { "rembg.com": ["exact_resize"] },
    group: "size",
  },
  format: {
    field: "format",
    flag: "--format",
    kind: "enum",
    values: [...FORMATS, "jpeg"],
    description:
      "Output format: png, jpg (jpeg), webp, bmp, zip (remove.bg's colour JPG + alpha PNG pair) or auto (png when the result has transparency, else jpg). remove.bg's own default is auto.",
    default: "png",
    removebg: true,
    group: "output",
  },
  channels: {
    field: "channels",
    flag: "--channels",
    kind: "enum",
    values: CHANNELS,
    description: "rgba: the cutout; alpha: the matte alone (greyscale); rgb: opaque, over the background.",
    default: "rgba",
    removebg: true,
    aliases: { "rembg.com": ["mask"] },
    group: "output",
  },
  type: {
    field: "type",
    flag: "--type",
    kind: "enum",
    values: SUBJECTS,
    description: "What the subject is; used by shadow-type auto (car -> car shadow, product -> 3D, else drop).",
    default: "auto",
    removebg: true,
    group: "subject",
  },
  bgColor: {
    field: "bg_color",
    flag: "--bg-color",
    kind: "color",
    description:
      "Solid background colour: hex (#81d4fa, 81d4fa, #rgba), rgb()/rgba(), (r, g, b[, a]) or a CSS name. One background option at most.",
    default: "",
    removebg: true,
    aliases: { fapihub: ["bgcolor"], "rembg.com": ["bg_color"] },
    group: "background",
  },
  bgImage: {
    field: "bg_image",
    flag: "--bg-image",
    kind: "string",
    description:
      "Background image, centred and scaled to cover: an http(s) URL or a file path (bytes in the JS API). One background option at most.",
    default: "",
    removebg: false,
    aliases: { removebg: ["bg_image_url", "bg_image_file"] },
    group: "background",
  },
  bgGradient: {
    field: "bg_gradient",
    flag: "--bg-gradient",
    kind: "string",
    description:
      "Gradient background: 'linear-gradient(45deg, red, #00f 40%, white)' or its inner list; 'white, black' runs top to bottom. At least two stops. One background option at most.",
    default: "",
    removebg: false,
    aliases: { fapihub: ["top_color", "bottom_color"] },
    group: "background",
  },
  bgBlur: {
    field: "bg_blur",
    flag: "--bg-blur",
    kind: "number",
    description: "Keep the photo's background but blur it, radius 1..50 (relative to a 1000 px image). One background option at most.",
    default: "",
    removebg: false,
    aliases: { fapihub: ["radius"] },
    group: "background",
  },
  shadowType: {
    field: "shadow_type",
    flag: "--shadow-type",
    kind: "enum",
    values: SHADOW_TYPES,
    description: "Shadow: none, drop, 3D, car, or auto (by type: car -> car, product -> 3D, else drop).",
    default: "none",
    removebg: true,
    group: "shadow",
  },
  shadowOpacity: {
    field: "shadow_opacity",
    flag: "--shadow-opacity",
    kind: "number",
    description: "Shadow opacity 0..100; needs a shadow. Default by shadow type: drop 50, 3D 65, car 90.",
    default: "",
    removebg: true,
    group: "shadow",
  },
  shadowColor: {
    field: "shadow_color",
    flag: "--shadow-color",
    kind: "color",
    description: "Shadow colour; without shadow-type it means a drop shadow.",
    default: "#000000",
    removebg: false,
    aliases: { fapihub: ["shadow_color"] },
    group: "shadow",
  },
  shadowOffset: {
    field: "shadow_offset",
    flag: "--shadow-offset",
    kind: "string",
    description:
      "Shadow offset in whole pixels, x right and y down: '(10, 10)', '10,10' or '10 10'; without shadow-type it means a drop shadow.",
    default: "10,10",
    removebg: false,
    aliases: { fapihub: ["offset"] },
    group: "shadow",
  },
  shadowBlur: {
    field: "shadow_blur",
    flag: "--shadow-blur",
    kind: "number",
    description: "Shadow blur radius in pixels, 0 or more; without shadow-type it means a drop shadow.",
    default: "10",
    removebg: false,
    aliases: { fapihub: ["blur_radius"] },
    group: "shadow",
  },
  crop: {
    field: "crop",
    flag: "--crop",
    kind: "boolean",
    description: "Crop off empty space around the subject.",
    default: "false",
    removebg: true,
    group: "layout",
  },
  cropMargin: {
    field: "crop_margin",
    flag: "--crop-margin",
    kind: "length",
    description:
      "Margin around the cropped subject: '30px', '10%' (of the subject), or 2 or 4 values in CSS order; at most 50% or 500px per side. Needs crop.",
    default: "0",
    removebg: true,
    group: "layout",
  },
  scale: {
    field: "scale",
    flag: "--scale",
    kind: "string",
    description: "Subject size relative to the canvas, '10%'..'100%', or 'original'.",
    default: "original",
    removebg: true,
    group: "layout",
  },
  position: {
    field: "position",
    flag: "--position",
    kind: "string",
    description: "Where the subject sits: 'original', 'center', '50%' (both axes) or '50% 100%' (x y).",
    default: "original",
    removebg: true,
    group: "layout",
  },
  roi: {
    field: "roi",
    flag: "--roi",
    kind: "string",
    description: "Region of interest 'x1 y1 x2 y2', each in px or %: only this region may hold the subject.",
    default: "0% 0% 100% 100%",
    removebg: true,
    group: "layout",
  },
  angle: {
    field: "angle",
    flag: "--angle",
    kind: "number",
    description: "Rotate by this many degrees, -360..360, counter-clockwise.",
    default: "0",
    removebg: false,
    aliases: { "rembg.com": ["angle"] },
    group: "layout",
  },
  expand: {
    field: "expand",
    flag: "--expand",
    kind: "boolean",
    description: "Grow the canvas so a rotated image is not cropped (rembg.com's default, true).",
    default: "true",
    removebg: false,
    aliases: { "rembg.com": ["expand"] },
    group: "layout",
  },
  semitransparency: {
    field: "semitransparency",
    flag: "--semitransparency",
    kind: "boolean",
    description: "Keep soft alpha inside the subject (glass, car windows); false makes the interior solid, edges stay soft.",
    default: "true",
    removebg: true,
    group: "output",
  },
};

export const OPTION_FIELDS: readonly OptionField[] = Object.freeze(
  (Object.keys(ROWS) as (keyof CutoutOptions)[]).map((name) => Object.freeze({ name, ...ROWS[name] })),
);
