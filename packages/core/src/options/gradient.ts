import type { Rgba } from "../color.js";
import { invalidOption } from "../errors.js";
import type { BackgroundSpec, GradientStop } from "./canonical.js";
import { parseColorField } from "./colors.js";
import { angleFrom } from "./geometry.js";

/** A stop before positions are settled: `at` is a percentage, absent where the user left it out. */
export interface LooseStop {
  color: Rgba;
  at?: number;
}

const EXPECTED =
  "a gradient: 'linear-gradient(45deg, red, #00f 40%, white)' or its inner list, an optional angle ('45deg', 'to bottom') then at least two 'colour [position%]' stops with positions from 0% to 100% in order";

const SIDES: Readonly<Record<string, number>> = { "to top": 0, "to right": 90, "to bottom": 180, "to left": 270 };
const DEGREES = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))deg$/i;
const STOP_POSITION = /^(.*\S)\s+(\d+(?:\.\d*)?|\.\d+)%$/s;

/** fapihub `top_color` / `bottom_color`: a vertical two-stop gradient, top to bottom. */
export function verticalGradient(top: Rgba, bottom: Rgba): BackgroundSpec {
  return {
    type: "gradient",
    angle: 180,
    stops: [
      { color: top, at: 0 },
      { color: bottom, at: 1 },
    ],
  };
}

/**
 * A CSS-like linear gradient: `linear-gradient(45deg, red, #00f 40%, white)`
 * or the same list without the wrapper. The angle is optional (CSS's default,
 * 180deg, top to bottom); "to top|right|bottom|left" are accepted, corner
 * keywords are not, since their angle depends on the canvas's aspect ratio.
 */
export function parseGradient(value: string, field: string): BackgroundSpec {
  const text = value.trim();
  const wrapped = /^linear-gradient\s*\(([\s\S]*)\)$/i.exec(text);
  const parts = splitTopLevel(wrapped ? (wrapped[1] as string) : text);
  if (!parts) throw invalidOption(field, EXPECTED, value);
  let angle = 180;
  const first = (parts[0] ?? "").toLowerCase().replace(/\s+/g, " ");
  const degrees = DEGREES.exec(first);
  if (degrees) {
    angle = angleFrom(Number(degrees[1]), field, value);
    parts.shift();
  } else if (Object.hasOwn(SIDES, first)) {
    angle = SIDES[first] as number;
    parts.shift();
  }
  const stops = parts.map((part, index): LooseStop => {
    // A colour never ends in "<space>N%" (rgb(... 50%) ends in ")"), so the split is unambiguous.
    const positioned = STOP_POSITION.exec(part);
    try {
      if (positioned) return { color: parseColorField(positioned[1] as string, field), at: Number(positioned[2]) };
      return { color: parseColorField(part, field) };
    } catch {
      // Quote the whole gradient, and say which stop is wrong.
      throw invalidOption(field, `${EXPECTED}; stop ${index + 1} ('${part}') is not a colour with an optional position`, value);
    }
  });
  return gradientFrom(angle, stops, field, value);
}

/**
 * Settles stop positions as CSS does: a missing first is 0%, a missing last
 * 100%, and missing ones between spread evenly. Given positions must lie in
 * 0..100% and never go backwards; equal neighbours (a hard edge) are allowed.
 * CSS would quietly move a backwards stop; here it is an error.
 */
export function gradientFrom(angle: number, stops: readonly LooseStop[], field: string, got: unknown): BackgroundSpec {
  if (stops.length < 2) throw invalidOption(field, EXPECTED, got);
  const at: (number | undefined)[] = stops.map((stop) => stop.at);
  let previous = -1;
  for (const position of at) {
    if (position === undefined) continue;
    if (!Number.isFinite(position) || position < 0 || position > 100 || position < previous) throw invalidOption(field, EXPECTED, got);
    previous = position;
  }
  if (at[0] === undefined) at[0] = 0;
  if (at[at.length - 1] === undefined) at[at.length - 1] = 100;
  for (let i = 1; i < at.length; i++) {
    if (at[i] !== undefined) continue;
    let next = i;
    while (at[next] === undefined) next++;
    const from = at[i - 1] as number;
    const to = at[next] as number;
    const steps = next - i + 1;
    for (let k = i; k < next; k++) at[k] = from + ((to - from) * (k - i + 1)) / steps;
  }
  const settled: GradientStop[] = stops.map((stop, i) => ({ color: stop.color, at: (at[i] as number) / 100 }));
  return { type: "gradient", angle: angleFrom(angle, field, got), stops: settled };
}

/** Splits on commas outside parentheses; null when parentheses do not balance or a part is empty. */
function splitTopLevel(text: string): string[] | null {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === "(") depth++;
    else if (char === ")") {
      depth--;
      if (depth < 0) return null;
    } else if (char === "," && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  if (depth !== 0) return null;
  parts.push(text.slice(start).trim());
  return parts.some((part) => part === "") ? null : parts;
}
