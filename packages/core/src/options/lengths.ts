import { invalidOption } from "../errors.js";
import type { Length, MarginSpec } from "./canonical.js";
import { splitList } from "./scalars.js";

/**
 * Lengths are "30px", "10%" or a bare number. A bare number is pixels: CSS
 * reads a unitless 0 that way, remove.bg's examples only ever pair a bare
 * number with px, and a percentage silently taken as pixels (or the other
 * way round) would be the worse surprise.
 */
const LENGTH = /^(\d+(?:\.\d*)?|\.\d+)(px|%)?$/i;
const LENGTH_EXPECTED = "a length: pixels ('30px' or '30') or a percentage ('10%'), not negative";

/** remove.bg: "at most 50% of the subject dimensions or 500 pixels" per side. */
export const MARGIN_LIMIT = Object.freeze({ percent: 50, px: 500 });
const MARGIN_EXPECTED =
  "a margin of 1, 2 or 4 lengths in CSS order (top right bottom left), separated by spaces or commas, each at most 50% or 500px";

export function parseLength(value: string, field: string): Length {
  const length = readLength(value.trim());
  if (!length) throw invalidOption(field, LENGTH_EXPECTED, value);
  return length;
}

/** Reads one length token; null when it is not one. Shared by lists (margins, roi). */
export function readLength(token: string): Length | null {
  const match = LENGTH.exec(token);
  if (!match) return null;
  const number = Number(match[1]);
  if (!Number.isFinite(number)) return null;
  return { value: number, unit: match[2] === "%" ? "%" : "px" };
}

/**
 * remove.bg `crop_margin`: one value (all sides), two (top/bottom,
 * left/right) or four (top, right, bottom, left). Three, which CSS allows,
 * remove.bg does not document, so it is refused rather than guessed at.
 */
export function parseMargin(value: string, field: string): MarginSpec {
  const parts = splitList(value);
  if (parts.length !== 1 && parts.length !== 2 && parts.length !== 4) throw invalidOption(field, MARGIN_EXPECTED, value);
  const lengths: Length[] = [];
  for (const part of parts) {
    const length = readLength(part);
    if (!length || !withinMarginLimit(length)) throw invalidOption(field, MARGIN_EXPECTED, value);
    lengths.push(length);
  }
  return marginFrom(lengths);
}

export function withinMarginLimit(length: Length): boolean {
  return length.unit === "%" ? length.value <= MARGIN_LIMIT.percent : length.value <= MARGIN_LIMIT.px;
}

/** Expands 1, 2 or 4 lengths to four sides, CSS order. */
export function marginFrom(lengths: readonly Length[]): MarginSpec {
  const [a, b, c, d] = lengths as [Length, Length?, Length?, Length?];
  if (lengths.length === 1) return { top: { ...a }, right: { ...a }, bottom: { ...a }, left: { ...a } };
  if (lengths.length === 2 && b) return { top: { ...a }, right: { ...b }, bottom: { ...a }, left: { ...b } };
  if (lengths.length === 4 && b && c && d) return { top: { ...a }, right: { ...b }, bottom: { ...c }, left: { ...d } };
  throw new RangeError(`a margin has 1, 2 or 4 values, not ${lengths.length}`);
}

export function isZeroMargin(margin: MarginSpec): boolean {
  return margin.top.value === 0 && margin.right.value === 0 && margin.bottom.value === 0 && margin.left.value === 0;
}

export function zeroMargin(): MarginSpec {
  return marginFrom([{ value: 0, unit: "px" }]);
}
