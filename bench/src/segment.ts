import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type ModelChoice, Remover } from "@cutout/core";
import { applyGuidedFilter, fitGuidedFilter, type PixelImage, resizePlane, toInputTensor } from "@cutout/core/blocks";
import { decodeImage } from "@cutout/core/node";
import sharp from "sharp";
import { bytesToPlane, orientationOf, readAlpha, type Sample, uprightPng } from "./io.js";
import { type AlphaPlane, type ImageScores, meanOf, scoreImage } from "./metrics.js";
import { resampleAlpha } from "./resample.js";

/** Cutout's model name and the imgly model that has the same weights at the same precision. */
export const MODELS: Record<string, "small" | "medium"> = { "isnet-fp16": "medium", "isnet-q8": "small" };

export interface ScoredImage extends ImageScores {
  /** Milliseconds for this image, model load excluded where it can be told apart. */
  ms: number;
}

export interface SegmentRow {
  name: string;
  /** Photo size (upright) and the mask size scored at. */
  photo: { width: number; height: number };
  mask: { width: number; height: number };
  cutout: ScoredImage;
  baseline?: ScoredImage;
}

export type Log = (line: string) => void;

export interface CutoutScored {
  scores: ScoredImage;
  photo: { width: number; height: number };
  mask: { width: number; height: number };
}

/** Predictions are brought to the mask's size, then scored against it. */
function score(pred: AlphaPlane, gt: AlphaPlane): ImageScores {
  return scoreImage(resampleAlpha(pred, gt.width, gt.height), gt);
}

/** Cutout's alpha for each photo, through the public Node API, scored at mask size. */
export async function runCutout(
  samples: Sample[],
  options: ModelChoice & { model: string; threads?: number },
  log: Log,
): Promise<Map<string, CutoutScored>> {
  const { model, ...engine } = options;
  const remover = new Remover({ model, ...engine });
  const out = new Map<string, CutoutScored>();
  try {
    await remover.load();
    for (const [i, s] of samples.entries()) {
      const gt = await readAlpha(s.mask);
      const t0 = performance.now();
      const result = await remover.remove(s.image, { format: "mask" });
      const ms = performance.now() - t0;
      const pred = bytesToPlane(result.alpha, result.width, result.height);
      const scores = { ...score(pred, gt), ms };
      out.set(s.name, { scores, photo: { width: result.width, height: result.height }, mask: { width: gt.width, height: gt.height } });
      log(`cutout ${i + 1}/${samples.length} ${s.name}: IoU ${scores.iou.toFixed(4)} in ${(ms / 1000).toFixed(1)} s`);
    }
  } finally {
    await remover.close();
  }
  return out;
}

/**
 * imgly's alpha for each photo, from its own API in a child process (see
 * imgly-worker.ts), scored at mask size like Cutout's. imgly ignores EXIF
 * orientation, so photos that carry one are handed over upright (as PNG in
 * a temporary folder outside the repository, removed afterwards).
 */
export async function runImgly(samples: Sample[], options: { model: string }, log: Log): Promise<Map<string, ScoredImage>> {
  const imglyModel = MODELS[options.model];
  if (!imglyModel) throw new Error(`no imgly model matches ${options.model} (have: ${Object.keys(MODELS).join(", ")})`);
  const tmp = await mkdtemp(path.join(os.tmpdir(), "cutout-eval-imgly-"));
  try {
    const items = [];
    for (const s of samples) {
      let input = s.image;
      if ((await orientationOf(s.image)) !== 1) {
        input = path.join(tmp, `${s.name}.upright.png`);
        await writeFile(input, await uprightPng(s.image));
      }
      items.push({ name: s.name, input, output: path.join(tmp, `${s.name}.imgly.png`) });
    }
    const times = await runWorker({ model: imglyModel, items }, (line) => {
      log(`imgly ${line}`);
    });
    const out = new Map<string, ScoredImage>();
    for (const [i, item] of items.entries()) {
      const result = times.get(item.name);
      if (!result || "error" in result) throw new Error(`imgly failed on ${item.name}: ${result?.error ?? "no result"}`);
      const pred = await readAlpha(item.output);
      const gt = await readAlpha(samples[i].mask);
      out.set(item.name, { ...score(pred, gt), ms: result.ms });
    }
    return out;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

type WorkerResult = { ms: number } | { error: string };

function runWorker(
  job: { model: string; items: { name: string; input: string; output: string }[] },
  log: Log,
): Promise<Map<string, WorkerResult>> {
  const worker = path.join(path.dirname(fileURLToPath(import.meta.url)), "imgly-worker.js");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [worker], { stdio: ["pipe", "pipe", "pipe"] });
    const results = new Map<string, WorkerResult>();
    let buffered = "";
    let stderr = "";
    let done = 0;
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      buffered += chunk;
      let nl = buffered.indexOf("\n");
      while (nl >= 0) {
        const line = buffered.slice(0, nl).trim();
        buffered = buffered.slice(nl + 1);
        nl = buffered.indexOf("\n");
        if (!line.startsWith("{")) continue;
        const r = JSON.parse(line) as { name: string; ms?: number; error?: string };
        results.set(r.name, r.error === undefined ? { ms: r.ms ?? 0 } : { error: r.error });
        done++;
        log(`${done}/${job.items.length} ${r.name}${r.error === undefined ? ` in ${((r.ms ?? 0) / 1000).toFixed(1)} s` : `: ${r.error}`}`);
      }
    });
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(results);
      else reject(new Error(`the imgly worker exited with code ${code}: ${stderr.trim().split("\n").slice(-3).join(" / ")}`));
    });
    child.stdin.end(JSON.stringify(job));
  });
}

