import type { MachineInfo } from "./machine.js";
import { STAGES } from "./protocol.js";
import type { PhotoSummary } from "./summary.js";
import { millis, seconds, table } from "./table.js";

/** The overhead budget from the issue: end-to-end at most 15% above bare inference. */
export const RATIO_GOAL = 1.15;

export interface ReportContext {
  machine: MachineInfo;
  model: string;
  threads: number | undefined;
  runs: number;
  photos: string;
  command: string;
  date: string;
}

/** The results as Markdown: printed as is, and the body of the docs section. */
export function renderReport(results: PhotoSummary[], context: ReportContext): string {
  const headline = table(
    ["photo", "cold first result (s)", "warm e2e median (s)", "bare run median (s)", "e2e / bare", "peak RSS (MB)"],
    results.map((r) => [
      r.label,
      seconds(r.cold.firstResultMs),
      seconds(r.warm.e2eMedianMs),
      seconds(r.warm.bareMedianMs),
      r.warm.ratio.toFixed(2),
      Math.round(r.warm.peakRssMB).toString(),
    ]),
  );
  const stages = table(
    ["photo", ...STAGES, "e2e − bare"],
    results.map((r) => [r.label, ...STAGES.map((s) => millis(r.warm.stageMedianMs[s])), millis(r.warm.e2eMedianMs - r.warm.bareMedianMs)]),
  );
  const cold = table(
    ["photo", "node boot", "import core", "model load", "first inference", "other stages", "first result", "process wall"],
    results.map((r) => [
      r.label,
      millis(r.cold.bootMs),
      millis(r.cold.importMs),
      millis(r.cold.modelLoadMs),
      millis(r.cold.firstInferenceMs),
      millis(r.cold.otherStagesMs),
      millis(r.cold.firstResultMs),
      millis(r.cold.processWallMs),
    ]),
  );
  const split = results
    .map((r) => `${r.label}: read + sha256 ${millis(r.warm.modelBytesMs)} ms, InferenceSession.create ${millis(r.warm.sessionCreateMs)} ms`)
    .join("; ");
  const verdicts = results
    .map((r) => `${r.label} ${r.warm.ratio.toFixed(2)} (${r.warm.ratio <= RATIO_GOAL ? "within" : "over"} the ${RATIO_GOAL} goal)`)
    .join(", ");
  const m = context.machine;
  return [
    headline,
    "",
    `e2e / bare is the median end-to-end \`remover.remove(path)\` over the median bare \`session.run\` (same process, same threads, random 1x3x1024x1024 tensor). Everything above 1.00 is our own overhead; the goal is at most ${RATIO_GOAL}. This run: ${verdicts}.`,
    "",
    "Absolute times depend on the machine and on its other tenants: on a shared machine they drift by tens of percent between runs. The ratio is measured minutes apart in one process, so it is the number to track.",
    "",
    `Warm stage medians (ms), from \`result.timings\` over ${context.runs} runs after one warm-up:`,
    "",
    stages,
    "",
    "Cold start (ms): a fresh `node` process imports `packages/core/dist/index.js` and runs `new Remover().remove(photo)` once. First result is measured from process start (performance.timeOrigin) in the child; process wall is spawn to exit, measured by the parent. The model file is in the OS page cache (process-cold, not disk-cold).",
    "",
    cold,
    "",
    `Model load, split (measured in the warm process): ${split}.`,
    "",
    `Peak RSS is \`process.resourceUsage().maxRSS\` of the warm process (one per photo) after its end-to-end runs, before the bare session is created.`,
    "",
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGB} GB RAM, ${m.os}, Node ${m.node}. Model: ${context.model}. Threads: ${context.threads ?? "onnxruntime's default"}. Photos: ${context.photos}. Date: ${context.date}.`,
    "",
    `Reproduce: \`${context.command}\``,
  ].join("\n");
}
