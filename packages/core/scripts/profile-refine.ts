// Times refineMatte's stages against the whole-image reference
// (test/refine-reference.ts) in one run, on real mattes at ~1 MP and ~12 MP,
// and reports how far the outputs differ. Run from packages/core:
//   npx tsx scripts/profile-refine.ts [--model] [--runs N]
// Mattes are the alpha of rembg's ISNet cutouts in test/fixtures/reference,
// stretched to the model's 1024x1024 output; --model runs the local model
// instead, whose mattes are never exactly 0 or 1 (slower: fewer cells settle).
import { join } from "node:path";
import sharp from "sharp";
import type { PixelImage, Plane } from "../src/image.js";
import { applyForeground, estimateForeground, softCells } from "../src/matte/foreground.js";
import { applyGuidedFilter, fitGuidedFilter } from "../src/matte/guided-filter.js";
import { resizePlane } from "../src/matte/resize.js";
import { guidedRadius } from "../src/pipeline.js";
import { referenceEstimate, referenceFit } from "../test/refine-reference.js";

const FIXTURES = join(import.meta.dirname, "../../../test/fixtures");
const PHOTOS = ["car-1", "anime-girl-1"];
const SIZES = [1_000_000, 12_000_000];
const MATTE_SIDE = 1024;

interface Case {
  name: string;
  image: PixelImage;
  guide: PixelImage;
  matte: Plane;
}

type Stages = Record<string, number>;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const runs = Number(args[args.indexOf("--runs") + 1]) || 5;
  const mattes = args.includes("--model") ? await modelMattes() : await referenceMattes();
  for (const pixels of SIZES) {
    for (const name of PHOTOS) {
      const c = await makeCase(name, pixels, mattes.get(name) as Plane);
      const before: Stages[] = [];
      const after: Stages[] = [];
      let outputs: [Result, Result] | undefined;
      // One untimed run of each warms up the JIT; then they alternate, so load drifting during the run hits both alike.
      refine(c, "before");
      refine(c, "after");
      for (let i = 0; i < runs; i++) {
        const b = refine(c, "before");
        const a = refine(c, "after");
        before.push(b.stages);
        after.push(a.stages);
        outputs = [b, a];
      }
      report(c, median(before), median(after), outputs as [Result, Result]);
    }
  }
}

interface Result {
  stages: Stages;
  alpha: Uint8Array;
  rgba: Uint8Array;
  computed: number;
}

/** refineMatte (src/pipeline.ts) stage by stage, with the reference or the tiled fit and colour estimate. */
function refine({ image, guide, matte }: Case, which: "before" | "after"): Result {
  const stages: Stages = {};
  let t = performance.now();
  const lap = (stage: string) => {
    const now = performance.now();
    stages[stage] = now - t;
    t = now;
  };
  const working = resizePlane(matte, guide.width, guide.height);
  lap("resize");
  const radius = guidedRadius(guide, matte);
  const coefficients = which === "before" ? referenceFit(guide, working, radius, 1e-4) : fitGuidedFilter(guide, working, radius, 1e-4);
  lap("fit");
  const alpha = applyGuidedFilter(coefficients, image);
  lap("apply");
  const guideAlpha = guide === image ? alpha : applyGuidedFilter(coefficients, guide);
  const alphaFloat = new Float32Array(guideAlpha.length);
  for (let i = 0; i < alphaFloat.length; i++) alphaFloat[i] = guideAlpha[i] / 255;
  lap("guideAlpha");
  const long = Math.max(guide.width, guide.height);
  const large = Math.max(2, Math.round(long / 22));
  const small = Math.max(1, Math.round(long / 340));
  const wanted = which === "before" ? undefined : softCells(alpha, image.width, image.height, guide.width, guide.height);
  lap("softCells");
  const estimate = wanted
    ? estimateForeground(guide, alphaFloat, large, small, wanted)
    : referenceEstimate(guide, alphaFloat, large, small);
  lap("estimate");
  const rgba = applyForeground(image, alpha, estimate);
  lap("applyFg");
  stages.total = Object.values(stages).reduce((sum, v) => sum + v, 0);
  const computed = wanted ? wanted.flags.reduce((sum: number, f) => sum + f, 0) / wanted.flags.length : 1;
  return { stages, alpha, rgba, computed };
}

