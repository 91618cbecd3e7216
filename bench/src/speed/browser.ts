import { readFile } from "node:fs/promises";
import { Remover } from "@cutout/core";
import { buildPageScript, openBrowserSession, ortFile } from "../../../test/support/browser-harness.js";
import type { Photo } from "./photos.js";
import { median } from "./stats.js";
import { seconds, table } from "./table.js";

export const BROWSER_HEADING = "Browser (Chromium)";

/** The browser variants timed: the presets a Figma user would pick. */
const VARIANTS = [
  { label: "float, best", precision: "float", quality: "best" },
  { label: "int8, best", precision: "int8", quality: "best" },
  { label: "int8, fast", precision: "int8", quality: "fast" },
] as const;

export interface BrowserRow {
  photo: string;
  variant: string;
  /** Model load (download from the local CDN stand-in, checks, int8 build) plus the first cutout, ms. */
  browserFirst: number;
  browserWarm: number;
  nodeFirst: number;
  nodeWarm: number;
}

export interface BrowserBench {
  rows: BrowserRow[];
  /** Bytes of the test page's script (the adapter with onnxruntime-web, minified), and of the WASM it loads. */
  pageScript: number;
  wasm: { name: string; bytes: number };
}

/**
 * The engine in Chromium's null-origin sandboxed iframe (test/support/browser-harness.ts:
 * one WASM thread, the model from a local server standing in for the CDN)
 * against Node's with one onnxruntime thread, in the same run, on the same
 * photo: first cutout (model load included) and warm medians.
 */
export async function runBrowserBench(photos: Photo[], runs: number, log: (line: string) => void): Promise<BrowserBench> {
  const rows: BrowserRow[] = [];
  const session = await openBrowserSession();
  try {
    for (const photo of photos) {
      const bytes = await readFile(photo.path);
      for (const variant of VARIANTS) {
        const settings = { precision: variant.precision, quality: variant.quality };
        await session.openFrame("sandboxed");
        await ask(session, { action: "create", options: { cdn: session.cdn.cdn, cache: false, ...settings } });
        const load = await ask(session, { action: "load" });
        const times: number[] = [];
        for (let i = 0; i <= runs; i++)
          times.push((await ask(session, { action: "remove", bytes: bytes.toString("base64") })).ms as number);
        const browserFirst = (load.ms as number) + (times[0] as number);
        const remover = new Remover({ threads: 1, ...settings });
        const nodeTimes: number[] = [];
        let t0 = performance.now();
        for (let i = 0; i <= runs; i++) {
          await remover.remove(photo.path);
          nodeTimes.push(performance.now() - t0);
          t0 = performance.now();
        }
        await remover.close();
        const row = {
          photo: photo.label,
          variant: variant.label,
          browserFirst,
          browserWarm: median(times.slice(1)),
          nodeFirst: nodeTimes[0] as number,
          nodeWarm: median(nodeTimes.slice(1)),
        };
        log(`${photo.label}, ${variant.label}: browser ${seconds(row.browserWarm)} s warm, Node ${seconds(row.nodeWarm)} s`);
        rows.push(row);
      }
    }
  } finally {
    await session.close();
  }
  const wasm = "ort-wasm-simd-threaded.jsep.wasm";
  return { rows, pageScript: (await buildPageScript()).bytes, wasm: { name: wasm, bytes: ortFile(wasm).bytes } };
}

async function ask(session: Awaited<ReturnType<typeof openBrowserSession>>, request: Record<string, unknown>) {
  const answer = await session.ask(request);
  if (!answer.ok) throw new Error(`browser ${String(request.action)}: ${answer.code} ${answer.message}`);
  return answer;
}

export function renderBrowserBench(bench: BrowserBench, runs: number, cpu: string): string {
  const ratio = (a: number, b: number) => (a / b).toFixed(2);
  const body = table(
    ["photo", "variant", "browser: first (s)", "browser: warm (s)", "Node 1 thread: first (s)", "Node 1 thread: warm (s)", "warm ratio"],
    bench.rows.map((r) => [
      r.photo,
      r.variant,
      seconds(r.browserFirst),
      seconds(r.browserWarm),
      seconds(r.nodeFirst),
      seconds(r.nodeWarm),
      ratio(r.browserWarm, r.nodeWarm),
    ]),
  );
  return [
    `The engine in Debian's Chromium, headless, inside \`<iframe sandbox="allow-scripts" srcdoc>\` as a Figma plugin's UI runs it (origin null: one WASM thread, no proxy worker), against Node's engine with one onnxruntime thread, in the same run on the same photo. First: model load (download from a local server standing in for the CDN, SHA-256 checks, the int8 build, session) plus the first cutout, in a fresh iframe, cache off; Node's first is the same in a fresh \`Remover\` (its int8 build read from disk). Warm: median of ${runs} cutouts after the first. Ratio: browser over Node.`,
    "",
    body,
    "",
    `Sizes: the test page's script (onnxruntime-web's default build, WebGPU and WASM, with @cutout/core/browser, minified) ${(bench.pageScript / 1e3).toFixed(0)} kB; its WASM (${bench.wasm.name}) ${(bench.wasm.bytes / 1e6).toFixed(1)} MB (onnxruntime-web/wasm loads ort-wasm-simd-threaded.wasm, ${(ortFile("ort-wasm-simd-threaded.wasm").bytes / 1e6).toFixed(1)} MB). CPU: ${cpu}.`,
  ].join("\n");
}
