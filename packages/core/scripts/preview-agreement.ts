// How closely a large JPEG's cutout from its shrink-on-load preview (what
// Remover.remove does) agrees with the cutout from its full decode: the two
// test fixtures upscaled to 12 MP. Numbers in docs/quality.md. Run from packages/core:
//   npx tsx scripts/preview-agreement.ts
import { join } from "node:path";
import sharp from "sharp";
import { iouAtHalf } from "../../../test/support/mattes.js";
import { decodeImage } from "../src/node/decode.js";
import { Remover } from "../src/node/remover.js";
import { sharpResize } from "../src/node/sharp-resize.js";
import { cutoutPixels } from "../src/pipeline.js";

const FIXTURES = join(import.meta.dirname, "../../../test/fixtures");
const remover = new Remover();
for (const name of ["car-1", "anime-girl-1"]) {
  const meta = await sharp(`${FIXTURES}/${name}.jpg`).metadata();
  const s = Math.sqrt(12e6 / (meta.width! * meta.height!));
  const w = Math.round(meta.width! * s),
    h = Math.round(meta.height! * s);
  const big = await sharp(`${FIXTURES}/${name}.jpg`).resize(w, h, { kernel: "lanczos3" }).jpeg({ quality: 90 }).toBuffer();
  const a = (await remover.remove(big, { format: "mask", maxPngPixels: 1e9 })).alpha;
  const full = await cutoutPixels((await decodeImage(big, 1e9)).image, await remover.load(), sharpResize);
  const b = full.alpha;
  let sad = 0,
    max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    sad += d;
    if (d > max) max = d;
  }
  console.log(`${name} ${w}x${h}: IoU ${iouAtHalf(a, b).toFixed(4)}, MAE ${(sad / a.length / 255).toFixed(5)}, max |diff| ${max}`);
}
await remover.close();
