import type { Rgba } from "./color.js";
import { blurredBackground } from "./effects/blur.js";
import { compositeOver } from "./effects/composite.js";
import { coverFit } from "./effects/cover.js";
import { fillCanvas } from "./effects/fill.js";
import { applyRoi, cropToBox, placeOnCanvas } from "./effects/frame.js";
import { linearGradient } from "./effects/gradient.js";
import { rotateRgba } from "./effects/rotate.js";
import { snapInterior } from "./effects/semitransparency.js";
import { carShadow, contactShadow, dropShadow, type ShadowLayer } from "./effects/shadow.js";
import type { Padding, RgbaImage } from "./effects/types.js";
import { CutoutError } from "./errors.js";
import type { Box, PixelImage, PixelResizer } from "./image.js";
import { foregroundBox } from "./matte/bounding-box.js";
import type { CanonicalOptions, Length, SizeSpec } from "./options/canonical.js";
import { withOpaqueAlpha } from "./output/channels.js";
import { flattenOver } from "./output/flatten.js";

/** The concrete file format once `auto` is decided. */
export type ConcreteFormat = "png" | "jpg" | "webp" | "bmp" | "zip";

export interface RenderDeps {
  resize: PixelResizer;
  /** Decodes a background image (bytes, path or URL); hosts supply their own. */
  loadImage: (source: Uint8Array | string) => Promise<PixelImage>;
}

export interface Rendered {
  /** Interleaved pixels to encode: 1 channel (alpha), 3 (opaque) or 4. */
  pixels: Uint8Array;
  width: number;
  height: number;
  channels: 1 | 3 | 4;
  /** For zip: the colour and the matte, both at the output size. */
  matte: Uint8Array;
  format: ConcreteFormat;
  /** The subject's box in the input's pixel coordinates (before any crop, scale or resize). */
  foreground: Box | null;
}

/** remove.bg refuses PNG above 10 megapixels and points to webp or zip. */
export const DEFAULT_MAX_PNG_PIXELS = 10_000_000;

const WHITE: Rgba = [255, 255, 255, 255];

/**
 * Turns the engine's cutout into the requested picture, in remove.bg's order:
 * region of interest, semitransparency, crop, scale and position, shadow,
 * background, rotation, size; then channels and format. Each step costs
 * nothing when its option is at its default. Pure: runs in the browser too.
 */
