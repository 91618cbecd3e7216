/**
 * Resources: memory stays flat over many removals in one process, and
 * concurrent requests share one model session safely.
 *
 *   CUTOUT_SOAK_COUNT  sequential removals in the soak (default 12; the bar is 200)
 *
 * The soak runs in a child process started with --expose-gc, so resident
 * memory is measured after full collections and nothing else of the test
 * runner's lives in it. It alternates two photos of different sizes through
 * the built engine (packages/core/dist), as the CLI and the action use it.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { Remover } from "../../packages/core/src/node/remover.js";
import { buildOnce, FIXTURES, ROOT } from "../support/cli";
import { recordingRuntime } from "../support/recording-runtime";

/** onnxruntime-node is a dependency of @cutout/core, not of the workspace root: load core's copy. */

const COUNT = Math.max(6, Number(process.env.CUTOUT_SOAK_COUNT) || 12);
/** Removals before the baseline is taken: the first ones grow the heap and libvips' caches to their working size. */
const WARM_UP = Math.min(4, Math.floor(COUNT / 3));

interface Sample {
  done: number;
  rss: number;
  heapUsed: number;
  external: number;
  ms: number;
}

/** The child: N removals, a sample (after two full collections) at warm-up and every few removals after. */
function soakScript(count: number, warmUp: number): string {
  const dist = pathToFileURL(path.join(ROOT, "packages", "core", "dist", "index.js")).href;
  const photos = ["car-1.jpg", "anime-girl-1.jpg"].map((f) => path.join(FIXTURES, f));
  return `
    import { readFileSync } from "node:fs";
    const { Remover } = await import(${JSON.stringify(dist)});
    const photos = ${JSON.stringify(photos)}.map((f) => readFileSync(f));
    const remover = new Remover({});
    const every = Math.max(1, Math.floor(${count} / 20));
    const settle = async () => { global.gc(); await new Promise((r) => setTimeout(r, 100)); global.gc(); };
    for (let i = 1; i <= ${count}; i++) {
      const t0 = performance.now();
      const result = await remover.remove(photos[i % 2]);
      if (result.foreground === null) throw new Error("lost the subject at removal " + i);
      const ms = performance.now() - t0;
      if (i === ${warmUp} || i === ${count} || (i > ${warmUp} && i % every === 0)) {
        await settle();
        const m = process.memoryUsage();
        process.stdout.write(JSON.stringify({ done: i, rss: m.rss, heapUsed: m.heapUsed, external: m.external, ms }) + "\\n");
      }
    }
    await remover.close();
  `;
}

function runSoak(count: number, warmUp: number): Promise<{ samples: Sample[]; stderr: string; code: number | null }> {
  const child = spawn(process.execPath, ["--expose-gc", "--input-type=module", "-e", soakScript(count, warmUp)], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      const samples = stdout
        .split("\n")
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as Sample);
      resolve({ samples, stderr, code });
    });
  });
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;

describe("memory over many removals", () => {
  it(
    `${COUNT} sequential removals in one process: resident memory grows less than 10% after ${WARM_UP} to warm up`,
    async () => {
      buildOnce();
      const { samples, stderr, code } = await runSoak(COUNT, WARM_UP);
      expect(code, stderr).toBe(0);
      const base = samples[0]!;
      const last = samples.at(-1)!;
      expect([base.done, last.done]).toEqual([WARM_UP, COUNT]);
      const growth = (last.rss - base.rss) / base.rss;
      const peak = Math.max(...samples.map((s) => s.rss));
      console.log(
        `soak: ${COUNT} removals; RSS ${mb(base.rss)} after ${WARM_UP} -> ${mb(last.rss)} after ${COUNT} (${(growth * 100).toFixed(1)}%, peak sample ${mb(peak)}); ` +
          `JS heap ${mb(base.heapUsed)} -> ${mb(last.heapUsed)}, external ${mb(base.external)} -> ${mb(last.external)}\n` +
          samples
            .map(
              (s) =>
                `  after ${String(s.done).padStart(4)}: rss ${mb(s.rss)}, heap ${mb(s.heapUsed)}, last removal ${(s.ms / 1000).toFixed(1)} s`,
            )
            .join("\n"),
      );
      expect(growth).toBeLessThan(0.1);
    },
    600_000 + COUNT * 30_000,
  );
});

describe("concurrent requests on one Remover", () => {
  it("four at once all succeed, equal the sequential results, and share one model session", async () => {
    const { runtime, created } = recordingRuntime();
    const car = readFileSync(path.join(FIXTURES, "car-1.jpg"));
    const girl = readFileSync(path.join(FIXTURES, "anime-girl-1.jpg"));
    const remover = new Remover({ runtime });
    try {
      // Fired before the model is loaded: all four must wait for the same session.
      const concurrent = await Promise.all(
        [car, girl, car, girl].map((photo, i) => remover.remove(photo, i < 2 ? {} : { format: "webp" })),
      );
      expect(created).toHaveLength(1);
      const sequential = [await remover.remove(car), await remover.remove(girl)];
      expect(created).toHaveLength(1);
      for (let i = 0; i < 4; i++) {
        const alone = sequential[i % 2]!;
        expect(Buffer.compare(Buffer.from(concurrent[i]!.alpha), Buffer.from(alone.alpha)), `request ${i}: matte`).toBe(0);
        expect(concurrent[i]!.foreground, `request ${i}`).toEqual(alone.foreground);
      }
      // Their RGBA buffers are pooled and reused once encoded: a buffer lent twice would mix two photos.
      for (let i = 0; i < 2; i++) expect(Buffer.compare(concurrent[i]!.data, sequential[i]!.data), `request ${i}: same PNG bytes`).toBe(0);
      expect(concurrent.map((r) => r.format)).toEqual(["png", "png", "webp", "webp"]);
    } finally {
      await remover.close();
    }
  });
});
