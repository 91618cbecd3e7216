import { Remover } from "@cutout/core";
import { BareSession } from "./bare.js";
import { type BatchReport, type EngineChoice, PNG_AT_ANY_SIZE, STAGES, type Stage, type WarmReport } from "./protocol.js";
import { elapsedSince, settle } from "./stats.js";

/**
 * Runs in its own process per photo, so one size's memory does not show in
 * another's peak. Two untimed `remove` calls (the first loads the model) and
 * the peak RSS; then a bare session beside the Remover, and N timed
 * `remove` calls alternating with N bare `session.run` calls, so load on a
 * shared machine drifts into both sides of the ratio alike. Each timed call
 * starts after a pause (settle) so the other session's threads are asleep.
 */
export async function runWarm(image: string, engine: EngineChoice, runs: number, batchSize = 0): Promise<WarmReport> {
  const remover = new Remover(engine);
  const first = await remover.remove(image, PNG_AT_ANY_SIZE);
  await remover.remove(image, PNG_AT_ANY_SIZE);
  const peakRssKiB = process.resourceUsage().maxRSS;
  // Throughput before the bare session exists, so its peak RSS is the Remover's alone.
  const batch = batchSize > 0 ? await runBatch(batchSize, () => remover.remove(image, PNG_AT_ANY_SIZE)) : undefined;
  const bare = await BareSession.create(engine);
  await bare.run();
  const e2eMs: number[] = [];
  const bareMs: number[] = [];
  const stageMs = Object.fromEntries(STAGES.map((s) => [s, [] as number[]])) as Record<Stage, number[]>;
  for (let i = 0; i < runs; i++) {
    await settle();
    const start = performance.now();
    const result = await remover.remove(image, PNG_AT_ANY_SIZE);
    e2eMs.push(elapsedSince(start));
    for (const stage of STAGES) stageMs[stage].push(result.timings[stage]);
    await settle();
    bareMs.push(await bare.run());
  }
  const peakRssWithBareKiB = process.resourceUsage().maxRSS;
  await bare.release();
  await remover.close();
  return {
    kind: "warm",
    width: first.width,
    height: first.height,
    model: first.model,
    e2eMs,
    stageMs,
    peakRssKiB,
    peakRssWithBareKiB,
    modelBytesMs: bare.modelBytesMs,
    sessionCreateMs: bare.sessionCreateMs,
    bareMs,
    ...(batch === undefined ? {} : { batch }),
  };
}

/**
 * A batch of `size` images of the same photo, at most two in flight (one
 * decoding or encoding while the other is in inference), as a batch caller
 * would: wall time for all of them, and the peak RSS after.
 */
export async function runBatch(size: number, one: () => Promise<unknown>): Promise<BatchReport> {
  const start = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < size) {
      next++;
      await one();
    }
  };
  await Promise.all([lane(), lane()]);
  return { images: size, ms: elapsedSince(start), peakRssKiB: process.resourceUsage().maxRSS };
}
