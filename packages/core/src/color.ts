import { CSS_COLOR_NAMES } from "./color-names.js";
import { invalidOption } from "./errors.js";

/** Red, green, blue, alpha; each 0..255. */
export type Rgba = readonly [number, number, number, number];

const EXPECTED =
  "a colour: hex (#rgb, #rgba, #rrggbb, #rrggbbaa, '#' optional), rgb(r, g, b), rgba(r, g, b, a), (r, g, b[, a]) or a CSS colour name";

/**
 * Parses every colour spelling the background-removal APIs accept. `field`
 * names the option in the error, so a bad `bg_color` says so.
 */
export function parseColor(value: unknown, field = "color"): Rgba {
  if (typeof value !== "string") throw invalidOption(field, EXPECTED, value);
  const text = value.trim().toLowerCase();
  if (text === "transparent") return [0, 0, 0, 0];
  const named = Object.hasOwn(CSS_COLOR_NAMES, text) ? CSS_COLOR_NAMES[text] : undefined;
  if (named) return parseHex(named) as Rgba;
  const hex = parseHex(text.startsWith("#") ? text.slice(1) : text);
  if (hex) return hex;
  const fn = /^(?:rgba?)?\s*\(([^()]*)\)$/.exec(text);
  if (fn?.[1] !== undefined) {
    const parsed = parseComponents(fn[1]);
    if (parsed) return parsed;
  }
  throw invalidOption(field, EXPECTED, value);
}

function parseHex(hex: string): Rgba | null {
  if (!/^[0-9a-f]+$/.test(hex)) return null;
  if (hex.length === 3 || hex.length === 4) {
    const v = [...hex].map((d) => Number.parseInt(d + d, 16));
    return [v[0] as number, v[1] as number, v[2] as number, v[3] ?? 255];
  }
  if (hex.length === 6 || hex.length === 8) {
    const v = [0, 2, 4, 6].map((i) => (i < hex.length ? Number.parseInt(hex.slice(i, i + 2), 16) : 255));
    return [v[0] as number, v[1] as number, v[2] as number, v[3] as number];
  }
  return null;
}

/**
 * "r, g, b[, a]" with r, g, b in 0..255 (or percentages) and a either 0..1 or,
 * in the tuple form remove.bg documents, 0..255: a value above 1 is read as
 * 0..255, since no opacity fraction can exceed 1.
 */
function parseComponents(inner: string): Rgba | null {
  const parts = inner.split(/\s*,\s*|\s+\/\s+|\s+/).filter((p) => p !== "");
  if (parts.length !== 3 && parts.length !== 4) return null;
  const channels: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    const percent = part.endsWith("%");
    const number = Number(percent ? part.slice(0, -1) : part);
    if (!Number.isFinite(number) || (percent ? number < 0 || number > 100 : number < 0)) return null;
    if (i < 3) {
      const v = percent ? (number * 255) / 100 : number;
      if (v > 255) return null;
      channels.push(Math.round(v));
    } else {
      const v = percent ? (number * 255) / 100 : number <= 1 && !part.includes("e") && isFraction(part) ? number * 255 : number;
      if (v > 255) return null;
      channels.push(Math.round(v));
    }
  }
  return [channels[0] as number, channels[1] as number, channels[2] as number, channels[3] ?? 255];
}

/** "0.5", "1.0", ".3" and "0" / "1" read as fractions; "255" does not. */
function isFraction(part: string): boolean {
  return /^(?:0|1|0?\.\d+|1\.0*)$/.test(part);
}
