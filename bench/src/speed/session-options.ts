/**
 * Session-option experiment (not part of `pnpm bench`'s bundle): one process,
 * one session per variant, bare `session.run` on the same fixed random
 * tensor, round-robin over the variants (order reversed every other round)
 * so the machine's load lands on all of them alike. Prints a Markdown table:
 * median ms and ratio to the engine's settings (isnetSessionOptions, the int8
 * model at 1024). Peak memory needs a process per variant: see `pnpm bench`.
 *
 *   tsx bench/src/speed/session-options.ts [rounds]
 */

import { isnetSessionOptions } from "@cutout/core/blocks";
import { loadEngineModel, threadSettings } from "@cutout/core/node";
import type { InferenceSession } from "onnxruntime-common";
import * as ort from "onnxruntime-node";
import { randomInput } from "./bare.js";
import { median, settle } from "./stats.js";
import { table } from "./table.js";

const rounds = Number(process.argv[2] ?? 3);
const current = isnetSessionOptions(threadSettings());

interface Variant {
  name: string;
  model: "int8" | "int8-704" | "float" | "isnet-q8";
  options: InferenceSession.SessionOptions;
}
const variants: Variant[] = [
  {
    name: `engine (int8, all, arena on, memory patterns off, ${current.intraOpNumThreads ?? "default"} threads)`,
    model: "int8",
    options: current,
  },
  { name: "enableMemPattern true", model: "int8", options: { ...current, enableMemPattern: true } },
  { name: "enableCpuMemArena false", model: "int8", options: { ...current, enableCpuMemArena: false } },
  { name: "intraOpNumThreads 1", model: "int8", options: { ...current, intraOpNumThreads: 1, interOpNumThreads: 1 } },
  { name: "intraOpNumThreads 2", model: "int8", options: { ...current, intraOpNumThreads: 2, interOpNumThreads: 1 } },
  { name: "onnxruntime's default threads", model: "int8", options: withoutThreads(current) },
  { name: "graphOptimizationLevel basic", model: "int8", options: { ...current, graphOptimizationLevel: "basic" } },
  { name: "graphOptimizationLevel extended", model: "int8", options: { ...current, graphOptimizationLevel: "extended" } },
  { name: "executionMode parallel", model: "int8", options: { ...current, executionMode: "parallel" } },
  { name: "float: isnet-fp16 as published", model: "float", options: current },
  { name: "float: isnet-q8 (dynamic int8) as published", model: "isnet-q8", options: current },
  { name: "int8 at 704 (quality fast)", model: "int8-704", options: current },
];
/** The options with onnxruntime choosing its thread counts (what the engine ran with before cpuCores). */
function withoutThreads(options: InferenceSession.SessionOptions): InferenceSession.SessionOptions {
  const { intraOpNumThreads: _intra, interOpNumThreads: _inter, ...rest } = options;
  return rest;
}

const sizes: Record<Variant["model"], number> = { int8: 1024, "int8-704": 704, float: 1024, "isnet-q8": 1024 };

function input(size: number): ort.Tensor {
  return new ort.Tensor("float32", randomInput(3 * size * size), [1, 3, size, size]);
}

const bytes: Record<Variant["model"], Uint8Array> = {
  int8: (await loadEngineModel({ precision: "int8" })).bytes,
  "int8-704": (await loadEngineModel({ precision: "int8", inputSize: 704 })).bytes,
  float: (await loadEngineModel({ precision: "float" })).bytes,
  "isnet-q8": (await loadEngineModel({ model: "isnet-q8" })).bytes,
};
const sessions: InferenceSession[] = [];
const createMs: number[] = [];
for (const v of variants) {
  const t = performance.now();
  sessions.push(await ort.InferenceSession.create(bytes[v.model], v.options));
  createMs.push(performance.now() - t);
}
const feeds = new Map([1024, 704].map((s) => [s, input(s)]));
const times = variants.map(() => [] as number[]);
// One untimed warm-up run each.
for (const [k, v] of variants.entries()) await sessions[k].run({ input: feeds.get(sizes[v.model])! }, ["output"]);
for (let r = 0; r < rounds; r++) {
  const order = variants.map((_, k) => k);
  if (r % 2 === 1) order.reverse();
  for (const k of order) {
    await settle();
    const t = performance.now();
    await sessions[k].run({ input: feeds.get(sizes[variants[k].model])! }, ["output"]);
    times[k].push(performance.now() - t);
  }
  process.stderr.write(`round ${r + 1}/${rounds}\n`);
}
const base = median(times[0]);
process.stdout.write(
  `${table(
    ["variant", "median ms", "ratio to engine", "min ms", "session create ms"],
    variants.map((v, k) => [
      v.name,
      Math.round(median(times[k])).toString(),
      (median(times[k]) / base).toFixed(2),
      Math.round(Math.min(...times[k])).toString(),
      Math.round(createMs[k]).toString(),
    ]),
  )}\n\nRounds: ${rounds}, one session per variant in one process, round-robin, order reversed every other round, each run after a 50 ms pause so the previous session's threads are asleep. Load average ${JSON.stringify(await import("node:os").then((os) => os.loadavg().map((l) => l.toFixed(1))))}.\n`,
);
process.stdout.write(`${JSON.stringify(variants.map((v, k) => ({ name: v.name, ms: times[k].map(Math.round) })))}\n`);
