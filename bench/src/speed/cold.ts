import { type BareColdReport, type ColdReport, type EngineChoice, PNG_AT_ANY_SIZE } from "./protocol.js";

type Core = typeof import("@cutout/core");

/**
 * Runs in a fresh process: imports the built package as a user would, and
 * removes one background. performance.timeOrigin is the process start.
 */
export async function runCold(image: string, engine: EngineChoice): Promise<ColdReport> {
  const bootMs = performance.now();
  // The built entry next to this bundle, not a second copy bundled into the bench.
  const entry = new URL("../../packages/core/dist/index.js", import.meta.url).href;
  const core: Core = await import(entry);
  const importMs = performance.now() - bootMs;
  const remover = new core.Remover(engine);
  const result = await remover.remove(image, PNG_AT_ANY_SIZE);
  const firstResultMs = performance.now();
  await remover.close();
  return {
    kind: "cold",
    firstResultMs,
    bootMs,
    importMs,
    timings: result.timings,
    model: result.model,
    maxRssKiB: process.resourceUsage().maxRSS,
  };
}

/** Runs in a fresh process: onnxruntime alone, from process start to its first output. */
export async function runBareCold(engine: EngineChoice): Promise<BareColdReport> {
  const bootMs = performance.now();
  const { BareSession } = await import("./bare.js");
  const importMs = performance.now() - bootMs;
  const bare = await BareSession.create(engine);
  const firstRunMs = await bare.run();
  const firstResultMs = performance.now();
  await bare.release();
  const { modelBytesMs, sessionCreateMs } = bare;
  return { kind: "bare-cold", firstResultMs, bootMs, importMs, modelBytesMs, sessionCreateMs, firstRunMs };
}
