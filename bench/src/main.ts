/**
 * `pnpm eval`: scores Cutout's alpha against ground truth (see docs/quality.md).
 *
 *   pnpm eval [--data DIR] [--baseline imgly]   whole photos: IoU, boundary IoU, MAE, SAD, gradient error
 *   pnpm eval --refine DIR [--radius R,..] [--eps E,..]   edge refinement protocol of ../shared/eval/README.md
 */
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { checkModelChoice, type Precision, type Quality } from "@cutout/core";
import { cpuSummary } from "@cutout/core/node";
import { listSamples } from "./io.js";
import { meanOf } from "./metrics.js";
import { ENGINE_EPS, reduction, runRefine } from "./refine.js";
import { meanScores, refineTables, SEGMENT_TARGETS, segmentSweepTable, segmentTables, writeQualityDocs } from "./report.js";
import { MODELS, runCutout, runCutoutSweep, runImgly, type ScoredImage, type SegmentRow } from "./segment.js";
import { workspaceRoot } from "./speed/docs.js";

const USAGE = `Usage: pnpm eval [options]

Scores Cutout's alpha against ground-truth masks. DIR holds images/ and
masks/ (and trimaps/ for --refine), paired by file stem.

Whole photos (default):
  --data DIR            folder to score (default: ../shared/eval/horses from the repo root)
  --baseline imgly      also run imgly's API on the same files, same weights (default: none)
  --model NAME          isnet-fp16 (default; imgly "medium") or isnet-q8 (imgly "small")
  --threads N           onnxruntime threads for Cutout (default: all cores)
  --model-path FILE     Cutout: a local .onnx instead of the cached model (e.g. a size-free
                        ISNet from packages/core/scripts/resize-isnet.ts)
  --quality PRESET      Cutout: best (default) | balanced | fast
  --input-size N        Cutout: model input side in px (multiple of 64), overriding the preset's
  --precision P         Cutout: int8 | float, overriding the preset's

Edge refinement (../shared/eval/README.md protocol):
  --refine DIR          tight edge crops with soft alpha and trimaps
  --coarse N            long side of the coarse matte, px (default 80)

Experiments (either mode), extra rows beside the engine's own numbers:
  --radius R[,R..]      guided-filter radii to try (default: refineMatte's own;
                        0 = no guided filter: the matte upscaled bilinearly)
  --eps E[,E..]         guided-filter eps values to try (default: refineMatte's, ${ENGINE_EPS})

Either mode:
  --limit N             only the first N samples (by name)
  --json FILE           also write every number as JSON
  --write-docs          write the tables into docs/quality.md
  -h, --help            show this help

Use 'pnpm -s eval' to keep pnpm's banner off stdout. Progress goes to stderr.
`;

interface Args {
  data?: string;
  refine?: string;
  baseline?: "imgly";
  model: string;
  threads?: number;
  modelPath?: string;
  inputSize?: number;
  quality?: Quality;
  precision?: Precision;
  coarse: number;
  radii?: number[];
  epsilons?: number[];
  limit?: number;
  json?: string;
  writeDocs: boolean;
  help: boolean;
}

export function parseEvalArgs(argv: string[]): Args {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      data: { type: "string" },
      refine: { type: "string" },
      baseline: { type: "string" },
      model: { type: "string" },
      threads: { type: "string" },
      "model-path": { type: "string" },
      "input-size": { type: "string" },
      quality: { type: "string" },
      precision: { type: "string" },
      coarse: { type: "string" },
      radius: { type: "string" },
      eps: { type: "string" },
      limit: { type: "string" },
      json: { type: "string" },
      "write-docs": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.data !== undefined && values.refine !== undefined) throw new Error("give --data or --refine, not both");
  if (values.baseline !== undefined && values.baseline !== "imgly" && values.baseline !== "none") {
    throw new Error(`--baseline must be imgly or none, got '${values.baseline}'`);
  }
  if (values.refine !== undefined && values.baseline === "imgly")
    throw new Error("--baseline applies to whole photos; --refine compares against a bilinear upscale");
  if (values.refine === undefined && values.coarse !== undefined) throw new Error("--coarse applies to --refine only");
  const model = values.model ?? "isnet-fp16";
  if (!(model in MODELS)) throw new Error(`--model must be one of ${Object.keys(MODELS).join(", ")}, got '${model}'`);
  const list = (name: string, v: string | undefined, integer: boolean, zero = false) =>
    v === undefined
      ? undefined
      : v.split(",").map((s) => {
          const n = Number(s.trim());
          if (!Number.isFinite(n) || n < 0 || (n === 0 && !zero) || (integer && !Number.isInteger(n))) {
            throw new Error(`--${name}: '${s}' is not a ${zero ? "non-negative" : "positive"} ${integer ? "integer" : "number"}`);
          }
          return n;
        });
  const one = (name: string, v: string | undefined) => list(name, v, true)?.[0];
  checkModelChoice({ quality: values.quality as Quality, precision: values.precision as Precision });
  return {
    ...(values.data === undefined ? {} : { data: values.data }),
    ...(values.refine === undefined ? {} : { refine: values.refine }),
    ...(values.baseline === "imgly" ? { baseline: "imgly" as const } : {}),
    model,
    ...(values.threads === undefined ? {} : { threads: one("threads", values.threads) }),
    ...(values["model-path"] === undefined ? {} : { modelPath: userPath(values["model-path"]) }),
    ...(values["input-size"] === undefined ? {} : { inputSize: one("input-size", values["input-size"]) }),
    ...(values.quality === undefined ? {} : { quality: values.quality as Quality }),
    ...(values.precision === undefined ? {} : { precision: values.precision as Precision }),
    coarse: one("coarse", values.coarse) ?? 80,
    ...(values.radius === undefined ? {} : { radii: list("radius", values.radius, true, true) }),
    ...(values.eps === undefined ? {} : { epsilons: list("eps", values.eps, false) }),
    ...(values.limit === undefined ? {} : { limit: one("limit", values.limit) }),
    ...(values.json === undefined ? {} : { json: values.json }),
    writeDocs: values["write-docs"] ?? false,
    help: values.help ?? false,
  };
}

