import { invalidOption } from "../errors.js";
import type { BackgroundSpec } from "./canonical.js";
import { parseColorField } from "./colors.js";
import { inRange, parseNumber } from "./scalars.js";

export { gradientFrom, type LooseStop, parseGradient, verticalGradient } from "./gradient.js";

/** remove.bg `bg_color`, fapihub `bgcolor`, rembg.com `bg_color`: a solid colour. */
export function parseBackgroundColor(value: string, field: string): BackgroundSpec {
  return { type: "color", color: parseColorField(value, field) };
}

const BLUR_EXPECTED = "a blur radius from 1 to 50";
/**
 * fapihub `radius`: blurs the photo's own background. fapihub documents an
 * integer up to 50; decimals are accepted too, since the radius is scaled to
 * the output size anyway and 2.5 has an obvious meaning.
 */
export function parseBlurRadius(value: string, field: string): BackgroundSpec {
  return blurFrom(parseNumber(value, field, BLUR_EXPECTED), field, value);
}

export function blurFrom(radius: number, field: string, got: unknown = radius): BackgroundSpec {
  return { type: "blur", radius: inRange(radius, field, 1, 50, BLUR_EXPECTED, got) };
}

const URL_EXPECTED = "an http(s) URL";
/** An http or https URL (remove.bg `bg_image_url`, `image_url`). */
export function parseImageUrl(value: string, field: string): string {
  const text = value.trim();
  if (!/^https?:\/\/\S+$/i.test(text) || !isUrl(text)) throw invalidOption(field, URL_EXPECTED, value);
  return text;
}

const IMAGE_EXPECTED = "a background image: an http(s) URL or a file path";
/**
 * A background image named by a string: an http(s) URL, otherwise a file
 * path. Other URL schemes are refused rather than read as odd paths; a
 * Windows drive ("C:\\x.png") has no "//" after its colon and stays a path.
 */
export function parseBackgroundImage(value: string, field: string): BackgroundSpec {
  const text = value.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return { type: "image", source: parseImageUrl(text, field) };
  if (text === "" || text.includes("\0")) throw invalidOption(field, IMAGE_EXPECTED, value);
  return { type: "image", source: text };
}

/** Image bytes (the JS API's bg image); an empty buffer cannot be an image. */
export function backgroundImageFromBytes(bytes: Uint8Array, field: string): BackgroundSpec {
  if (bytes.length === 0) throw invalidOption(field, "non-empty image bytes", "<0 bytes>");
  return { type: "image", source: bytes };
}

function isUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}

/**
 * remove.bg `bg_image_file`: a file uploaded with the form. The host saves
 * the upload and passes its path as the field's text; the renderer reads it.
 */
export function parseBackgroundFile(value: string, field: string): BackgroundSpec {
  if (value.trim() === "" || value.includes("\0")) throw invalidOption(field, "the path of the uploaded background file", value);
  return { type: "image", source: value };
}
