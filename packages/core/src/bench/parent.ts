import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { BenchArgs } from "./args.js";
import { workspaceRoot, writeBenchmarkDocs } from "./docs.js";
import { machineInfo } from "./machine.js";
import { makePhotos, sourceNote, userPhotos } from "./photos.js";
import type { EngineChoice } from "./protocol.js";
import { renderReport } from "./report.js";
import { runColdChild, runWarmChild } from "./spawn-child.js";
import { type PhotoSummary, summarize } from "./summary.js";

/** Per photo: a cold child, then a warm child; then the tables (or JSON), and the docs if asked. */
export async function runParent(args: BenchArgs): Promise<number> {
  const root = workspaceRoot();
  const engine: EngineChoice = { model: args.model, modelPath: args.modelPath, threads: args.threads };
  const loadBefore = os.loadavg()[0];
  const dir = await mkdtemp(path.join(os.tmpdir(), "cutout-bench-"));
  try {
    const photos = args.images.length > 0 ? await userPhotos(args.images) : await makePhotos(root, dir);
    const results: PhotoSummary[] = [];
    for (const photo of photos) {
      log(`${photo.label}: cold start…`);
      const cold = await runColdChild(photo.path, engine);
      log(`${photo.label}: ${args.runs} warm runs and ${args.runs} bare session.run…`);
      const warm = await runWarmChild(photo.path, engine, args.runs);
      results.push(summarize(photo, cold, warm));
    }
    const context = {
      machine: machineInfo(),
      model: results[0]?.model ?? args.model ?? "default",
      threads: args.threads,
      runs: args.runs,
      photos: sourceNote(args.images.length > 0),
      command: ["pnpm bench", ...process.argv.slice(2).filter((a) => a !== "--write-docs" && a !== "--json")].join(" "),
      date: new Date().toISOString().slice(0, 10),
      load: [loadBefore, os.loadavg()[0]] as [number, number],
    };
    const report = renderReport(results, context);
    process.stdout.write(args.json ? `${JSON.stringify({ ...context, results }, null, 2)}\n` : `\n${report}\n`);
    if (args.writeDocs) log(`wrote ${path.relative(process.cwd(), await writeBenchmarkDocs(root, report))}`);
    return 0;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}