/** User paths are relative to where pnpm was run (INIT_CWD), not to the repo root pnpm moves to. */
function userPath(p: string): string {
  return path.resolve(process.env.INIT_CWD ?? process.cwd(), p);
}

function shown(root: string, p: string): string {
  const rel = path.relative(root, p);
  return rel.startsWith(`..${path.sep}..`) || path.isAbsolute(rel) ? p : rel.split(path.sep).join("/");
}

const log = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  const args = parseEvalArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(USAGE);
    return;
  }
  const root = workspaceRoot();
  const refine = args.refine !== undefined;
  const dir = refine
    ? userPath(args.refine as string)
    : args.data !== undefined
      ? userPath(args.data)
      : path.resolve(root, "../shared/eval/horses");
  const { samples: all, unmatched } = listSamples(dir, refine);
  if (unmatched.length > 0) log(`skipped (no ${refine ? "mask or trimap" : "mask"} of the same name): ${unmatched.join(", ")}`);
  const samples = args.limit === undefined ? all : all.slice(0, args.limit);
  if (samples.length === 0) throw new Error(`no image in ${dir}/images has a ${refine ? "mask and trimap" : "mask"} of the same name`);
  const date = new Date().toISOString().slice(0, 10);
  const machine = `${cpuSummary()}, ${os.cpus().length} cores, Node ${process.versions.node}`;
  const command = [
    "pnpm eval",
    ...process.argv.slice(2).filter((a, i, all) => a !== "--write-docs" && a !== "--json" && all[i - 1] !== "--json"),
  ].join(" ");

  if (refine) {
    // A sweep over one parameter keeps refineMatte's choice of the other (null radius: its own, per crop).
    const sweeping = args.radii !== undefined || args.epsilons !== undefined;
    const radii: (number | null)[] = args.radii ?? (sweeping ? [null] : []);
    const epsilons = args.epsilons ?? (sweeping ? [ENGINE_EPS] : []);
    const result = await runRefine(samples, { coarseLong: args.coarse, radii, epsilons }, log);
    const tables = refineTables(result);
    const bilinear = meanScores(result.rows.map((r) => r.bilinear));
    const refined = meanScores(result.rows.map((r) => r.refined));
    const out = [
      `Edge refinement, ${shown(root, dir)}: ${samples.length} crops, coarse matte long side ${args.coarse} px, scored in the trimap's unknown region`,
      "",
      tables.perCrop,
      "",
      tables.means,
      ...(tables.sweep ? ["", "Guided-filter sweep (means over the crops):", "", tables.sweep] : []),
    ].join("\n");
    process.stdout.write(`${out}\n`);
    if (args.json) {
      await writeJson(args.json, {
        mode: "refine",
        command,
        date,
        machine,
        data: dir,
        coarseLongSide: args.coarse,
        engineParams: result.engineParams,
        crops: result.rows,
        mean: { bilinear, refined },
        reductionPercent: {
          sad: reduction(bilinear.sad, refined.sad),
          mse: reduction(bilinear.mse, refined.mse),
          grad: reduction(bilinear.grad, refined.grad),
        },
        targets: { sadReductionPercent: 25, gradReductionPercent: 25 },
        sweep: result.sweep.map((s) => ({
          ...s,
          reductionPercent: {
            sad: reduction(bilinear.sad, s.mean.sad),
            mse: reduction(bilinear.mse, s.mean.mse),
            grad: reduction(bilinear.grad, s.mean.grad),
          },
        })),
      });
    }
    if (args.writeDocs) {
      const body = [
        `\`${command}\` (${date}; ${machine}). ${samples.length} crops from \`${shown(root, dir)}\`.`,
        "",
        `Protocol: the ground truth is downscaled (area) until its long side is ${args.coarse} px, thresholded at 0.5, and scaled back up: the baseline is that bilinear upscale; Cutout's refiner is \`refineMatte(photo, photo, coarse)\` (packages/core/src/pipeline.ts), the photo at full size as guide. Both are scored inside the trimap's unknown region. Targets: SAD and gradient error at least 25% below the bilinear upscale.`,
        "",
        tables.means,
        ...(tables.sweep ? ["", "Guided-filter parameters (`--radius`, `--eps`), means over the crops:", "", tables.sweep] : []),
        "",
        "<details><summary>Per crop</summary>",
        "",
        tables.perCrop,
        "",
        "</details>",
      ].join("\n");
      log(`wrote ${await writeQualityDocs(root, "## Edge refinement", body)}`);
    }
    return;
  }

  const threads = {
    ...(args.threads === undefined ? {} : { threads: args.threads }),
    ...(args.modelPath === undefined ? {} : { modelPath: args.modelPath }),
    ...(args.inputSize === undefined ? {} : { inputSize: args.inputSize }),
    ...(args.quality === undefined ? {} : { quality: args.quality }),
    ...(args.precision === undefined ? {} : { precision: args.precision }),
  };
  const cutout = await runCutout(samples, { model: args.model, ...threads }, log);
  const baseline = args.baseline === "imgly" ? await runImgly(samples, { model: args.model }, log) : undefined;
  const sweeping = args.radii !== undefined || args.epsilons !== undefined;
  const sweep = sweeping
    ? await runCutoutSweep(
        samples,
        { model: args.model, ...threads, radii: args.radii ?? [null], epsilons: args.epsilons ?? [ENGINE_EPS] },
        log,
      )
    : [];
  const rows: SegmentRow[] = [];
  for (const s of samples) {
    const c = cutout.get(s.name);
    if (!c) continue;
    const b = baseline?.get(s.name);
    rows.push({ name: s.name, photo: c.photo, mask: c.mask, cutout: c.scores, ...(b ? { baseline: b } : {}) });
  }
  const summary = {
    cutout: meanOf(rows.map((r) => r.cutout)),
    ...(baseline ? { baseline: meanOf(rows.map((r) => r.baseline as ScoredImage)) } : {}),
  };
  const tables = segmentTables(rows, summary, args.baseline);
  const sweepTable = sweep.length > 0 ? segmentSweepTable(sweep, summary.baseline) : undefined;
  const imglyModel = MODELS[args.model];
  const what = `${args.model}${args.baseline ? ` (imgly "${imglyModel}": the same weights)` : ""}`;
  process.stdout.write(
    `${[
      `Whole photos, ${shown(root, dir)}: ${rows.length} images, model ${what}, scored at mask size`,
      "",
      tables.perImage,
      "",
      tables.means,
      ...(sweepTable
        ? ["", "Guided-filter sweep (means; the model run once per photo, its matte refined with each setting):", "", sweepTable]
        : []),
    ].join("\n")}\n`,
  );
  const deltas = summary.baseline
    ? Object.fromEntries(
        Object.keys(SEGMENT_TARGETS).map((k) => [k, summary.cutout[k as "iou"] - (summary.baseline as ScoredImage)[k as "iou"]]),
      )
    : undefined;
  if (args.json) {
    await writeJson(args.json, {
      mode: "whole",
      command,
      date,
      machine,
      data: dir,
      model: args.model,
      baseline: args.baseline ? { name: "imgly", package: "@imgly/background-removal-node@1.4.5", model: imglyModel } : null,
      images: rows,
      mean: summary,
      ...(deltas ? { cutoutMinusBaseline: deltas, targets: { iou: ">= 0", boundaryIou: ">= 0.02", mae: "<= 0" } } : {}),
      ...(sweep.length > 0 ? { sweep } : {}),
    });
  }
  if (args.writeDocs) {
    const body = [
      `\`${command}\` (${date}; ${machine}). ${rows.length} photos from \`${shown(root, dir)}\`, model ${what}.${
        args.baseline
          ? " The baseline is imgly's own `removeBackground` (@imgly/background-removal-node 1.4.5, a dev dependency of bench/ only), run in the same command on the same files."
          : ""
      }`,
      "",
      ...(args.baseline ? ["Targets: Cutout at least equal to imgly on IoU and MAE; boundary IoU higher by at least 0.02.", ""] : []),
      tables.means,
      ...(sweepTable ? ["", "Guided-filter parameters (`--radius`, `--eps`; radius 0: no guided filter), means:", "", sweepTable] : []),
      "",
      "<details><summary>Per image</summary>",
      "",
      tables.perImage,
      "",
      "</details>",
    ].join("\n");
    log(`wrote ${await writeQualityDocs(root, "## Whole photos", body)}`);
  }
}

async function writeJson(file: string, value: unknown): Promise<void> {
  const p = userPath(file);
  await mkdir(path.dirname(p), { recursive: true });
  await writeFile(p, `${JSON.stringify(value, null, 2)}\n`);
  log(`wrote ${p}`);
}

main().catch((error) => {
  process.stderr.write(`eval: ${(error as Error).message ?? error}\n`);
  process.exitCode = 1;
});
