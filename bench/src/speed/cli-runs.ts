import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { copyFile, mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { engineFlags } from "./args.js";
import type { Photo } from "./photos.js";
import type { EngineChoice } from "./protocol.js";
import { median } from "./stats.js";
import { seconds, table } from "./table.js";

export const CLI_HEADING = "## CLI: huge pages";

/** glibc's malloc asks for transparent huge pages (2 MB) with this tunable (glibc 2.35 and later). */
const HUGE_PAGE_TUNABLE = "glibc.malloc.hugetlb=1";

export interface CliRow {
  label: string;
  /** Wall times (ms) of `cutout photo.jpg`, spawn to exit, with glibc's huge pages and without (the default). */
  cold: { on: number[]; off: number[] };
  /** Wall time per image (ms) of one `cutout` call on `batch` copies of the photo. */
  batch: { on: number[]; off: number[] };
}

/**
 * `cutout` as a user runs it, in fresh processes, with
 * GLIBC_TUNABLES=glibc.malloc.hugetlb=1 and without, taking turns so that
 * drift in the machine's load lands on both. What a user measures before
 * setting the tunable: it paid on some CPU families and cost on others
 * (docs/benchmarks.md, "CLI: huge pages").
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
    // The bench's own tunables must not decide for the CLI.
    const { GLIBC_TUNABLES: _, ...env } = process.env;
    if (hugePages) env.GLIBC_TUNABLES = HUGE_PAGE_TUNABLE;
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
    `\`cutout photo.jpg\` as a user runs it: a fresh process from spawn to exit (node's start, the model's load, one photo, the PNG written). "Huge pages" runs it with \`GLIBC_TUNABLES=${HUGE_PAGE_TUNABLE}\`, so that malloc's memory (onnxruntime's arena, libvips' pixels, typed arrays) comes in 2 MB pages. Medians of ${runs} runs each, the two taking turns. Batch: one \`cutout\` call on ${batch} copies of the photo, its whole wall time (start and model load included) over ${batch}. The kernel's transparent huge page mode here: ${thpMode()}.`,
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

/** The bracketed choice in /sys/kernel/mm/transparent_hugepage/enabled ("always [madvise] never" is madvise). */
function thpMode(): string {
  try {
    return /\[(\w+)\]/.exec(readFileSync("/sys/kernel/mm/transparent_hugepage/enabled", "utf8"))?.[1] ?? "unknown";
  } catch {
    return "unknown";
  }
}
