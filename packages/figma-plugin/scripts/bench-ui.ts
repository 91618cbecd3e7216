/**
 * Cutout times in the plugin's built UI, per quality preset, against Node's
 * on one thread in the same run: Debian's Chromium, the null-origin iframe
 * and the local CDN stand-in of the UI test (test/support/figma-harness.ts).
 * A 1 MP photo (car-1.jpg resized to 1155x866); each preset in a fresh
 * launch, so its first cutout includes the model's download and int8 build.
 *
 *   pnpm build && pnpm --filter @cutout/figma-plugin bench [runs]
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { Remover } from "@cutout/core";
import { sharp } from "../../../test/support/cli.js";
import { openFigmaHarness } from "../../../test/support/figma-harness.js";
import { cpuSummary } from "../../core/src/node/cpu-features.js";
import type { QualityChoice } from "../src/protocol.js";

const PRESETS: { quality: QualityChoice; side: number }[] = [
  { quality: "fast", side: 704 },
  { quality: "balanced", side: 896 },
  { quality: "best", side: 1024 },
];
const runs = Number(process.argv[2] ?? 3);
const photo = new Uint8Array(
  await sharp(readFileSync(path.join(import.meta.dirname, "../../../test/fixtures/car-1.jpg")))
    .resize(1155, 866)
    .jpeg({ quality: 92 })
    .toBuffer(),
);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const s = (ms: number) => (ms / 1000).toFixed(1);

const harness = await openFigmaHarness();
const rows: string[] = [];
try {
  for (const { quality, side } of PRESETS) {
    await harness.launch("light");
    await harness.init({ quality });
    await harness.ui.locator("#run").click();
    const { run } = await harness.fromUi<{ run: number }>("run");
    const times: number[] = [];
    for (let i = 0; i <= runs; i++) {
      const { answer, ms } = await harness.cut(run, `photo-${i}`, photo);
      if (answer.type !== "result") throw new Error(`${quality}: ${answer.code} ${answer.message}`);
      times.push(ms);
    }
    const node = new Remover({ quality, threads: 1 });
    const nodeTimes: number[] = [];
    for (let i = 0; i <= runs; i++) {
      const t0 = performance.now();
      await node.remove(photo);
      nodeTimes.push(performance.now() - t0);
    }
    await node.close();
    const warm = median(times.slice(1));
    const nodeWarm = median(nodeTimes.slice(1));
    rows.push(`| ${quality} | ${side} | ${s(times[0]!)} | ${s(warm)} | ${s(nodeWarm)} | ${(warm / nodeWarm).toFixed(1)}x |`);
    process.stdout.write(`${quality}: iframe ${times.map(s).join(", ")} s; Node ${nodeTimes.map(s).join(", ")} s\n`);
  }
} finally {
  await harness.close();
}
process.stdout.write(
  `\n${cpuSummary()}; ${runs} warm runs each (median)\n\n` +
    "| preset | model input | iframe first (s) | iframe warm (s) | Node, 1 thread, warm (s) | iframe / Node |\n" +
    "| --- | ---: | ---: | ---: | ---: | ---: |\n" +
    `${rows.join("\n")}\n`,
);
