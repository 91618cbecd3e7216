import type { Photo } from "./photos.js";
import { type BareColdReport, type ColdReport, STAGES, type Stage, type WarmReport } from "./protocol.js";
import type { ChildRun } from "./spawn-child.js";
import { median } from "./stats.js";

/** One photo's numbers, as the tables and the JSON show them. */
export interface PhotoSummary {
  label: string;
  model: string;
  width: number;
  height: number;
  cold: {
    /** Process start to the first result, measured in the child. */
    firstResultMs: number;
    /** Spawn to exit, measured by the parent. */
    processWallMs: number;
    bootMs: number;
    importMs: number;
    modelLoadMs: number;
    firstInferenceMs: number;
    /** read, decode, preprocess, postprocess and encode of the first image. */
    otherStagesMs: number;
    maxRssMB: number;
    /** onnxruntime alone in a fresh process (BareColdReport): start to its first output, and its parts. */
    bare: { firstResultMs: number; bootImportMs: number; loadMs: number; firstRunMs: number };
    /** Our first result over the bare process's: the cold-start target is at most 1.2. */
    ratio: number;
    /** With --cold-runs N: every pair's first results (ours, bare), in the order run; the fields above are the median pair's. */
    pairs: [number, number][];
  };
  warm: {
    runs: number;
    e2eMedianMs: number;
    bareMedianMs: number;
    /**
     * Median of the per-pair ratios (each timed remove over the bare run right
     * after it), so slow drift in machine load cancels; above 1.0 is our own overhead.
     */
    ratio: number;
    /** Median end-to-end over median bare run, for comparison. */
    ratioOfMedians: number;
    /** Fastest end-to-end over fastest bare run: other tenants only ever add time, so the minima are the least disturbed. */
    ratioOfMinima: number;
    stageMedianMs: Record<Stage, number>;
    /** Median of (end-to-end − inference stage) per run: our own time, untouched by the bare run's noise. */
    outsideInferenceMs: number;
    peakRssMB: number;
    peakRssWithBareMB: number;
    modelBytesMs: number;
    sessionCreateMs: number;
    e2eMs: number[];
    bareMs: number[];
  };
}

/**
 * Which of the cold pairs (a Cutout process and a bare one, run one after
 * the other) has the median ratio: its parts are shown, so that every
 * column of a row comes from the same two processes.
 */
export function medianPair(cold: ChildRun<ColdReport>[], bare: ChildRun<BareColdReport>[]): number {
  const ratios = cold.map((c, i) => ({ i, ratio: c.report.firstResultMs / (bare[i] as ChildRun<BareColdReport>).report.firstResultMs }));
  ratios.sort((a, b) => a.ratio - b.ratio);
  return (ratios[(ratios.length - 1) >> 1] as { i: number }).i;
}

export function summarize(
  photo: Photo,
  colds: ChildRun<ColdReport>[],
  bareColds: ChildRun<BareColdReport>[],
  warm: ChildRun<WarmReport>,
): PhotoSummary {
  const pair = medianPair(colds, bareColds);
  const cold = colds[pair] as ChildRun<ColdReport>;
  const c = cold.report;
  const b = (bareColds[pair] as ChildRun<BareColdReport>).report;
  const w = warm.report;
  const e2eMedianMs = median(w.e2eMs);
  const bareMedianMs = median(w.bareMs);
  const stageMedianMs = Object.fromEntries(STAGES.map((s) => [s, median(w.stageMs[s])])) as Record<Stage, number>;
  const t = c.timings;
  return {
    label: photo.label,
    model: w.model,
    width: w.width,
    height: w.height,
    cold: {
      firstResultMs: c.firstResultMs,
      processWallMs: cold.wallMs,
      bootMs: c.bootMs,
      importMs: c.importMs,
      modelLoadMs: t.modelLoad,
      firstInferenceMs: t.inference,
      otherStagesMs: t.read + t.decode + t.preprocess + t.postprocess + t.encode,
      maxRssMB: kibToMB(c.maxRssKiB),
      bare: {
        firstResultMs: b.firstResultMs,
        bootImportMs: b.bootMs + b.importMs,
        loadMs: b.modelBytesMs + b.sessionCreateMs,
        firstRunMs: b.firstRunMs,
      },
      ratio: c.firstResultMs / b.firstResultMs,
      pairs: colds.map((run, i) => [run.report.firstResultMs, (bareColds[i] as ChildRun<BareColdReport>).report.firstResultMs]),
    },
    warm: {
      runs: w.e2eMs.length,
      e2eMedianMs,
      bareMedianMs,
      ratio: median(w.e2eMs.map((e, i) => e / w.bareMs[i])),
      ratioOfMedians: e2eMedianMs / bareMedianMs,
      ratioOfMinima: Math.min(...w.e2eMs) / Math.min(...w.bareMs),
      stageMedianMs,
      outsideInferenceMs: median(w.e2eMs.map((e, i) => e - w.stageMs.inference[i])),
      peakRssMB: kibToMB(w.peakRssKiB),
      peakRssWithBareMB: kibToMB(w.peakRssWithBareKiB),
      modelBytesMs: w.modelBytesMs,
      sessionCreateMs: w.sessionCreateMs,
      e2eMs: w.e2eMs,
      bareMs: w.bareMs,
    },
  };
}

function kibToMB(kib: number): number {
  return (kib * 1024) / 1e6;
}