function report(c: Case, before: Stages, after: Stages, [b, a]: [Result, Result]): void {
  const mp = ((c.image.width * c.image.height) / 1e6).toFixed(1);
  console.log(`\n${c.name} ${c.image.width}x${c.image.height} (${mp} MP), guide ${c.guide.width}x${c.guide.height}`);
  console.log("stage        before ms   after ms   speed-up");
  for (const stage of Object.keys(after)) {
    const x = before[stage] / after[stage];
    console.log(
      `${stage.padEnd(12)} ${before[stage].toFixed(1).padStart(9)} ${after[stage].toFixed(1).padStart(10)} ${x.toFixed(1).padStart(9)}x`,
    );
  }
  let alphaDiff = 0;
  let colourDiff = 0;
  let premultipliedDiff = 0;
  for (let i = 0; i < a.alpha.length; i++) {
    alphaDiff = Math.max(alphaDiff, Math.abs(a.alpha[i] - b.alpha[i]));
    for (let k = i * 4; k < i * 4 + 3; k++) {
      // Where one alpha is 0 and the other 1, the colour is only defined on one side: compare it premultiplied.
      premultipliedDiff = Math.max(premultipliedDiff, Math.abs(a.rgba[k] * a.alpha[i] - b.rgba[k] * b.alpha[i]) / 255);
      if (a.alpha[i] > 0 && b.alpha[i] > 0) colourDiff = Math.max(colourDiff, Math.abs(a.rgba[k] - b.rgba[k]));
    }
  }
  const fit = fitGuidedFilter(c.guide, resizePlane(c.matte, c.guide.width, c.guide.height), guidedRadius(c.guide, c.matte), 1e-4);
  const fitted = fit.aR.reduce((n: number, v, i) => n + (v !== 0 || (fit.b[i] !== 0 && fit.b[i] !== 1) ? 1 : 0), 0) / fit.aR.length;
  console.log(
    `max |diff|: alpha ${alphaDiff}, colour where both alphas > 0 ${colourDiff}, premultiplied colour ${premultipliedDiff.toFixed(2)}; ` +
      `coefficients fitted (not settled) ${(100 * fitted).toFixed(0)}%, colour cells estimated ${(100 * a.computed).toFixed(0)}%`,
  );
}

function median(runs: Stages[]): Stages {
  const out: Stages = {};
  for (const stage of Object.keys(runs[0])) {
    const sorted = runs.map((r) => r[stage]).sort((x, y) => x - y);
    out[stage] = sorted[sorted.length >> 1];
  }
  return out;
}

/** The photo resized to about `pixels` pixels, its working guide as refineMatte's caller makes it, and the matte. */
async function makeCase(name: string, pixels: number, matte: Plane): Promise<Case> {
  const meta = await sharp(join(FIXTURES, `${name}.jpg`)).metadata();
  const scale = Math.sqrt(pixels / ((meta.width as number) * (meta.height as number)));
  const width = Math.round((meta.width as number) * scale);
  const height = Math.round((meta.height as number) * scale);
  const image = await rgb(sharp(join(FIXTURES, `${name}.jpg`)).resize(width, height, { fit: "fill" }));
  const g = Math.min(1, 1024 / Math.max(width, height));
  const guide = await rgb(
    sharp(image.data, { raw: { width, height, channels: 3 } }).resize(Math.round(width * g), Math.round(height * g), { fit: "fill" }),
  );
  return { name, image, guide, matte };
}

async function rgb(pipeline: sharp.Sharp): Promise<PixelImage> {
  const { data, info } = await pipeline.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 3 };
}

async function referenceMattes(): Promise<Map<string, Plane>> {
  const out = new Map<string, Plane>();
  for (const name of PHOTOS) {
    const { data } = await sharp(join(FIXTURES, `reference/${name}.isnet-general-use.png`))
      .extractChannel(3)
      .resize(MATTE_SIDE, MATTE_SIDE, { fit: "fill" })
      .raw()
      .toBuffer({ resolveWithObject: true });
    out.set(name, { data: Float32Array.from(data, (v) => v / 255), width: MATTE_SIDE, height: MATTE_SIDE });
  }
  return out;
}

async function modelMattes(): Promise<Map<string, Plane>> {
  const { Remover } = await import("../src/node/remover.js");
  const { decodeImage } = await import("../src/node/decode.js");
  const { sharpResize } = await import("../src/node/sharp-resize.js");
  const { modelInput } = await import("../src/pipeline.js");
  const { readFile } = await import("node:fs/promises");
  const remover = new Remover();
  const session = await remover.load();
  const out = new Map<string, Plane>();
  for (const name of PHOTOS) {
    const { image } = await decodeImage(await readFile(join(FIXTURES, `${name}.jpg`)), Number.MAX_SAFE_INTEGER);
    out.set(name, await session.predict(await modelInput(image, session, sharpResize)));
  }
  await remover.close();
  return out;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
