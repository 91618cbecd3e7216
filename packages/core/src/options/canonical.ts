import type { Rgba } from "../color.js";

/**
 * The one canonical options model. Every API dialect (remove.bg / BgCut,
 * rembg.com, fapihub, the minimal API) and every host's settings parse onto
 * it; the renderer reads only this. Values here are unambiguous: a dialect's
 * "medium" has already become either a megapixel budget or a long-side cap.
 */

/** A length given in pixels or as a percentage of a reference length. */
export interface Length {
  value: number;
  unit: "px" | "%";
}

export type SizeSpec =
  /** Keep the input's resolution (remove.bg `auto`; the default). */
  | { kind: "original" }
  /** Downscale (never upscale) so width x height is at most `pixels` (remove.bg presets). */
  | { kind: "megapixels"; pixels: number }
  /** Downscale (never upscale) so the longest side is at most `pixels` (long-side presets). */
  | { kind: "longSide"; pixels: number }
  /** Explicit width and/or height; aspect ratio kept unless `exact`. */
  | { kind: "explicit"; width?: number; height?: number; exact: boolean };

export type FormatSpec = "auto" | "png" | "jpg" | "webp" | "bmp" | "zip";

/** rgba: the cutout; alpha: the matte alone; rgb: opaque, over the background colour. */
export type ChannelsSpec = "rgba" | "alpha" | "rgb";

export interface GradientStop {
  color: Rgba;
  /** Position along the gradient line, 0..1. */
  at: number;
}

export type BackgroundSpec =
  | { type: "none" }
  | { type: "color"; color: Rgba }
  /** `angle` in degrees, CSS convention: 180 runs top to bottom. */
  | { type: "gradient"; angle: number; stops: GradientStop[] }
  /** The photo's own background, blurred; `radius` 1..50 is relative to a 1000 px image and scales with size. */
  | { type: "blur"; radius: number }
  /** Another image, centred and scaled to cover the canvas. Bytes, a file path or an http(s) URL. */
  | { type: "image"; source: Uint8Array | string };

export type ShadowType = "none" | "drop" | "3D" | "car";

export interface ShadowSpec {
  type: ShadowType;
  /** 0..1. */
  opacity: number;
  color: Rgba;
  /** Offset in pixels of the output canvas, x right and y down. */
  offset: readonly [number, number];
  /** Blur radius in pixels of the output canvas. */
  blur: number;
}

export interface MarginSpec {
  top: Length;
  right: Length;
  bottom: Length;
  left: Length;
}

/** `percent`: where the subject sits in the free space, 0..100 on each axis (50 50 is centred). */
export type PositionSpec = { kind: "original" } | { kind: "center" } | { kind: "percent"; x: number; y: number };

export interface RegionSpec {
  x1: Length;
  y1: Length;
  x2: Length;
  y2: Length;
}

export interface CanonicalOptions {
  size: SizeSpec;
  format: FormatSpec;
  channels: ChannelsSpec;
  background: BackgroundSpec;
  shadow: ShadowSpec;
  crop: boolean;
  cropMargin: MarginSpec;
  /** Subject size relative to the canvas, 0.1..1, or "original". */
  scale: number | "original";
  position: PositionSpec;
  /** Only this region may hold foreground; null means the whole image. */
  roi: RegionSpec | null;
  /** Degrees, -360..360, counter-clockwise positive as in rembg.com. */
  angle: number;
  /** Grow the canvas so a rotated image is not cropped. */
  expand: boolean;
  /** Keep soft alpha inside the subject (glass); false snaps the interior to 0 or 1, edges stay soft. */
  semitransparency: boolean;
  /** A hint about the subject (remove.bg `type`), used by `shadow_type=auto`. */
  subject: "auto" | "person" | "product" | "car" | "animal" | "graphic" | "transportation";
}
