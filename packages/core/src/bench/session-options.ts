/**
 * Session-option experiment (not part of `pnpm bench`'s bundle): one process,
 * one session per variant, bare `session.run` on the same fixed random
 * tensor, round-robin over the variants (order reversed every other round)
 * so the machine's load lands on all of them alike. Prints a Markdown table:
 * median ms and ratio to the engine's current settings (IsnetSession:
 * graphOptimizationLevel all, enableCpuMemArena false, onnxruntime's default
 * threads, sequential).
 *
 *   tsx packages/core/src/bench/session-options.ts [rounds] [anysize.onnx]
 */
import { readFile } from "node:fs/promises";
import type { InferenceSession } from "onnxruntime-common";
import * as ort from "onnxruntime-node";
import { loadModelBytes } from "../node/load-model.js";
import { randomInput } from "./bare.js";
import { median } from "./stats.js";
import { table } from "./table.js";

const rounds = Number(process.argv[2] ?? 3);
const anysize = process.argv[3];
const current: InferenceSession.SessionOptions = { graphOptimizationLevel: "all", enableCpuMemArena: false };

interface Variant {
  name: string;
  model: "isnet-fp16" | "isnet-q8" | "anysize";
  size: number;
  options: InferenceSession.SessionOptions;
}
const variants: Variant[] = [
  { name: "current (all, arena off, default threads, sequential)", model: "isnet-fp16", size: 1024, options: current },
  { name: "intraOpNumThreads 1", model: "isnet-fp16", size: 1024, options: { ...current, intraOpNumThreads: 1, interOpNumThreads: 1 } },
  { name: "intraOpNumThreads 2", model: "isnet-fp16", size: 1024, options: { ...current, intraOpNumThreads: 2, interOpNumThreads: 1 } },
  { name: "graphOptimizationLevel basic", model: "isnet-fp16", size: 1024, options: { ...current, graphOptimizationLevel: "basic" } },
  { name: "graphOptimizationLevel extended", model: "isnet-fp16", size: 1024, options: { ...current, graphOptimizationLevel: "extended" } },
  { name: "enableCpuMemArena true", model: "isnet-fp16", size: 1024, options: { ...current, enableCpuMemArena: true } },
  { name: "executionMode parallel", model: "isnet-fp16", size: 1024, options: { ...current, executionMode: "parallel" } },
  { name: "isnet-q8 (current options)", model: "isnet-q8", size: 1024, options: current },
];
if (anysize) {
  for (const size of [768, 512]) variants.push({ name: `isnet-fp16 size-free at ${size}`, model: "anysize", size, options: current });
}

function input(size: number): ort.Tensor {
  return new ort.Tensor("float32", randomInput(3 * size * size), [1, 3, size, size]);
}

const bytes = {
  "isnet-fp16": (await loadModelBytes({ model: "isnet-fp16" })).bytes,
  "isnet-q8": (await loadModelBytes({ model: "isnet-q8" })).bytes,
  anysize: anysize ? new Uint8Array(await readFile(anysize)) : new Uint8Array(),
};
const sessions: InferenceSession[] = [];
const createMs: number[] = [];
for (const v of variants) {
  const t = performance.now();
  sessions.push(await ort.InferenceSession.create(bytes[v.model], v.options));
  createMs.push(performance.now() - t);
}
const feeds = new Map([1024, 768, 512].map((s) => [s, input(s)]));
const times = variants.map(() => [] as number[]);
// One untimed warm-up run each.
for (const [k, v] of variants.entries()) await sessions[k].run({ input: feeds.get(v.size)! }, ["output"]);
for (let r = 0; r < rounds; r++) {
  const order = variants.map((_, k) => k);
  if (r % 2 === 1) order.reverse();
  for (const k of order) {
    const t = performance.now();
    await sessions[k].run({ input: feeds.get(variants[k].size)! }, ["output"]);
    times[k].push(performance.now() - t);
  }
  process.stderr.write(`round ${r + 1}/${rounds}\n`);
}
const base = median(times[0]);
process.stdout.write(
  `${table(
    ["variant", "median ms", "ratio to current", "min ms", "session create ms"],
    variants.map((v, k) => [
      v.name,
      Math.round(median(times[k])).toString(),
      (median(times[k]) / base).toFixed(2),
      Math.round(Math.min(...times[k])).toString(),
      Math.round(createMs[k]).toString(),
    ]),
  )}\n\nRounds: ${rounds}, one session per variant in one process, round-robin, order reversed every other round. Load average ${JSON.stringify(await import("node:os").then((os) => os.loadavg().map((l) => l.toFixed(1))))}.\n`,
);
process.stdout.write(`${JSON.stringify(variants.map((v, k) => ({ name: v.name, ms: times[k].map(Math.round) })))}\n`);
