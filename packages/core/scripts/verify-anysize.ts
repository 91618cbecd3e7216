/**
 * Checks a size-free ISNet (scripts/resize-isnet.ts) against its original: the
 * same random 1024 input through both (max abs difference of `output`), then
 * runs at other sizes, timing bare session.run (median, alternating sizes).
 *
 *   tsx packages/core/scripts/verify-anysize.ts ORIGINAL.onnx PATCHED.onnx [runs] [sizes]
 */
import { readFile } from "node:fs/promises";
import * as ort from "onnxruntime-node";
import { randomInput } from "../../../bench/src/speed/bare.js";

const [original, patched, runsText, sizesText] = process.argv.slice(2);
const runs = Number(runsText ?? 3);
const sizes = (sizesText ?? "512,768,1024").split(",").map(Number);
const options = { graphOptimizationLevel: "all", enableCpuMemArena: false } as const;

function input(size: number): ort.Tensor {
  return new ort.Tensor("float32", randomInput(3 * size * size), [1, 3, size, size]);
}

const b = await ort.InferenceSession.create(await readFile(patched), options);
{
  const a = await ort.InferenceSession.create(await readFile(original), options);
  const x = input(1024);
  const ya = (await a.run({ input: x }, ["output"])).output.data as Float32Array;
  const yb = (await b.run({ input: x }, ["output"])).output.data as Float32Array;
  let max = 0;
  for (let i = 0; i < ya.length; i++) max = Math.max(max, Math.abs(ya[i] - yb[i]));
  console.log(JSON.stringify({ check: "1024 original vs patched", maxAbsDiff: max, length: ya.length }));
  await a.release();
}
const feeds = new Map(sizes.map((s) => [s, input(s)]));
for (const s of sizes) {
  const y = (await b.run({ input: feeds.get(s)! }, ["output"])).output;
  console.log(JSON.stringify({ size: s, outputDims: y.dims }));
}
const times = new Map<number, number[]>(sizes.map((s) => [s, []]));
for (let r = 0; r < runs; r++) {
  for (const s of r % 2 === 0 ? sizes : [...sizes].reverse()) {
    const t = performance.now();
    await b.run({ input: feeds.get(s)! }, ["output"]);
    times.get(s)!.push(performance.now() - t);
  }
}
const median = (v: number[]) => [...v].sort((p, q) => p - q)[v.length >> 1];
for (const s of sizes)
  console.log(JSON.stringify({ size: s, bareMedianMs: Math.round(median(times.get(s)!)), ms: times.get(s)!.map(Math.round) }));
