import { invalidOption } from "../errors.js";
import type { Length, PositionSpec, RegionSpec } from "./canonical.js";
import { readLength } from "./lengths.js";
import { inRange, parseNumber, splitList } from "./scalars.js";

const PERCENT = /^(\d+(?:\.\d*)?|\.\d+)%$/;

const SCALE_EXPECTED = "a percentage from 10% to 100%, or 'original'";
/**
 * remove.bg `scale`: the subject's size relative to the canvas, "10%" to
 * "100%", or "original". The canonical value is a fraction (0.1..1).
 */
export function parseScale(value: string, field: string): number | "original" {
  const text = value.trim().toLowerCase();
  if (text === "original") return "original";
  const match = PERCENT.exec(text);
  if (!match) throw invalidOption(field, SCALE_EXPECTED, value);
  return scaleFromPercent(Number(match[1]), field, value);
}

export function scaleFromPercent(percent: number, field: string, got: unknown = percent): number {
  inRange(percent, field, 10, 100, SCALE_EXPECTED, got);
  return percent / 100;
}

const POSITION_EXPECTED = "'original', 'center', or one or two percentages from 0% to 100% ('50%' or '50% 100%')";
/**
 * remove.bg `position`: "original", "center", one percentage for both axes or
 * two ("x% y%"). Bare numbers are refused: remove.bg only documents
 * percentages and a bare number could as well mean pixels.
 */
export function parsePosition(value: string, field: string): PositionSpec {
  const text = value.trim().toLowerCase();
  if (text === "original") return { kind: "original" };
  if (text === "center") return { kind: "center" };
  const parts = splitList(text);
  if (parts.length !== 1 && parts.length !== 2) throw invalidOption(field, POSITION_EXPECTED, value);
  const percents = parts.map((part) => {
    const match = PERCENT.exec(part);
    const number = match ? Number(match[1]) : Number.NaN;
    return inRange(number, field, 0, 100, POSITION_EXPECTED, value);
  });
  const x = percents[0] as number;
  return { kind: "percent", x, y: percents[1] ?? x };
}

const ROI_EXPECTED = "a region 'x1 y1 x2 y2', each in px or % (percentages at most 100%), with x2 > x1 and y2 > y1";
/**
 * remove.bg `roi`: "x1 y1 x2 y2", each px or %. x2 > x1 and y2 > y1 can only
 * be checked here when both ends use the same unit; a mixed pair ("10px" and
 * "50%") depends on the image's size, so the renderer checks it.
 */
export function parseRoi(value: string, field: string): RegionSpec {
  const parts = splitList(value);
  if (parts.length !== 4) throw invalidOption(field, ROI_EXPECTED, value);
  const lengths: Length[] = [];
  for (const part of parts) {
    const length = readLength(part);
    if (!length || (length.unit === "%" && length.value > 100)) throw invalidOption(field, ROI_EXPECTED, value);
    lengths.push(length);
  }
  const [x1, y1, x2, y2] = lengths as [Length, Length, Length, Length];
  if (!increasing(x1, x2) || !increasing(y1, y2)) throw invalidOption(field, ROI_EXPECTED, value);
  return { x1, y1, x2, y2 };
}

function increasing(start: Length, end: Length): boolean {
  return start.unit !== end.unit || end.value > start.value;
}

const ANGLE_EXPECTED = "an angle in degrees from -360 to 360";
/** rembg.com `angle`: degrees, counter-clockwise positive, -360..360. */
export function parseAngle(value: string, field: string): number {
  return angleFrom(parseNumber(value, field, ANGLE_EXPECTED), field, value);
}

export function angleFrom(degrees: number, field: string, got: unknown = degrees): number {
  return inRange(degrees, field, -360, 360, ANGLE_EXPECTED, got);
}

/** roi as the canonical model keeps it: null when the region is the whole image ("0% 0% 100% 100%", remove.bg's default). */
export function parseRegion(value: string, field: string): RegionSpec | null {
  const region = parseRoi(value, field);
  return isWholeImage(region) ? null : region;
}

export function isWholeImage(region: RegionSpec): boolean {
  const zero = (length: Length) => length.value === 0;
  const full = (length: Length) => length.unit === "%" && length.value === 100;
  return zero(region.x1) && zero(region.y1) && full(region.x2) && full(region.y2);
}