export async function renderCutout(
  photo: PixelImage,
  cut: { rgba: Uint8Array; alpha: Uint8Array; width: number; height: number; foreground?: Box | null },
  options: CanonicalOptions,
  deps: RenderDeps,
  maxPngPixels = DEFAULT_MAX_PNG_PIXELS,
): Promise<Rendered> {
  const { width, height } = cut;
  let rgba = cut.rgba;
  let alpha = cut.alpha;
  if (options.roi) {
    const r = options.roi;
    // Whole pixels on the image, as applyRoi takes them: a region that rounds to nothing or lies off the image is empty.
    const px = (length: Length, size: number) => Math.min(size, Math.max(0, Math.round(toPixels(length, size))));
    const region = { x1: px(r.x1, width), y1: px(r.y1, height), x2: px(r.x2, width), y2: px(r.y2, height) };
    if (!(region.x2 > region.x1 && region.y2 > region.y1)) {
      throw new CutoutError("validation_error", `roi is empty on a ${width}x${height} image`, { field: "roi" });
    }
    alpha = applyRoi(alpha, width, height, region);
    rgba = applyRoi(rgba, width, height, region, 4);
  }
  if (!options.semitransparency) {
    alpha = snapInterior(alpha, width, height);
    rgba = withAlpha(rgba, alpha);
  }
  // The cut's own box, unless roi or semitransparency changed its alpha.
  const foreground = alpha === cut.alpha && cut.foreground !== undefined ? cut.foreground : foregroundBox(alpha, width, height);

  // Framing: crop to the subject, then place it on the canvas at the requested scale.
  let layer: RgbaImage = { data: rgba, width, height };
  let subjectBox = foreground;
  let frameOrigin = { left: 0, top: 0 };
  if (options.crop && foreground) {
    const margin = marginPixels(options.cropMargin, foreground);
    layer = cropToBox(rgba, width, height, foreground, margin);
    frameOrigin = { left: foreground.left - Math.round(margin.left), top: foreground.top - Math.round(margin.top) };
    subjectBox = { ...foreground, left: Math.round(margin.left), top: Math.round(margin.top) };
  }
  if (subjectBox && (options.scale !== "original" || options.position.kind !== "original")) {
    const placed = placeOnCanvas(
      layer.data,
      layer.width,
      layer.height,
      subjectBox,
      layer.width,
      layer.height,
      options.scale,
      options.position,
    );
    layer = { data: placed.data, width: layer.width, height: layer.height };
    subjectBox = placed.box;
  }

  // Shadow under the subject; the canvas grows where the shadow would be cut off.
  let padding: Padding = { top: 0, right: 0, bottom: 0, left: 0 };
  if (options.shadow.type !== "none" && subjectBox) {
    const shadow = makeShadow(layer, subjectBox, options);
    padding = shadow.padding;
    const grown = { data: new Uint8Array(shadow.width * shadow.height * 4), width: shadow.width, height: shadow.height };
    const withShadow = compositeOver(
      layer,
      { data: compositeOver(shadow, grown), width: shadow.width, height: shadow.height },
      padding.left,
      padding.top,
    );
    layer = { data: withShadow, width: shadow.width, height: shadow.height };
  }

  // Background.
  // The subject as the output has it: what roi removed is background, so bg_blur shows it.
  const background = await backgroundLayer(photo, { alpha, width, height }, options, layer, frameOrigin, padding, deps);
  if (background)
    layer = {
      data: compositeOver(layer, { data: background, width: layer.width, height: layer.height }),
      width: layer.width,
      height: layer.height,
    };

  if (options.angle % 360 !== 0) {
    const fill = options.background.type === "color" ? options.background.color : ([0, 0, 0, 0] as const);
    layer = rotateRgba(layer.data, layer.width, layer.height, options.angle, options.expand, fill);
  }

  const size = outputSize(layer.width, layer.height, options.size);
  if (size.width !== layer.width || size.height !== layer.height) {
    const resized = await deps.resize({ data: layer.data, width: layer.width, height: layer.height, channels: 4 }, size.width, size.height);
    layer = { data: resized.data, width: resized.width, height: resized.height };
  }

  // An untouched layer's alpha is the cut's own: no need to extract it again.
  return finish(layer, options, foreground, maxPngPixels, layer.data === cut.rgba ? cut.alpha : undefined);
}

function finish(layer: RgbaImage, options: CanonicalOptions, foreground: Box | null, maxPngPixels: number, alpha?: Uint8Array): Rendered {
  const { width, height } = layer;
  const data = layer.data instanceof Uint8Array ? layer.data : new Uint8Array(layer.data);
  const matte = alpha ?? extractAlpha(data);
  const format = options.format === "auto" ? (matte.some((a) => a !== 255) ? "png" : "jpg") : options.format;
  if (format === "png" && width * height > maxPngPixels) {
    throw new CutoutError(
      "image_too_large",
      `PNG output is limited to ${maxPngPixels / 1e6} megapixels, as with remove.bg; this result is ${width}x${height} (${((width * height) / 1e6).toFixed(1)} MP). Use format webp or zip, a smaller size, or raise maxPngPixels`,
      { field: "format" },
    );
  }
  const base = { width, height, matte, format, foreground };
  if (options.channels === "alpha") return { ...base, pixels: matte, channels: 1 };
  const background = options.background.type === "color" ? options.background.color : WHITE;
  // Formats without alpha, and channels=rgb, are flattened over the background colour (white by default).
  if (options.channels === "rgb" || format === "jpg") return { ...base, pixels: flattenOver(data, background), channels: 3 };
  return { ...base, pixels: data, channels: 4 };
}

