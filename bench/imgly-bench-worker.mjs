/**
 * Child process of `pnpm bench --baseline imgly` (bench/src/speed/spawn-child.ts):
 * imgly's own public API (`removeBackground` from @imgly/background-removal-node,
 * AGPL, a dev dependency of this private package only) on one photo, the way
 * Cutout's cold and warm bench children run `Remover.remove`. Plain JS, so a
 * fresh process pays only for Node and imgly (no build, no bundler).
 *
 * argv: --image FILE --runs N [--batch N] [--model medium|small]
 * stdout: one line, `BENCH_REPORT {"kind":"imgly", ...}` (see ImglyReport in protocol.ts).
 *
 * The first call (process start to the first PNG, model load included) is the
 * cold number; a second untimed call, then N timed calls (median reported),
 * then the batch (at most two in flight) reuse imgly's memoized session, as
 * imgly does for calls with the same config.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: { image: { type: "string" }, runs: { type: "string" }, batch: { type: "string" }, model: { type: "string" } },
});
const image = values.image;
if (!image) throw new Error("--image is required");
const runs = Number(values.runs ?? 5);
const batchSize = Number(values.batch ?? 0);

const require = createRequire(import.meta.url);
const entry = require.resolve("@imgly/background-removal-node");
const { removeBackground } = await import("@imgly/background-removal-node");
// imgly's default publicPath is node_modules/... under the cwd; point it at the package itself.
const config = {
  publicPath: `${pathToFileURL(path.dirname(entry)).href}/`,
  model: values.model ?? "medium",
  output: { format: "image/png" },
};

/** One photo end to end: file bytes in, PNG bytes out (as Cutout's `remove(path)` with PNG output). */
async function one() {
  const input = new Blob([await readFile(image)], { type: "application/octet-stream" });
  const blob = await removeBackground(input, config);
  return Buffer.from(await blob.arrayBuffer());
}

await one();
const firstResultMs = performance.now();
const coldRssKiB = process.resourceUsage().maxRSS;
await one();
const peakRssKiB = process.resourceUsage().maxRSS;
const e2eMs = [];
for (let i = 0; i < runs; i++) {
  const start = performance.now();
  await one();
  e2eMs.push(performance.now() - start);
}
let batch;
if (batchSize > 0) {
  const start = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < batchSize) {
      next++;
      await one();
    }
  };
  await Promise.all([lane(), lane()]);
  batch = { images: batchSize, ms: performance.now() - start, peakRssKiB: process.resourceUsage().maxRSS };
}
process.stdout.write(`BENCH_REPORT ${JSON.stringify({ kind: "imgly", firstResultMs, coldRssKiB, peakRssKiB, e2eMs, batch })}\n`);
