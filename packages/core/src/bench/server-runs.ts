import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { copyFile, mkdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { engineFlags } from "./args.js";
import { timeCli } from "./cli-runs.js";
import { machineInfo } from "./machine.js";
import type { Photo } from "./photos.js";
import type { EngineChoice } from "./protocol.js";
import { median } from "./stats.js";
import { seconds, table } from "./table.js";

export const SERVER_HEADING = "## Server";

export interface ServerRow {
  label: string;
  concurrency: number;
  requests: number;
  /** Requests per second: requests over the wall time of the whole run. */
  perSecond: number;
  /** Per-request latency (ms), send to last byte. */
  p50: number;
  p95: number;
  /** The CLI's per-image time (ms) on the same photo: one `cutout` call on a batch of copies, wall time over the batch; before and after the server, median. */
  cliPerImage: number;
  /** The server process's resident memory (bytes) after the run. */
  rss: number;
}

/**
 * `cutout serve` as users run it (a process on loopback, started with the
 * same engine flags), under `requests` POST /v1.0/removebg requests at each
 * concurrency, against the `cutout` command's per-image time on the same
 * photo in the same run.
 */
export async function runServerBench(
  root: string,
  dir: string,
  photos: Photo[],
  engine: EngineChoice,
  requests: number,
  concurrencies: readonly number[],
  batch: number,
): Promise<ServerRow[]> {
  const cli = path.join(root, "packages", "core", "bin", "cutout.js");
  const rows: ServerRow[] = [];
  for (const photo of photos) {
    const bytes = await readFile(photo.path);
    const cliRuns = [await cliPerImage(cli, dir, photo, engine, batch)];
    const server = await startServer(cli, engine);
    try {
      for (let i = 0; i < 2; i++) await post(server.url, bytes);
      for (const concurrency of concurrencies) {
        const latencies: number[] = [];
        let next = 0;
        const started = performance.now();
        const worker = async () => {
          while (next < requests) {
            next++;
            const t0 = performance.now();
            await post(server.url, bytes);
            latencies.push(performance.now() - t0);
          }
        };
        await Promise.all(Array.from({ length: concurrency }, worker));
        const wall = performance.now() - started;
        const health = (await (await fetch(`${server.url}/healthz`)).json()) as { memory: { rss: number } };
        latencies.sort((a, b) => a - b);
        rows.push({
          label: photo.label,
          concurrency,
          requests,
          perSecond: (requests * 1000) / wall,
          p50: median(latencies),
          p95: latencies[Math.min(latencies.length - 1, Math.ceil(latencies.length * 0.95) - 1)] ?? Number.NaN,
          cliPerImage: 0,
          rss: health.memory.rss,
        });
      }
    } finally {
      server.child.kill("SIGTERM");
    }
    cliRuns.push(await cliPerImage(cli, dir, photo, engine, batch));
    for (const row of rows) if (row.label === photo.label) row.cliPerImage = median(cliRuns);
  }
  return rows;
}

async function cliPerImage(cli: string, dir: string, photo: Photo, engine: EngineChoice, batch: number): Promise<number> {
  const work = path.join(dir, "server-cli");
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  const copies = Array.from({ length: batch }, (_, i) => path.join(work, `copy-${i}.jpg`));
  for (const copy of copies) await copyFile(photo.path, copy);
  return (await timeCli(cli, [...copies, ...engineFlags(engine)], true)) / batch;
}

async function post(url: string, photo: Buffer): Promise<void> {
  const body = new FormData();
  body.append("image_file", new Blob([photo as BlobPart]), "photo.jpg");
  body.append("format", "png");
  const response = await fetch(`${url}/v1.0/removebg`, { method: "POST", body });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`the server answered ${response.status}`);
}

function startServer(cli: string, engine: EngineChoice): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [cli, "serve", "--port", "0", "-q", "--max-png-pixels", "50000000", ...engineFlags(engine)], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let text = "";
  return new Promise((resolve, reject) => {
    child.stderr!.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      const url = /listening on (http:\/\/\S+?)[,;\s]/.exec(text)?.[1];
      if (url && /model ready/.test(text)) resolve({ url, child });
    });
    child.on("exit", (code) => reject(new Error(`cutout serve exited with ${code}:\n${text}`)));
  });
}

export function renderServerBench(rows: ServerRow[], batch: number, photos: string, command: string, date: string): string {
  const m = machineInfo();
  return [
    `\`cutout serve\` as users run it (a process on loopback), POST /v1.0/removebg with the photo as \`image_file\` and \`format=png\`, after two untimed requests; at each concurrency, the requests' wall time gives requests per second, and each request's send-to-last-byte time the latencies. The CLI's per-image time is one \`cutout\` call on ${batch} copies of the photo, wall time (start and model load included) over ${batch}, once before and once after the server (median). **s/image** is 1 / (requests per second); the ratio is the server's s/image over the CLI's (below 1.00, the server is faster per image).`,
    "",
    table(
      [
        "photo",
        "concurrency",
        "requests",
        "server req/s",
        "server s/image",
        "CLI s/image",
        "ratio",
        "p50 latency (s)",
        "p95 latency (s)",
        "server RSS (MiB)",
      ],
      rows.map((r) => [
        r.label,
        String(r.concurrency),
        String(r.requests),
        r.perSecond.toFixed(2),
        seconds(1000 / r.perSecond),
        seconds(r.cliPerImage),
        (1000 / r.perSecond / r.cliPerImage).toFixed(2),
        seconds(r.p50),
        seconds(r.p95),
        (r.rss / 2 ** 20).toFixed(0),
      ]),
    ),
    "",
    `Machine: ${m.cpu} (${simd()}), ${m.cores} cores, ${m.memoryGB} GB RAM, ${m.os}, Node ${m.node}; load average (1 min) ${os.loadavg()[0].toFixed(1)} at the end. Photos: ${photos}. Date: ${date}. Reproduce: \`${command}\`.`,
  ].join("\n");
}

/** The widest of the SIMD extensions inference uses, as /proc/cpuinfo names them: timings differ between them. */
function simd(): string {
  try {
    const flags = new Set(/^flags\s*:(.*)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1]?.trim().split(/\s+/));
    return ["avx512_vnni", "avx512f", "avx2"].find((flag) => flags.has(flag)) ?? "no AVX2";
  } catch {
    return "CPU flags unknown";
  }
}
