import type { ChannelsSpec, FormatSpec } from "../options/canonical.js";

/** File types the decoder reads; folder and glob inputs of every host are filtered to these. */
export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set([
  ".jpg",
  ".jpeg",
  ".png",
  ".webp",
  ".gif",
  ".tif",
  ".tiff",
  ".avif",
  ".heic",
  ".heif",
]);

/**
 * True for files Cutout wrote, so re-running on a folder never cuts out its own
 * cutouts: `<name>.cutout.png`, and `<name>.cutout-2.png` where a host that
 * never overwrites numbered it.
 */
export function isOwnOutput(path: string): boolean {
  return /\.(cutout|mask)(-\d+)?\.[a-z]+$/i.test(path);
}

/** An input worth processing: a readable image type, and not one of our outputs. */
export function isImageFile(path: string): boolean {
  const dot = path.lastIndexOf(".");
  return dot >= 0 && IMAGE_EXTENSIONS.has(path.slice(dot).toLowerCase()) && !isOwnOutput(path);
}

/** What a result is written as: `<name>.cutout.<ext>`, or `<name>.mask.<ext>` for the matte alone. */
export interface OutputKind {
  format: FormatSpec;
  channels: ChannelsSpec;
}

export function outputSuffix(kind: OutputKind, format: string = kind.format === "auto" ? "png" : kind.format): string {
  return `.${kind.channels === "alpha" ? "mask" : "cutout"}.${format}`;
}
