import { type EngineOptions, Remover } from "@cutout/core";
import { encodePng, libvipsPng } from "@cutout/core/node";
import sharp from "sharp";
import type { Photo } from "./photos.js";
import { median } from "./stats.js";
import { table } from "./table.js";

export const PNG_HEADING = "## PNG writer";

/** The writers timed: ours, libvips as the engine called it before, and libvips with its adaptive row filter (its smaller files). */
const WRITERS = {
  cutout: (rgba: Uint8Array, width: number, height: number) => encodePng(rgba, width, height, 4),
  "libvips level 3, unfiltered": (rgba: Uint8Array, width: number, height: number) => libvipsPng(rgba, width, height, 4),
  "libvips level 3, adaptive filter": (rgba: Uint8Array, width: number, height: number) =>
    sharp(rgba, { raw: { width, height, channels: 4 } })
      .png({ compressionLevel: 3, adaptiveFiltering: true })
      .toBuffer(),
};
type Writer = keyof typeof WRITERS;

export interface PngRow {
  label: string;
  /** Per writer: encode wall times and the CPU time they took on all threads (ms), and the file's bytes. */
  writers: Record<Writer, { ms: number[]; cpuMs: number[]; bytes: number }>;
}

/**
 * Each photo's real cutout (the engine's RGBA) encoded by every writer in
 * turn, `runs` rounds after one untimed round, in this process: the same
 * pixels, the same machine load.
 */
export async function runPngBench(photos: Photo[], engine: EngineOptions, runs: number): Promise<PngRow[]> {
  const remover = new Remover(engine);
  const rows: PngRow[] = [];
  try {
    for (const photo of photos) {
      const cut = await remover.remove(photo.path, { maxPngPixels: Number.MAX_SAFE_INTEGER });
      const { data, info } = await sharp(cut.data).raw().toBuffer({ resolveWithObject: true });
      const rgba = new Uint8Array(data.buffer, data.byteOffset, data.length);
      const row = { label: photo.label, writers: {} as PngRow["writers"] };
      for (let round = -1; round < runs; round++) {
        for (const name of Object.keys(WRITERS) as Writer[]) {
          const cpu = process.cpuUsage();
          const start = performance.now();
          const file = await WRITERS[name](rgba, info.width, info.height);
          const ms = performance.now() - start;
          const { user, system } = process.cpuUsage(cpu);
          row.writers[name] ??= { ms: [], cpuMs: [], bytes: file.length };
          if (round < 0) continue;
          row.writers[name].ms.push(ms);
          row.writers[name].cpuMs.push((user + system) / 1000);
        }
      }
      rows.push(row);
    }
  } finally {
    await remover.close();
  }
  return rows;
}

export function renderPngBench(rows: PngRow[], runs: number, photos: string, command: string, date: string): string {
  const names = Object.keys(WRITERS) as Writer[];
  const base = "libvips level 3, unfiltered";
  const mb = (bytes: number) => (bytes / 1e6).toFixed(2);
  return [
    `A photo's cutout (the engine's RGBA for it) written as PNG by Cutout's writer (packages/core/src/node/png-encode.ts: rows Up-filtered, deflated at zlib level 2 in stripes on libuv's threads, stitched into one stream), by libvips as the engine called it before (zlib level 3, no row filter) and by libvips with its adaptive row filter (level 3; each row tries all five filters). Median of ${runs} rounds after one untimed round; the writers take turns within a round, on the same pixels. CPU is the process's user and system time during the encode, all threads together: a caller encoding one image while the next is in inference shares the cores. Ratios are Cutout / libvips level 3.`,
    "",
    table(
      ["photo", ...names.flatMap((n) => [`${n} (ms)`, "CPU (ms)", "MB"]), "time ratio", "CPU ratio", "size ratio"],
      rows.map((r) => [
        r.label,
        ...names.flatMap((n) => [median(r.writers[n].ms).toFixed(0), median(r.writers[n].cpuMs).toFixed(0), mb(r.writers[n].bytes)]),
        (median(r.writers.cutout.ms) / median(r.writers[base].ms)).toFixed(2),
        (median(r.writers.cutout.cpuMs) / median(r.writers[base].cpuMs)).toFixed(2),
        (r.writers.cutout.bytes / r.writers[base].bytes).toFixed(2),
      ]),
    ),
    "",
    `Photos: ${photos}. Date: ${date}. Reproduce: \`${command}\`.`,
  ].join("\n");
}
