// One real photo through every effect: the contact sheet (docs/effects.png)
// shows these cases, and the golden tests (packages/core/test/goldens.test.ts)
// compare each against test/goldens/<id>.png. Regenerate goldens: pnpm goldens
import { readFileSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import type { PixelImage } from "../src/image.js";
import { decodeImage } from "../src/node/decode.js";
import { Remover } from "../src/node/remover.js";
import { sharpResize } from "../src/node/sharp-resize.js";
import { type RemoveOptions, resolveOptions } from "../src/options.js";
import { type CutoutPixels, cutoutPixels } from "../src/pipeline.js";
import { type RenderDeps, type Rendered, renderCutout } from "../src/render.js";

export const ROOT = join(import.meta.dirname, "../../..");
export const PHOTO_PATH = join(ROOT, "test/fixtures/car-1.jpg");
export const BACKDROP_PATH = join(ROOT, "test/fixtures/anime-girl-1.jpg");
export const GOLDEN_DIR = join(ROOT, "test/goldens");

export interface EffectCase {
  /** File-name-safe: the golden is test/goldens/<id>.png. */
  id: string;
  /** The contact sheet's caption. */
  label: string;
  options: RemoveOptions;
}

export const EFFECT_CASES: readonly EffectCase[] = [
  { id: "default", label: "default (rgba)", options: {} },
  { id: "bg-color", label: "bg_color #81d4fa", options: { bgColor: "#81d4fa" } },
  {
    id: "bg-gradient",
    label: "gradient 135deg, 3 stops",
    options: { bgGradient: "linear-gradient(135deg, #ff9a9e, #fad0c4 50%, #a1c4fd)" },
  },
  { id: "bg-blur", label: "bg_blur 20", options: { bgBlur: 20 } },
  { id: "bg-image", label: "bg_image (cover)", options: { bgImage: BACKDROP_PATH } },
  { id: "shadow-drop", label: "shadow drop", options: { shadowType: "drop", bgColor: "white" } },
  { id: "shadow-3d", label: "shadow 3D", options: { shadowType: "3D", bgColor: "white" } },
  { id: "shadow-car", label: "shadow car", options: { shadowType: "car", bgColor: "white" } },
  { id: "crop-margin", label: "crop, margin 10%", options: { crop: true, cropMargin: "10%" } },
  { id: "scale-center", label: "scale 60%, center", options: { scale: "60%", position: "center" } },
  { id: "position-bottom-left", label: "position 0% 100%, scale 50%", options: { scale: "50%", position: "0% 100%" } },
  { id: "angle-expand", label: "angle 15, expand", options: { angle: 15, bgColor: "#eeeeee" } },
  { id: "roi-left", label: "roi: left 70%", options: { roi: "0% 0% 70% 100%" } },
  { id: "channels-alpha", label: "channels alpha (mask)", options: { channels: "alpha" } },
  { id: "channels-rgb", label: "channels rgb over #ffd54f", options: { channels: "rgb", bgColor: "#ffd54f" } },
  { id: "semitransparency-off", label: "semitransparency false", options: { semitransparency: false } },
];

export interface FixtureCutout {
  photo: PixelImage;
  cut: CutoutPixels;
}

/** Decodes car-1.jpg and cuts it out once with the real model. */
export async function fixtureCutout(threads?: number): Promise<FixtureCutout> {
  const photo = (await decodeImage(readFileSync(PHOTO_PATH), 50_000_000)).image;
  const remover = new Remover(threads === undefined ? {} : { threads });
  try {
    const cut = await cutoutPixels(photo, await remover.load(), sharpResize);
    return { photo, cut };
  } finally {
    await remover.close();
  }
}

/** The Node host's render dependencies: sharp for resizing, background images read from disk. */
export const RENDER_DEPS: RenderDeps = {
  resize: sharpResize,
  loadImage: async (source: Uint8Array | string) =>
    (await decodeImage(typeof source === "string" ? readFileSync(source) : source, 50_000_000)).image,
};

export function renderCase({ photo, cut }: FixtureCutout, options: RemoveOptions): Promise<Rendered> {
  return renderCutout(photo, cut, resolveOptions(options).canonical, RENDER_DEPS);
}

/** A render as a lossless PNG with its own channel count (1 grey, 3 RGB or 4 RGBA). */
export function renderedPng(rendered: Rendered, compressionLevel = 9): Promise<Buffer> {
  return sharp(rendered.pixels, { raw: { width: rendered.width, height: rendered.height, channels: rendered.channels } })
    .toColourspace(rendered.channels === 1 ? "b-w" : "srgb")
    .png({ compressionLevel, adaptiveFiltering: true })
    .toBuffer();
}
