import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { QUALITY_PRESETS } from "@cutout/core";
import { type BenchArgs, engineOf } from "./args.js";
import { BROWSER_HEADING, renderBrowserBench, runBrowserBench } from "./browser.js";
import { CLI_HEADING, renderCliBench, runCliBench } from "./cli-runs.js";
import { type CompareRow, compareRow, renderCompare, writeChart } from "./compare.js";
import { COMPARE_HEADING, FOUNDATION_HEADING, presetHeading, workspaceRoot, writeBenchmarkDocs } from "./docs.js";
import { machineInfo } from "./machine.js";
import { BASELINE_SIZES, DEFAULT_SIZES, makePhotos, type Photo, sourceNote, userPhotos } from "./photos.js";
import { PNG_HEADING, renderPngBench, runPngBench } from "./png-writer.js";
import type { BareColdReport, ColdReport } from "./protocol.js";
import { type ReportContext, renderReport } from "./report.js";
import { renderServerBench, runServerBench, SERVER_HEADING } from "./server-runs.js";
import { type ChildRun, runBareColdChild, runColdChild, runImglyChild, runWarmChild } from "./spawn-child.js";
import { medianPair, type PhotoSummary, summarize } from "./summary.js";

/** Per photo: a cold child, then a warm child; then the tables (or JSON), and the docs if asked. */
export async function runParent(args: BenchArgs): Promise<number> {
  const root = workspaceRoot();
  const engine = engineOf(args);
  const loadBefore = os.loadavg()[0];
  const dir = await mkdtemp(path.join(os.tmpdir(), "cutout-bench-"));
  try {
    const sizes = args.sizes ?? (args.baseline ? BASELINE_SIZES : args.browser || args.server ? [1] : DEFAULT_SIZES);
    const photos = args.images.length > 0 ? await userPhotos(args.images) : await makePhotos(root, dir, sizes);
    if (args.cli) return await runCliSection(args, root, dir, photos);
    if (args.png) return await runPngSection(args, root, photos);
    if (args.browser) return await runBrowserSection(args, root, photos);
    if (args.server) return await runServerSection(args, root, dir, photos);
    const results: PhotoSummary[] = [];
    const compared: CompareRow[] = [];
    const imglyModel = IMGLY_MODELS[args.model ?? "isnet-fp16"];
    if (args.baseline && (imglyModel === undefined || args.modelPath !== undefined)) {
      throw new Error(
        `--baseline imgly pairs isnet-fp16 with imgly's medium and isnet-q8 with its small; not ${args.modelPath ?? args.model}`,
      );
    }
    const imglyScript = path.join(root, "bench", "imgly-bench-worker.mjs");
    for (const [k, photo] of photos.entries()) {
      const runs = (photo.megapixels ?? 0) > 6 ? (args.runsBig ?? args.runs) : args.runs;
      const batch = args.baseline ? args.batch : 0;
      const cutout = async () => {
        const cold: ChildRun<ColdReport>[] = [];
        const bareCold: ChildRun<BareColdReport>[] = [];
        for (let i = 0; i < args.coldRuns; i++) {
          const turn = args.coldRuns > 1 ? ` (${i + 1} of ${args.coldRuns})` : "";
          const ours = async () => {
            log(`${photo.label}: cold start${turn}…`);
            cold.push(await runColdChild(photo.path, engine));
          };
          const bare = async () => {
            log(`${photo.label}: onnxruntime alone, cold${turn}…`);
            bareCold.push(await runBareColdChild(engine));
          };
          // Taking turns going first, so drift in the machine's load lands on both.
          if (i % 2 === 0) await ours().then(bare);
          else await bare().then(ours);
        }
        log(`${photo.label}: ${runs} warm runs and ${runs} bare session.run${batch > 0 ? `, a batch of ${batch}` : ""}…`);
        const warm = await runWarmChild(photo.path, engine, runs, batch);
        return { cold, bareCold, warm };
      };
      const imgly = async () => {
        log(`${photo.label}: imgly ${imglyModel}: cold start, ${runs} warm runs${batch > 0 ? `, a batch of ${batch}` : ""}…`);
        return runImglyChild(imglyScript, photo.path, imglyModel as string, runs, batch);
      };
      // With a baseline the engines take turns going first, so slow drift in the machine's load lands on both.
      const imglyFirst = args.baseline !== undefined && k % 2 === 1;
      const before = imglyFirst ? await imgly() : undefined;
      const { cold, bareCold, warm } = await cutout();
      results.push(summarize(photo, cold, bareCold, warm));
      if (args.baseline)
        compared.push(
          compareRow(
            photo,
            imglyFirst ? "imgly" : "cutout",
            cold[medianPair(cold, bareCold)] as ChildRun<ColdReport>,
            warm,
            before ?? (await imgly()),
          ),
        );
    }
    const preset = QUALITY_PRESETS[args.quality ?? "best"];
    const context = {
      machine: machineInfo(),
      model: results[0]?.model ?? args.model ?? "default",
      setup: `quality ${args.quality ?? "best"} (${args.precision ?? preset.precision}, ${args.inputSize ?? preset.side} px model input)`,
      threads: args.threads,
      runs: args.runs,
      coldRuns: args.coldRuns,
      photos: sourceNote(args.images.length > 0),
      command: benchCommand(),
      date: today(),
      load: [loadBefore, os.loadavg()[0]] as [number, number],
    };
    const report = renderReport(results, context);
    const chartName = args.quality === undefined || args.quality === "best" ? "benchmarks.png" : `benchmarks-${args.quality}.png`;
    const comparison = args.baseline ? renderCompareSection(compared, context, args, chartName) : undefined;
    const compareHeading = presetHeading(COMPARE_HEADING, args.quality);
    process.stdout.write(
      args.json
        ? `${JSON.stringify({ ...context, results, ...(args.baseline ? { imgly: compared } : {}) }, null, 2)}\n`
        : `\n${report}\n${comparison ? `\n${compareHeading}\n\n${comparison}\n` : ""}`,
    );
    if (args.writeDocs) {
      if (comparison) {
        const chart = await writeChart(root, compared, `Warm latency per photo, ${context.setup} (lower is better)`, chartName);
        log(`wrote ${path.relative(process.cwd(), chart)}`);
        log(`wrote ${path.relative(process.cwd(), await writeBenchmarkDocs(root, comparison, compareHeading))}`);
      } else
        log(
          `wrote ${path.relative(process.cwd(), await writeBenchmarkDocs(root, report, presetHeading(FOUNDATION_HEADING, args.quality)))}`,
        );
    }
    return 0;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `pnpm bench --cli`: the `cutout` command with and without glibc's huge pages. */
async function runCliSection(args: BenchArgs, root: string, dir: string, photos: Photo[]): Promise<number> {
  log(`the cutout command on ${photos.length} photo(s), ${args.runs} runs each way…`);
  const rows = await runCliBench(root, dir, photos, engineOf(args), args.runs, args.batch);
  return printSection(args, root, CLI_HEADING, rows, renderCliBench(rows, args.runs, args.batch, benchCommand(), today()));
}

/** `pnpm bench --server`: `cutout serve` against the CLI's per-image time. */
async function runServerSection(args: BenchArgs, root: string, dir: string, photos: Photo[]): Promise<number> {
  log(`cutout serve on ${photos.length} photo(s): ${args.requests} requests at concurrency ${args.concurrency.join(", ")}…`);
  const rows = await runServerBench(root, dir, photos, engineOf(args), args.requests, args.concurrency, args.batch);
  const body = renderServerBench(rows, args.batch, sourceNote(args.images.length > 0), benchCommand(), today());
  return printSection(args, root, SERVER_HEADING, rows, body);
}

/** `pnpm bench --png`: the PNG writer against libvips', on each photo's cutout. */
async function runPngSection(args: BenchArgs, root: string, photos: Photo[]): Promise<number> {
  log(`the PNG writers on ${photos.length} cutout(s), ${args.runs} rounds each…`);
  const rows = await runPngBench(photos, engineOf(args), args.runs);
  return printSection(
    args,
    root,
    PNG_HEADING,
    rows,
    renderPngBench(rows, args.runs, sourceNote(args.images.length > 0), benchCommand(), today()),
  );
}

/** `pnpm bench --browser`: the engine in Chromium's sandboxed iframe against Node's with one thread. */
async function runBrowserSection(args: BenchArgs, root: string, photos: Photo[]): Promise<number> {
  log(`the engine in Chromium and in Node (one thread) on ${photos.length} photo(s), ${args.runs} warm runs each…`);
  const bench = await runBrowserBench(photos, args.runs, log);
  const body = `${renderBrowserBench(bench, args.runs, machineInfo().cpu)}\n\nDate: ${today()}. Reproduce: \`${benchCommand()}\`.`;
  return printSection(args, root, BROWSER_HEADING, bench, body);
}

/** A section's rows as JSON, or its body as text; with --write-docs, the body replaces its section of docs/benchmarks.md. */
async function printSection(args: BenchArgs, root: string, heading: string, rows: unknown, body: string): Promise<number> {
  process.stdout.write(args.json ? `${JSON.stringify(rows, null, 2)}\n` : `\n${body}\n`);
  if (args.writeDocs) log(`wrote ${path.relative(process.cwd(), await writeBenchmarkDocs(root, body, heading))}`);
  return 0;
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** imgly's model with the same weights at the same precision as ours. */
const IMGLY_MODELS: Record<string, string> = { "isnet-fp16": "medium", "isnet-q8": "small" };

function renderCompareSection(rows: CompareRow[], context: ReportContext, args: BenchArgs, chartName: string): string {
  const m = context.machine;
  const order = rows.map((r) => `${r.label.split(" (")[0]} ${r.first} first`).join(", ");
  return [
    `Same photos, same weights (Cutout ${context.model}, ${context.setup}; imgly \`${IMGLY_MODELS[context.model] ?? "?"}\`), one run of \`${context.command}\`. Ratios are Cutout / imgly: below 1.00 Cutout is faster or smaller; for throughput, above 1.00 Cutout is faster.`,
    "",
    `![Warm latency per photo size, Cutout vs imgly](${chartName})`,
    "",
    renderCompare(rows),
    "",
    "- **cold**: a fresh `node` process, from process start (performance.timeOrigin) to the first PNG in memory, model load included. Cutout: `import` of dist/index.js, `new Remover().remove(path)`. imgly: `bench/imgly-bench-worker.mjs`, `removeBackground(blob, { model, output: { format: 'image/png' } })`.",
    `- **warm**: median of ${args.runs} end-to-end runs${args.runsBig !== undefined ? ` (${args.runsBig} for photos over 6 MP)` : ""} after two untimed ones, file path (or file bytes as a Blob, for imgly) in, PNG bytes out, in one process per engine and photo.`,
    `- **batch**: ${args.batch} images of the same photo through one instance, at most two in flight (the next image decodes while one is in inference), wall time; images per second.`,
    "- **peak RSS**: `process.resourceUsage().maxRSS` of the warm process after two images and the batch (Cutout's is taken before its bare comparison session is created).",
    "- **Cutout e2e / bare**: Cutout's end-to-end time over a bare `session.run` of the same session options on a random tensor, in the same process, alternating (the Foundation benchmark's ratio).",
    `- The two engines run in separate processes one after the other (never at once); the order alternates per photo (${order}). imgly 1.4.5 brings onnxruntime-node 1.17.3 and runs with \`graphOptimizationLevel: "all", executionMode: "parallel"\` and onnxruntime's default threads; Cutout uses onnxruntime-node 1.30.`,
    "",
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGB} GB RAM, ${m.os}, Node ${m.node}. Photos: ${context.photos}. Load average (1 min) ${context.load[0].toFixed(1)} before, ${context.load[1].toFixed(1)} after (a shared machine: absolute times drift by tens of percent between runs; the ratios are measured minutes apart). Date: ${context.date}.`,
    "",
    `Reproduce: \`${context.command}\` (add \`--write-docs\` to rewrite this section and docs/benchmarks.png).`,
  ].join("\n");
}

/** The command that reproduces this run, as the docs quote it. */
function benchCommand(): string {
  return ["pnpm bench", ...process.argv.slice(2).filter((a) => a !== "--write-docs" && a !== "--json")].join(" ");
}

function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}
