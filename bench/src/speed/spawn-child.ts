import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { engineFlags } from "./args.js";
import {
  type BareColdReport,
  type ChildReport,
  type ColdReport,
  type EngineChoice,
  type ImglyReport,
  REPORT_MARKER,
  type WarmReport,
} from "./protocol.js";

export interface ChildRun<R> {
  report: R;
  /** Measured by the parent: spawn to exit, so process start-up and tear-down included. */
  wallMs: number;
}

/** The bench bundle itself is the child (its chunks sit beside it in dist/); `--child` picks the role. */
function benchScript(): string {
  return fileURLToPath(new URL("./bench.js", import.meta.url));
}

export function runColdChild(image: string, engine: EngineChoice): Promise<ChildRun<ColdReport>> {
  return runChild(["--child", "cold", "--image", image, ...engineFlags(engine)], "cold");
}

export function runBareColdChild(engine: EngineChoice): Promise<ChildRun<BareColdReport>> {
  return runChild(["--child", "bare-cold", ...engineFlags(engine)], "bare-cold");
}

export function runWarmChild(image: string, engine: EngineChoice, runs: number, batch = 0): Promise<ChildRun<WarmReport>> {
  return runChild(["--child", "warm", "--image", image, "--runs", String(runs), "--batch", String(batch), ...engineFlags(engine)], "warm");
}

/** imgly in its own process (bench/imgly-bench-worker.mjs, plain JS beside imgly's node_modules). */
export function runImglyChild(script: string, image: string, model: string, runs: number, batch: number): Promise<ChildRun<ImglyReport>> {
  return runChild(["--image", image, "--model", model, "--runs", String(runs), "--batch", String(batch)], "imgly", script);
}

function runChild<K extends ChildReport["kind"]>(
  flags: string[],
  kind: K,
  script = benchScript(),
): Promise<ChildRun<Extract<ChildReport, { kind: K }>>> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, [script, ...flags], { stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      const wallMs = performance.now() - start;
      if (code !== 0) {
        reject(new Error(`the ${kind} child exited with ${signal ?? code}`));
        return;
      }
      const line = stdout.split("\n").find((l) => l.startsWith(REPORT_MARKER));
      if (!line) {
        reject(new Error(`the ${kind} child printed no report`));
        return;
      }
      const report: unknown = JSON.parse(line.slice(REPORT_MARKER.length));
      if ((report as { kind?: unknown }).kind !== kind) {
        reject(new Error(`the ${kind} child printed a report of another kind`));
        return;
      }
      resolve({ report: report as Extract<ChildReport, { kind: K }>, wallMs });
    });
  });
}
