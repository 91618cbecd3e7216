import { spawn } from "node:child_process";
import { copyFile, mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { choosesHugePages, HUGE_PAGE_TUNABLE, HUGE_PAGES_SWITCH, thpMode } from "../node/huge-pages.js";
import { engineFlags } from "./args.js";
import type { Photo } from "./photos.js";
import type { EngineChoice } from "./protocol.js";
import { median } from "./stats.js";
import { seconds, table } from "./table.js";

export const CLI_HEADING = "## CLI: huge pages";

export interface CliRow {
  label: string;
  /** Wall times (ms) of `cutout photo.jpg`, spawn to exit, with the huge-page relaunch (the default) and without. */
  cold: { on: number[]; off: number[] };
  /** Wall time per image (ms) of one `cutout` call on `batch` copies of the photo. */
  batch: { on: number[]; off: number[] };
}

/**
 * `cutout` as a user runs it, in fresh processes, with its huge-page relaunch
 * (src/node/huge-pages.ts) and with CUTOUT_HUGE_PAGES=0, taking turns so that
 * drift in the machine's load lands on both.
 */
export async function runCliBench(
  root: string,
  dir: string,
  photos: Photo[],
  engine: EngineChoice,
  runs: number,
  batch: number,
): Promise<CliRow[]> {
  const cli = path.join(root, "packages", "core", "bin", "cutout.js");
  const rows: CliRow[] = [];
  for (const photo of photos) {
    const row: CliRow = { label: photo.label, cold: { on: [], off: [] }, batch: { on: [], off: [] } };
    const work = path.join(dir, "cli");
    for (let run = 0; run < runs; run++) {
      for (const on of run % 2 === 0 ? [true, false] : [false, true]) {
        const key = on ? "on" : "off";
        await rm(work, { recursive: true, force: true });
        await mkdir(work, { recursive: true });
        const single = path.join(work, "photo.jpg");
        await copyFile(photo.path, single);
        row.cold[key].push(await timeCli(cli, [single, ...engineFlags(engine)], on));
        const copies = Array.from({ length: batch }, (_, i) => path.join(work, `copy-${i}.jpg`));
        for (const copy of copies) await copyFile(photo.path, copy);
        if (batch > 0) row.batch[key].push((await timeCli(cli, [...copies, ...engineFlags(engine)], on)) / batch);
      }
    }
    rows.push(row);
  }
  return rows;
}

/** Wall time (ms) of one `cutout` run, spawn to exit, with its huge-page relaunch or without. */
export function timeCli(cli: string, args: string[], hugePages: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const env: NodeJS.ProcessEnv = { ...process.env, [HUGE_PAGES_SWITCH]: hugePages ? "1" : "0" };
    // The bench's own environment must not decide for the CLI.
    if (choosesHugePages(env.GLIBC_TUNABLES)) delete env.GLIBC_TUNABLES;
    const child = spawn(process.execPath, [cli, "-q", "--max-png-pixels", "50000000", ...args], {
      env,
      stdio: ["ignore", "ignore", "inherit"],
    });
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(performance.now() - start) : reject(new Error(`cutout exited with ${code}`))));
  });
}

export function renderCliBench(rows: CliRow[], runs: number, batch: number, command: string, date: string): string {
  const ratio = (on: number[], off: number[]) => (median(on) / median(off)).toFixed(2);
  return [
    `\`cutout photo.jpg\` as a user runs it: a fresh process from spawn to exit (node's start, the model's load, one photo, the PNG written). On Linux the CLI first runs itself again with \`GLIBC_TUNABLES=${HUGE_PAGE_TUNABLE}\` (packages/core/src/node/huge-pages.ts), so that malloc's memory (onnxruntime's arena, libvips' pixels, typed arrays) comes in 2 MB pages; \`${HUGE_PAGES_SWITCH}=0\` runs without. Medians of ${runs} runs each, the two taking turns. Batch: one \`cutout\` call on ${batch} copies of the photo, its whole wall time (start and model load included) over ${batch}. The kernel's transparent huge page mode here: ${thpMode() ?? "unknown"}.`,
    "",
    table(
      ["photo", "cold, huge pages (s)", "cold, without (s)", "ratio", "batch per image, huge pages (s)", "without (s)", "ratio"],
      rows.map((r) => [
        r.label,
        seconds(median(r.cold.on)),
        seconds(median(r.cold.off)),
        ratio(r.cold.on, r.cold.off),
        seconds(median(r.batch.on)),
        seconds(median(r.batch.off)),
        ratio(r.batch.on, r.batch.off),
      ]),
    ),
    "",
    `Date: ${date}. Reproduce: \`${command}\`.`,
  ].join("\n");
}
