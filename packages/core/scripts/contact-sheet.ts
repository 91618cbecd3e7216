// Writes docs/effects.png: one photo through every effect and option, so
// people can look rather than read. Run: pnpm contact-sheet
import { readFileSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { Remover } from "../src/node/remover.js";
import { decodeImage } from "../src/node/decode.js";
import { sharpResize } from "../src/node/sharp-resize.js";
import { type RemoveOptions, resolveOptions } from "../src/options.js";
import { cutoutPixels } from "../src/pipeline.js";
import { renderCutout } from "../src/render.js";

const root = join(import.meta.dirname, "../../..");
const photoPath = join(root, "test/fixtures/car-1.jpg");
const backdrop = join(root, "test/fixtures/anime-girl-1.jpg");

const TILES: [string, RemoveOptions][] = [
  ["default (rgba)", {}],
  ["bg_color #81d4fa", { bgColor: "#81d4fa" }],
  ["gradient 135deg, 3 stops", { bgGradient: "linear-gradient(135deg, #ff9a9e, #fad0c4 50%, #a1c4fd)" }],
  ["bg_blur 20", { bgBlur: 20 }],
  ["bg_image (cover)", { bgImage: backdrop }],
  ["shadow drop", { shadowType: "drop", bgColor: "white" }],
  ["shadow 3D", { shadowType: "3D", bgColor: "white" }],
  ["shadow car", { shadowType: "car", bgColor: "white" }],
  ["crop, margin 10%", { crop: true, cropMargin: "10%" }],
  ["scale 60%, center", { scale: "60%", position: "center" }],
  ["position 0% 100%, scale 50%", { scale: "50%", position: "0% 100%" }],
  ["angle 15, expand", { angle: 15, bgColor: "#eeeeee" }],
  ["roi: left 70%", { roi: "0% 0% 70% 100%" }],
  ["channels alpha (mask)", { channels: "alpha" }],
  ["channels rgb over #ffd54f", { channels: "rgb", bgColor: "#ffd54f" }],
  ["semitransparency false", { semitransparency: false }],
];

const CELL_W = 320;
const CELL_H = 240;
const LABEL_H = 28;
const COLUMNS = 4;

async function main(): Promise<void> {
  const photo = (await decodeImage(readFileSync(photoPath), 50_000_000)).image;
  const remover = new Remover();
  const cut = await cutoutPixels(photo, await remover.load(), sharpResize);
  const deps = {
    resize: sharpResize,
    loadImage: async (source: Uint8Array | string) => (await decodeImage(readFileSync(source as string), 50_000_000)).image,
  };
  const tiles = [await tile("original", await sharp(photoPath).png().toBuffer())];
  for (const [label, options] of TILES) {
    const rendered = await renderCutout(photo, cut, resolveOptions(options).canonical, deps);
    const png = await sharp(rendered.pixels, { raw: { width: rendered.width, height: rendered.height, channels: rendered.channels } })
      .toColourspace(rendered.channels === 1 ? "b-w" : "srgb")
      .png()
      .toBuffer();
    tiles.push(await tile(label, png));
  }
  await remover.close();
  const rows = Math.ceil(tiles.length / COLUMNS);
  const sheet = sharp({ create: { width: COLUMNS * CELL_W, height: rows * (CELL_H + LABEL_H), channels: 3, background: "#ffffff" } });
  const composites = tiles.map((input, i) => ({ input, left: (i % COLUMNS) * CELL_W, top: Math.floor(i / COLUMNS) * (CELL_H + LABEL_H) }));
  await sheet.composite(composites).png({ compressionLevel: 9 }).toFile(join(root, "docs/effects.png"));
  process.stdout.write(`wrote docs/effects.png (${tiles.length} tiles)\n`);
}

/** The result fitted inside the cell over a checkerboard (which shows transparency), its label below. */
async function tile(label: string, png: Buffer): Promise<Buffer> {
  const fitted = await sharp(png).resize(CELL_W - 8, CELL_H - 8, { fit: "inside" }).png().toBuffer();
  const meta = await sharp(fitted).metadata();
  const w = meta.width ?? 0;
  const h = meta.height ?? 0;
  const left = Math.round((CELL_W - w) / 2);
  const top = Math.round((CELL_H - h) / 2);
  const svg = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${CELL_W}" height="${CELL_H + LABEL_H}">
      <defs><pattern id="c" width="16" height="16" patternUnits="userSpaceOnUse">
        <rect width="16" height="16" fill="#ffffff"/><rect width="8" height="8" fill="#d9d9d9"/><rect x="8" y="8" width="8" height="8" fill="#d9d9d9"/>
      </pattern></defs>
      <rect width="${CELL_W}" height="${CELL_H + LABEL_H}" fill="#ffffff"/>
      <rect x="${left}" y="${top}" width="${w}" height="${h}" fill="url(#c)"/>
      <text x="${CELL_W / 2}" y="${CELL_H + 18}" font-family="DejaVu Sans, sans-serif" font-size="14" text-anchor="middle" fill="#222">${label}</text>
    </svg>`,
  );
  return sharp(svg).composite([{ input: fitted, left, top }]).png().toBuffer();
}

await main();