export interface SegmentSweepRow {
  /** null: refineMatte's own radius for each photo; 0: no guided filter (the model's matte, bilinear to the photo). */
  radius: number | null;
  eps: number;
  mean: ImageScores;
  images: ImageScores[];
}

/**
 * Experiment (`--radius`, `--eps` on whole photos): the model runs once per
 * photo exactly as in cutoutPixels, then its matte is refined as refineMatte
 * does (guided filter fitted at the working size, applied at full size) with
 * each radius and eps, and scored. Foreground colour estimation does not touch
 * alpha, so it is skipped.
 */
export async function runCutoutSweep(
  samples: Sample[],
  options: ModelChoice & { model: string; threads?: number; radii: (number | null)[]; epsilons: number[] },
  log: Log,
): Promise<SegmentSweepRow[]> {
  const combos = options.radii.flatMap((radius) =>
    radius === 0 ? [{ radius, eps: 0 }] : options.epsilons.map((eps) => ({ radius, eps })),
  );
  const scores: ImageScores[][] = combos.map(() => []);
  const { radii: _r, epsilons: _e, model, ...engine } = options;
  const remover = new Remover({ model, ...engine });
  try {
    const session = await remover.load();
    const [inW, inH] = session.inputSize;
    for (const [i, s] of samples.entries()) {
      const gt = await readAlpha(s.mask);
      const photo = (await decodeImage(await readFile(s.image), Number.MAX_SAFE_INTEGER)).image;
      const matte = await session.predict(toInputTensor(await sharpResize(flattenOverWhite(photo), inW, inH), session.normalization));
      const scale = Math.min(1, WORKING_SIZE / Math.max(photo.width, photo.height));
      const guide =
        scale === 1
          ? photo
          : await sharpResize(photo, Math.max(1, Math.round(photo.width * scale)), Math.max(1, Math.round(photo.height * scale)));
      const working = resizePlane(matte, guide.width, guide.height);
      for (const [k, c] of combos.entries()) {
        let pred: AlphaPlane;
        if (c.radius === 0) pred = resizePlane(matte, photo.width, photo.height);
        else {
          const radius = c.radius ?? Math.max(1, Math.round(Math.max(guide.width, guide.height) / 256));
          const alpha = applyGuidedFilter(fitGuidedFilter(guide, working, radius, c.eps), photo);
          if (photo.channels === 4) for (let p = 0; p < alpha.length; p++) alpha[p] = (alpha[p] * photo.data[4 * p + 3] + 127) / 255;
          pred = bytesToPlane(alpha, photo.width, photo.height);
        }
        scores[k].push(score(pred, gt));
      }
      log(`sweep ${i + 1}/${samples.length} ${s.name}`);
    }
  } finally {
    await remover.close();
  }
  return combos.map((c, k) => ({ ...c, mean: meanOf(scores[k]), images: scores[k] }));
}

/** refineMatte's working size (packages/core/src/pipeline.ts). */
const WORKING_SIZE = 1024;

async function sharpResize(image: PixelImage, width: number, height: number): Promise<PixelImage> {
  const { data, info } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } })
    .resize(width, height, { fit: "fill" })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels === 4 ? 4 : 3 };
}

function flattenOverWhite(image: PixelImage): PixelImage {
  if (image.channels === 3) return image;
  const n = image.width * image.height;
  const out = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    const a = image.data[4 * i + 3];
    for (let c = 0; c < 3; c++) out[3 * i + c] = (image.data[4 * i + c] * a + 255 * (255 - a) + 127) / 255;
  }
  return { data: out, width: image.width, height: image.height, channels: 3 };
}
