// Writes docs/effects.png: one photo through every effect and option, so
// people can look rather than read. Run: pnpm contact-sheet
import { join } from "node:path";
import sharp from "sharp";
import { EFFECT_CASES, fixtureCutout, PHOTO_PATH, ROOT, renderCase, renderedPng } from "./effect-cases.js";

const CELL_W = 320;
const CELL_H = 240;
const LABEL_H = 28;
const COLUMNS = 4;

async function main(): Promise<void> {
  const fixture = await fixtureCutout();
  const tiles = [await tile("original", await sharp(PHOTO_PATH).png().toBuffer())];
  for (const { label, options } of EFFECT_CASES) {
    tiles.push(await tile(label, await renderedPng(await renderCase(fixture, options), 6)));
  }
  const rows = Math.ceil(tiles.length / COLUMNS);
  const sheet = sharp({ create: { width: COLUMNS * CELL_W, height: rows * (CELL_H + LABEL_H), channels: 3, background: "#ffffff" } });
  const composites = tiles.map((input, i) => ({ input, left: (i % COLUMNS) * CELL_W, top: Math.floor(i / COLUMNS) * (CELL_H + LABEL_H) }));
  await sheet.composite(composites).png({ compressionLevel: 9 }).toFile(join(ROOT, "docs/effects.png"));
  process.stdout.write(`wrote docs/effects.png (${tiles.length} tiles)\n`);
}

/** The result fitted inside the cell over a checkerboard (which shows transparency), its label below. */
async function tile(label: string, png: Buffer): Promise<Buffer> {
  const fitted = await sharp(png)
    .resize(CELL_W - 8, CELL_H - 8, { fit: "inside" })
    .png()
    .toBuffer();
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
  return sharp(svg)
    .composite([{ input: fitted, left, top }])
    .png()
    .toBuffer();
}

await main();
