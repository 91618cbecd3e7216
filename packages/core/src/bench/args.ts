import { parseArgs } from "node:util";
import type { EngineChoice } from "./protocol.js";

export const USAGE = `Usage: pnpm bench [options]

Benchmarks a ~1 MP and a ~12 MP photo (made from test/fixtures/car-1.jpg):
cold start, warm end-to-end time, bare session.run time, their ratio, peak RSS.

Options:
  --images a.jpg,b.jpg  bench these photos instead
  --runs N              warm runs per photo, median reported (default 5)
  --model NAME          model from the manifest (default isnet-fp16)
  --model-path FILE     a local .onnx file
  --threads N           onnxruntime intra-op threads (default: onnxruntime's choice)
  --json                print machine-readable JSON instead of tables
                        (use 'pnpm -s bench --json' to keep pnpm's banner off stdout)
  --write-docs          also write the results into docs/benchmarks.md
  -h, --help            show this help
`;

export interface BenchArgs extends EngineChoice {
  images: string[];
  runs: number;
  json: boolean;
  writeDocs: boolean;
  help: boolean;
  /** Set in child processes only. */
  child?: "cold" | "warm";
  image?: string;
}

export function parseBenchArgs(argv: string[]): BenchArgs {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      images: { type: "string" },
      runs: { type: "string" },
      model: { type: "string" },
      "model-path": { type: "string" },
      threads: { type: "string" },
      json: { type: "boolean", default: false },
      "write-docs": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
      child: { type: "string" },
      image: { type: "string" },
    },
  });
  const child = values.child;
  if (child !== undefined && child !== "cold" && child !== "warm") throw new Error(`unknown --child '${child}'`);
  return {
    images: values.images ? values.images.split(",").filter((s) => s.length > 0) : [],
    runs: positive("runs", values.runs, 5),
    model: values.model,
    modelPath: values["model-path"],
    threads: values.threads === undefined ? undefined : positive("threads", values.threads, 1),
    json: values.json ?? false,
    writeDocs: values["write-docs"] ?? false,
    help: values.help ?? false,
    child,
    image: values.image,
  };
}

/** The flags that carry the engine choice to a child process. */
export function engineFlags(engine: EngineChoice): string[] {
  const flags: string[] = [];
  if (engine.model !== undefined) flags.push("--model", engine.model);
  if (engine.modelPath !== undefined) flags.push("--model-path", engine.modelPath);
  if (engine.threads !== undefined) flags.push("--threads", String(engine.threads));
  return flags;
}

function positive(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer, got '${text}'`);
  return n;
}
