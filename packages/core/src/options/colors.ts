import { parseColor, type Rgba } from "../color.js";
import { invalidOption } from "../errors.js";

/**
 * parseColor, checked on the way out. parseColor looks names up with a plain
 * index, so "constructor" or "__proto__" find Object.prototype's members and
 * come back as null instead of an error; until color.ts checks own keys, this
 * turns anything that is not four channels into the validation error it
 * should have been.
 */
export function parseColorField(value: string, field: string): Rgba {
  const color: unknown = parseColor(value, field);
  if (!isRgba(color)) throw invalidOption(field, "a colour", value);
  return color;
}

export function isRgba(value: unknown): value is Rgba {
  return (
    Array.isArray(value) &&
    value.length === 4 &&
    value.every((channel) => typeof channel === "number" && Number.isInteger(channel) && channel >= 0 && channel <= 255)
  );
}
