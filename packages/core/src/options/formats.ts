import type { CanonicalOptions, ChannelsSpec, FormatSpec } from "./canonical.js";
import { parseEnum } from "./scalars.js";

export type Subject = CanonicalOptions["subject"];

export const FORMATS: readonly FormatSpec[] = ["auto", "png", "jpg", "webp", "bmp", "zip"];
export const CHANNELS: readonly ChannelsSpec[] = ["rgba", "alpha", "rgb"];
export const SUBJECTS: readonly Subject[] = ["auto", "person", "product", "car", "animal", "graphic", "transportation"];
/** remove.bg `type_level`: only selects how finely remove.bg reports the detected type; it never changes the image. */
export const TYPE_LEVELS = ["none", "1", "2", "latest"] as const;
export type TypeLevel = (typeof TYPE_LEVELS)[number];

/** auto | png | jpg (also jpeg) | webp | bmp | zip. */
export function parseFormat(value: string, field: string): FormatSpec {
  return parseEnum(value, field, FORMATS, { jpeg: "jpg" });
}

/** rgba | alpha | rgb. */
export function parseChannels(value: string, field: string): ChannelsSpec {
  return parseEnum(value, field, CHANNELS);
}

/** remove.bg `type`, the subject hint. */
export function parseSubject(value: string, field: string): Subject {
  return parseEnum(value, field, SUBJECTS);
}

export function parseTypeLevel(value: string, field: string): TypeLevel {
  return parseEnum(value, field, TYPE_LEVELS);
}
