import { Remover } from "../node/remover.js";
import { timeBareRuns } from "./bare.js";
import { type EngineChoice, STAGES, type Stage, type WarmReport } from "./protocol.js";
import { elapsedSince } from "./stats.js";

/**
 * Runs in its own process per photo, so one size's memory does not show in
 * another's peak: one warm-up, N timed `remove` calls, the peak RSS, then the
 * model alone on the same threads.
 */
export async function runWarm(image: string, engine: EngineChoice, runs: number): Promise<WarmReport> {
  const remover = new Remover(engine);
  const first = await remover.remove(image);
  const e2eMs: number[] = [];
  const stageMs = Object.fromEntries(STAGES.map((s) => [s, [] as number[]])) as Record<Stage, number[]>;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const result = await remover.remove(image);
    e2eMs.push(elapsedSince(start));
    for (const stage of STAGES) stageMs[stage].push(result.timings[stage]);
  }
  const peakRssKiB = process.resourceUsage().maxRSS;
  await remover.close();
  const bare = await timeBareRuns(engine, runs);
  return {
    kind: "warm",
    width: first.width,
    height: first.height,
    model: first.model,
    e2eMs,
    stageMs,
    peakRssKiB,
    modelBytesMs: bare.modelBytesMs,
    sessionCreateMs: bare.sessionCreateMs,
    bareMs: bare.runMs,
  };
}
