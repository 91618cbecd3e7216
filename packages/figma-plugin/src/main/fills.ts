/**
 * New fills arrays with a cutout in place of an image. Figma's paints are
 * read-only objects: a change is a new array of new paints, assigned whole.
 * Every property of the replaced paint is kept (scale mode, crop transform,
 * tile scale, rotation, filters, opacity, blend mode), and so is every other
 * fill.
 */
import type { ImagePaint, Paint } from "./figma-api.js";

/**
 * `resized` is the cutout's width over the original image's, when Figma's
 * size limit made the cutout smaller: a tiled image keeps its tile size on
 * the canvas. The other scale modes are relative to the layer already.
 */
export function withCutout(paint: ImagePaint, imageHash: string, resized = 1): ImagePaint {
  const tiled = paint.scaleMode === "TILE" && resized !== 1;
  return { ...paint, imageHash, ...(tiled ? { scalingFactor: (paint.scalingFactor ?? 1) / resized } : {}) };
}

/** Replace: the image at `index` becomes the cutout. */
export function replaceImage(fills: readonly Paint[], index: number, imageHash: string, resized = 1): Paint[] {
  return fills.map((paint, i) => (i === index ? withCutout(paint as ImagePaint, imageHash, resized) : paint));
}

/** Non-destructive where a layer cannot be duplicated: the original image stays, hidden, under its cutout. */
export function hideUnderCutout(fills: readonly Paint[], index: number, imageHash: string, resized = 1): Paint[] {
  const original = fills[index] as ImagePaint;
  return [...fills.slice(0, index), { ...original, visible: false }, withCutout(original, imageHash, resized), ...fills.slice(index + 1)];
}

/** A mask layer's only fill: the matte, placed exactly as the photo is, without the photo's colour adjustments. */
export function matteFill(paint: ImagePaint, imageHash: string, resized = 1): ImagePaint {
  const { filters: _filters, ...placement } = withCutout(paint, imageHash, resized);
  return { ...placement, visible: true, opacity: 1, blendMode: "NORMAL" };
}
