import type { Box, PixelImage } from "../image.js";
import { BoxBuilder } from "./bounding-box.js";
import type { ColourEstimate } from "./foreground.js";
import { applyGuidedFilter, type GuidedCoefficients, UNSETTLED } from "./guided-filter.js";

/**
 * The full-size cutout of an RGB photo in one pass: the guided filter's alpha
 * (applyGuidedFilter), the RGBA with estimated foreground colours
 * (applyForeground) and the subject's box (foregroundBox), written run by
 * run as the alpha is found. Separate passes would each stream 12 to 48 MB
 * through memory at 12 MP; here a row is still in cache when its colours are
 * written, and settled runs (most of a photo) are filled whole. `estimate`
 * must cover the cells under the fit's unsettled blocks (blockCells).
 */
export function applyCutout(
  coefficients: GuidedCoefficients,
  image: PixelImage,
  estimate: ColourEstimate,
  rgba: Uint8Array = new Uint8Array(image.width * image.height * 4),
): { alpha: Uint8Array; rgba: Uint8Array; foreground: Box | null } {
  if (image.channels !== 3) throw new RangeError("applyCutout takes an RGB photo: an input alpha changes the matte after the filter");
  const { width } = image;
  const box = new BoxBuilder();
  const alpha = new Uint8Array(image.width * image.height);
  applyGuidedFilter(
    coefficients,
    image,
    alpha,
    (y, x0, x1, known) => {
      if (known === UNSETTLED) box.scan(alpha, y * width, y, x0, x1);
      else if (known !== 0) box.add(y, x0, x1);
    },
    { estimate, rgba },
  );
  return { alpha, rgba, foreground: box.box() };
}
