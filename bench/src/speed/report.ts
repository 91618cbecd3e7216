import type { MachineInfo } from "./machine.js";
import { STAGES } from "./protocol.js";
import type { PhotoSummary } from "./summary.js";
import { millis, seconds, table } from "./table.js";

/** The overhead budget from the issue: end-to-end at most 15% above bare inference. */
export const RATIO_GOAL = 1.15;
/** The cold-start budget from the issue: the first result at most 20% above onnxruntime's own load plus first run. */
export const COLD_GOAL = 1.2;

export interface ReportContext {
  machine: MachineInfo;
  model: string;
  /** The preset as run: "quality best (int8, 1024 px model input)". */
  setup: string;
  threads: number | undefined;
  runs: number;
  /** Cold starts per photo (--cold-runs), each a Cutout process and a bare one. */
  coldRuns: number;
  photos: string;
  command: string;
  date: string;
  /** One-minute load average before and after the run: how busy the machine was. */
  load: [number, number];
}

/** The results as Markdown: printed as is, and the body of the docs section. */
export function renderReport(results: PhotoSummary[], context: ReportContext): string {
  const headline = table(
    ["photo", "cold first result (s)", "warm e2e median (s)", "bare run median (s)", "e2e / bare", "fastest / fastest", "peak RSS (MB)"],
    results.map((r) => [
      r.label,
      seconds(r.cold.firstResultMs),
      seconds(r.warm.e2eMedianMs),
      seconds(r.warm.bareMedianMs),
      r.warm.ratio.toFixed(2),
      r.warm.ratioOfMinima.toFixed(2),
      Math.round(r.warm.peakRssMB).toString(),
    ]),
  );
  const stages = table(
    ["photo", ...STAGES, "e2e − inference"],
    results.map((r) => [r.label, ...STAGES.map((s) => millis(r.warm.stageMedianMs[s])), millis(r.warm.outsideInferenceMs)]),
  );
  const cold = table(
    ["photo", "node boot", "import core", "model load", "first inference", "other stages", "first result", "process wall", "peak RSS (MB)"],
    results.map((r) => [
      r.label,
      millis(r.cold.bootMs),
      millis(r.cold.importMs),
      millis(r.cold.modelLoadMs),
      millis(r.cold.firstInferenceMs),
      millis(r.cold.otherStagesMs),
      millis(r.cold.firstResultMs),
      millis(r.cold.processWallMs),
      Math.round(r.cold.maxRssMB).toString(),
    ]),
  );
  const bareCold = table(
    ["photo", "bare: boot + import", "bare: model load", "bare: first run", "bare: first result", "Cutout: first result", "Cutout / bare"],
    results.map((r) => [
      r.label,
      millis(r.cold.bare.bootImportMs),
      millis(r.cold.bare.loadMs),
      millis(r.cold.bare.firstRunMs),
      millis(r.cold.bare.firstResultMs),
      millis(r.cold.firstResultMs),
      r.cold.ratio.toFixed(2),
    ]),
  );
  const coldVerdicts = results
    .map((r) => `${r.label} ${r.cold.ratio.toFixed(3)} (${r.cold.ratio <= COLD_GOAL ? "within" : "over"} the ${COLD_GOAL} goal)`)
    .join(", ");
  const split = results
    .map((r) => `${r.label}: read + sha256 ${millis(r.warm.modelBytesMs)} ms, InferenceSession.create ${millis(r.warm.sessionCreateMs)} ms`)
    .join("; ");
  const verdicts = results
    .map((r) => `${r.label} ${r.warm.ratio.toFixed(3)} (${r.warm.ratio <= RATIO_GOAL ? "within" : "over"} the ${RATIO_GOAL} goal)`)
    .join(", ");
  const m = context.machine;
  return [
    headline,
    "",
    `e2e / bare: each timed end-to-end \`remover.remove(path)\` is paired with a bare \`session.run\` right after it (same process, same threads, a random 1x3x1024x1024 tensor), and each timed call starts after a 50 ms pause, so that the other session's onnxruntime threads, which spin for a while after a run, are asleep (a real process has one session); the column is the median of the ${context.runs} per-pair ratios. Everything above 1.00 is our own overhead; the goal is at most ${RATIO_GOAL}. This run: ${verdicts}. Fastest / fastest is the fastest end-to-end run over the fastest bare run: other tenants only ever add time, so on a busy machine it is the steadier estimate.`,
    "",
    "Absolute times depend on the machine and on its other tenants: on a shared 2-core machine they drift by tens of percent between runs. The ratio is measured seconds apart in one process, so it is the number to track.",
    "",
    `Warm stage medians (ms), from \`result.timings\` over ${context.runs} runs after two untimed ones. Decode counts what decoding cost beyond what ran beside inference: a JPEG or WebP at least twice the model input on both sides has only a shrink-on-load preview decoded first, and its full pixels decode during inference. The last column is the median of end-to-end minus the inference stage within each run: our own time, whatever the machine's load does to inference.`,
    "",
    stages,
    "",
    `Cold start (ms): a fresh \`node\` process imports \`packages/core/dist/index.js\` and runs \`new Remover().remove(photo)\` once. First result is measured from process start (performance.timeOrigin) in the child; process wall is spawn to exit, measured by the parent. The model file is in the OS page cache (process-cold, not disk-cold). Model load is what the first image waited for the model after its own decode and model input: the model loads while those are made, so a large photo may not wait at all.${coldRunsNote(context.coldRuns, results)}`,
    "",
    cold,
    "",
    `Cold start against onnxruntime alone (ms): a second fresh process imports onnxruntime-node, reads the same model bytes (sha256 checked, as the engine does), creates a session with the engine's options and runs it once on a random tensor; first result is from process start in both. The goal is at most ${COLD_GOAL}x. This run: ${coldVerdicts}.`,
    "",
    bareCold,
    "",
    `Model load, split (measured in the warm process): ${split}.`,
    "",
    "Peak RSS is `process.resourceUsage().maxRSS` of the warm process (one per photo) after two images through `remove`, before the bare session is created (a second copy of the model would double count). The timed runs then alternate `remove` and bare `session.run`, so load from other tenants lands on both sides of the ratio.",
    "",
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGB} GB RAM, ${m.os}, Node ${m.node}. Model: ${context.model}, ${context.setup}. Threads: ${context.threads ?? "onnxruntime's default"}. Photos: ${context.photos}. Load average (1 min) ${context.load[0].toFixed(1)} before, ${context.load[1].toFixed(1)} after. Date: ${context.date}.`,
    "",
    `Reproduce: \`${context.command}\``,
  ].join("\n");
}

/** With --cold-runs N, which of the runs the cold tables show, and all the pairs' first results. */
function coldRunsNote(coldRuns: number, results: PhotoSummary[]): string {
  if (coldRuns <= 1) return "";
  const pairs = results
    .map((r) => `${r.label}: ${r.cold.pairs.map(([ours, bare]) => `${millis(ours)}/${millis(bare)}`).join(", ")}`)
    .join("; ");
  return ` Each photo had ${coldRuns} cold pairs (a Cutout process and an onnxruntime-alone process, taking turns going first); both cold tables show the pair whose ratio is the median, so every column of a row comes from the same two processes. First results of every pair (Cutout/bare, ms): ${pairs}.`;
}
