import { invalidOption } from "../errors.js";

/**
 * The scalar parsers every option builds on. Each takes the text as it came
 * off a form, query string or command line, and either returns a typed value
 * or throws a validation_error naming the field and the text it got. None
 * clamps or falls back: a value out of range is the caller's mistake to hear
 * about, not ours to guess at.
 */

/**
 * Plain decimals only: no exponents, hex, "Infinity" or empty strings, which
 * `Number()` would all accept (`Number("")` is 0).
 */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
const INTEGER = /^[+-]?\d+$/;

const TRUE_WORDS = new Set(["true", "1", "yes"]);
const FALSE_WORDS = new Set(["false", "0", "no"]);

/** true/false, 1/0, yes/no, any case; surrounding blanks are not meaningful. */
export function parseBoolean(value: string, field: string): boolean {
  const word = value.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  throw invalidOption(field, "a boolean (true/false, 1/0, yes/no)", value);
}

/** A finite decimal number, e.g. "12", "-3.5", ".5". */
export function parseNumber(value: string, field: string, expected = "a number"): number {
  const text = value.trim();
  if (!DECIMAL.test(text)) throw invalidOption(field, expected, value);
  const number = Number(text);
  if (!Number.isFinite(number)) throw invalidOption(field, expected, value);
  return number;
}

/** A whole number, optionally signed; "1.0" is refused so a typo cannot pass as an integer. */
export function parseInteger(value: string, field: string, expected = "an integer"): number {
  const text = value.trim();
  if (!INTEGER.test(text)) throw invalidOption(field, expected, value);
  const number = Number(text);
  if (!Number.isSafeInteger(number)) throw invalidOption(field, expected, value);
  return number;
}

/** An integer of 1 or more (widths, heights). */
export function parsePositiveInteger(value: string, field: string): number {
  return positiveIntegerFrom(parseInteger(value, field, "a positive integer"), field, value);
}

export function positiveIntegerFrom(number: number, field: string, got: unknown = number): number {
  if (!Number.isSafeInteger(number) || number < 1) throw invalidOption(field, "a positive integer", got);
  return number;
}

/** Checks a number already read against an inclusive range; `got` is what the user wrote, for the message. */
export function inRange(number: number, field: string, min: number, max: number, expected: string, got: unknown = number): number {
  if (!Number.isFinite(number) || number < min || number > max) throw invalidOption(field, expected, got);
  return number;
}

/**
 * One of a fixed set of words, any case. `aliases` maps other spellings
 * (lower case) onto a canonical value, e.g. jpeg -> jpg, 3d -> 3D.
 */
export function parseEnum<T extends string>(
  value: string,
  field: string,
  values: readonly T[],
  aliases: Readonly<Record<string, T>> = {},
): T {
  const word = value.trim().toLowerCase();
  for (const candidate of values) {
    if (candidate.toLowerCase() === word) return candidate;
  }
  if (Object.hasOwn(aliases, word)) return aliases[word] as T;
  throw invalidOption(field, `one of ${values.join(", ")}`, value);
}

/**
 * Splits a list written with spaces and/or commas ("10px 5%", "10px, 5%").
 * A stray comma leaves an empty part ("10px," -> ["10px", ""]) for the
 * caller to refuse: it more likely marks a missing value than nothing.
 */
export function splitList(value: string): string[] {
  const text = value.trim();
  return text === "" ? [] : text.split(/\s*,\s*|\s+/);
}