async function backgroundLayer(
  photo: PixelImage,
  cut: { alpha: Uint8Array; width: number; height: number },
  options: CanonicalOptions,
  layer: RgbaImage,
  origin: { left: number; top: number },
  padding: Padding,
  deps: RenderDeps,
): Promise<Uint8Array | null> {
  const bg = options.background;
  const { width, height } = layer;
  switch (bg.type) {
    case "none":
      return null;
    case "color":
      return fillCanvas(width, height, bg.color);
    case "gradient":
      return linearGradient(width, height, bg.angle, bg.stops);
    case "blur": {
      // The photo's own background, blurred in its own frame, then cut to the output frame.
      const blurred = blurredBackground(photo, cut.alpha, bg.radius);
      const frame = { left: origin.left - padding.left, top: origin.top - padding.top, width, height };
      return sameFrame(frame, cut.width, cut.height)
        ? blurred
        : new Uint8Array(cropToBox(blurred, cut.width, cut.height, frame, ZERO).data);
    }
    case "image": {
      const image = await deps.loadImage(bg.source);
      const covered = await coverFit(image, width, height, deps.resize);
      return toRgba(covered);
    }
  }
}

const ZERO: Padding = { top: 0, right: 0, bottom: 0, left: 0 };

function sameFrame(frame: Box, width: number, height: number): boolean {
  return frame.left === 0 && frame.top === 0 && frame.width === width && frame.height === height;
}

function makeShadow(layer: RgbaImage, box: Box, options: CanonicalOptions): ShadowLayer {
  const alpha = extractAlpha(layer.data);
  const style = options.shadow;
  switch (style.type) {
    case "3D":
      return contactShadow(alpha, layer.width, layer.height, style, box);
    case "car":
      return carShadow(alpha, layer.width, layer.height, style, box);
    default:
      return dropShadow(alpha, layer.width, layer.height, style, box);
  }
}

/** Output size for a size spec: presets only ever shrink; explicit sizes are taken as given. */
export function outputSize(width: number, height: number, size: SizeSpec): { width: number; height: number } {
  switch (size.kind) {
    case "original":
      return { width, height };
    case "megapixels": {
      const scale = Math.sqrt(size.pixels / (width * height));
      const rounded = shrink(width, height, scale);
      // Rounding can overshoot the budget (1920x1080 at 0.25 MP rounds to 667x375, 250,125 pixels); flooring cannot.
      if (rounded.width * rounded.height <= size.pixels) return rounded;
      return { width: Math.max(1, Math.floor(width * scale)), height: Math.max(1, Math.floor(height * scale)) };
    }
    case "longSide":
      return shrink(width, height, size.pixels / Math.max(width, height));
    case "explicit": {
      if (size.exact && size.width !== undefined && size.height !== undefined) return { width: size.width, height: size.height };
      const sx = size.width === undefined ? Number.POSITIVE_INFINITY : size.width / width;
      const sy = size.height === undefined ? Number.POSITIVE_INFINITY : size.height / height;
      const scale = Math.min(sx, sy);
      return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
    }
  }
}

function shrink(width: number, height: number, scale: number): { width: number; height: number } {
  if (scale >= 1) return { width, height };
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

function toPixels(length: Length, reference: number): number {
  return length.unit === "%" ? (length.value / 100) * reference : length.value;
}

function marginPixels(margin: CanonicalOptions["cropMargin"], box: Box): Padding {
  return {
    top: toPixels(margin.top, box.height),
    right: toPixels(margin.right, box.width),
    bottom: toPixels(margin.bottom, box.height),
    left: toPixels(margin.left, box.width),
  };
}

function extractAlpha(rgba: Uint8Array | Uint8ClampedArray): Uint8Array {
  const out = new Uint8Array(rgba.length / 4);
  for (let i = 0, j = 3; i < out.length; i++, j += 4) out[i] = rgba[j];
  return out;
}

function withAlpha(rgba: Uint8Array, alpha: Uint8Array): Uint8Array {
  const out = rgba.slice();
  for (let i = 0, j = 3; i < alpha.length; i++, j += 4) {
    out[j] = alpha[i];
    if (alpha[i] === 0) out[j - 3] = out[j - 2] = out[j - 1] = 0;
  }
  return out;
}

/** An image's pixels as RGBA (opaque ones get alpha 255); RGBA input is returned as it is. */
export function toRgba(image: PixelImage): Uint8Array {
  if (image.channels === 4) return image.data instanceof Uint8Array ? image.data : new Uint8Array(image.data);
  return withOpaqueAlpha(image.data);
}
