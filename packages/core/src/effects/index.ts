/** Pixel operations behind every output option; pure functions on typed arrays, safe in a browser. */

export { blurRgba, blurredBackground } from "./blur.js";
export { blurChannels, blurReach, boxRadii } from "./box-blur.js";
export { compositeOver } from "./composite.js";
export { coverFit } from "./cover.js";
export { fillCanvas } from "./fill.js";
export { applyRoi, cropToBox, placeOnCanvas } from "./frame.js";
export { linearGradient } from "./gradient.js";
export { resampleRgba } from "./resample.js";
export { rotateRgba } from "./rotate.js";
export { snapInterior } from "./semitransparency.js";
export { carShadow, contactShadow, dropShadow, type ShadowLayer, type ShadowStyle } from "./shadow.js";
export { type Bytes, type Padding, type RgbaImage, toByte } from "./types.js";
