import { parseArgs } from "node:util";
import { OUTPUT_FORMATS } from "../options.js";

export const USAGE = `Usage: cutout [options] <image | folder | glob ...>
       cutout [options] - < photo.jpg > cutout.png

Removes the background of each image, locally. By default each result is
written beside its input as <name>.cutout.png; inputs are never overwritten.

Options:
  -o, --output <path>     output file (one input) or folder (several inputs)
  -f, --format <format>   ${OUTPUT_FORMATS.join(" | ")} (default: png)
      --bg-color <color>  background for jpg output (default: white)
  -m, --model <name>      isnet-fp16 (default) | isnet-q8
      --model-path <file> use a local .onnx file instead of downloading
  -t, --threads <n>       inference threads (default: all cores)
  -r, --recursive         descend into sub-folders of folder inputs
      --max-pixels <n>    refuse larger images (default: 50000000)
      --json              print each result's metadata as a JSON line
  -q, --quiet             no progress output
  -h, --help              show this help
  -v, --version           show the version

Exit codes: 0 all done, 1 some inputs failed, 2 bad usage.`;

export interface CliArgs {
  inputs: string[];
  output?: string;
  format?: string;
  bgColor?: string;
  model?: string;
  modelPath?: string;
  threads?: number;
  maxPixels?: number;
  recursive: boolean;
  json: boolean;
  quiet: boolean;
  help: boolean;
  version: boolean;
}

/** A mistake in the command line itself: exit code 2. */
export class UsageError extends Error {}

export function parseCliArgs(argv: string[]): CliArgs {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const v = parsed.values;
  return {
    inputs: parsed.positionals,
    output: v.output,
    format: v.format,
    bgColor: v["bg-color"],
    model: v.model,
    modelPath: v["model-path"],
    threads: integerFlag("--threads", v.threads),
    maxPixels: integerFlag("--max-pixels", v["max-pixels"]),
    recursive: v.recursive ?? false,
    json: v.json ?? false,
    quiet: v.quiet ?? false,
    help: v.help ?? false,
    version: v.version ?? false,
  };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      output: { type: "string", short: "o" },
      format: { type: "string", short: "f" },
      "bg-color": { type: "string" },
      model: { type: "string", short: "m" },
      "model-path": { type: "string" },
      threads: { type: "string", short: "t" },
      "max-pixels": { type: "string" },
      recursive: { type: "boolean", short: "r" },
      json: { type: "boolean" },
      quiet: { type: "boolean", short: "q" },
      help: { type: "boolean", short: "h" },
      version: { type: "boolean", short: "v" },
    },
  });
}

function integerFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(value)) throw new UsageError(`${flag} expects a positive whole number, got '${value}'`);
  return Number(value);
}
