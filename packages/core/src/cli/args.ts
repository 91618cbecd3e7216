import { parseArgs } from "node:util";
import { OPTION_FIELDS, type OptionField } from "../options/option-fields.js";

/** Flags of the engine and the CLI itself; image options come from OPTION_FIELDS. */
const CLI_FLAGS = {
  output: { type: "string", short: "o" },
  model: { type: "string", short: "m" },
  "model-path": { type: "string" },
  threads: { type: "string", short: "t" },
  "max-pixels": { type: "string" },
  "max-png-pixels": { type: "string" },
  engine: { type: "string" },
  quality: { type: "string" },
  precision: { type: "string" },
  provider: { type: "string" },
  "remote-url": { type: "string" },
  recursive: { type: "boolean", short: "r" },
  "skip-existing": { type: "boolean" },
  json: { type: "boolean" },
  quiet: { type: "boolean", short: "q" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
} as const;

const SHORT: Partial<Record<string, string>> = { format: "f" };

function flagName(field: OptionField): string {
  return field.flag.replace(/^--/, "");
}

/** parseArgs options for every image option: booleans also get a --no- form. */
function optionFlags(): Record<string, { type: "string" | "boolean"; short?: string }> {
  const flags: Record<string, { type: "string" | "boolean"; short?: string }> = {};
  for (const field of OPTION_FIELDS) {
    const name = flagName(field);
    const short = SHORT[field.name];
    flags[name] = { type: field.kind === "boolean" ? "boolean" : "string", ...(short ? { short } : {}) };
    if (field.kind === "boolean") flags[`no-${name}`] = { type: "boolean" };
  }
  return flags;
}

export const USAGE = `Usage: cutout [options] <image | folder | glob ...>
       cutout [options] - < photo.jpg > cutout.png
       cutout serve [options]    an HTTP server speaking the paid APIs' protocols
                                 (cutout serve --help)

Removes the background of each image, locally. By default each result is
written beside its input as <name>.cutout.png; inputs are never overwritten.

Files:
  -o, --output <path>       output file (one input) or folder (several inputs)
  -r, --recursive           descend into sub-folders of folder inputs
      --skip-existing       skip inputs whose output exists and is newer than
                            them (finishes an interrupted batch)
      --json                print each result's metadata as a JSON line
  -q, --quiet               no progress output

Engine:
  -m, --model <name>        isnet-fp16 (default) | isnet-q8
      --model-path <file>   use a local .onnx file instead of downloading
      --quality <preset>    best (default, 1024 px model input) | balanced (896) | fast (704)
      --precision <p>       int8 (default: statically quantised, ~2.1x faster) | float
  -t, --threads <n>         inference threads (default: the physical cores, within the CPU quota)
      --max-pixels <n>      refuse larger inputs (default: 50000000)
      --max-png-pixels <n>  largest PNG output (default: 10000000, as remove.bg)
      --engine <name>       local (default) | remote | auto (local, else remote)
      --provider <name>     remote API: removebg (default) | bgcut | rembg-com | fapihub |
                            minimal | cutout (a Cutout server: give --remote-url)
      --remote-url <url>    the provider's endpoint instead of its own; a bare origin
                            (http://host:7000) gets the provider's route

Environment:
  CUTOUT_API_KEY            the remote API's key (never a flag, which process lists show)
  CUTOUT_CACHE_DIR          where the model is cached (default: ~/.cache/cutout)
  npm_config_registry       the npm registry the model is downloaded from
  CUTOUT_HUGE_PAGES=0       on Linux, do not rerun with glibc's huge pages (faster; README)

Image options (remove.bg's names and meanings; -f mask = --channels alpha):
${OPTION_FIELDS.map(describe).join("\n")}

  -h, --help                show this help
  -v, --version             show the version

Exit codes: 0 all done, 1 some inputs failed, 2 bad usage.`;

function describe(field: OptionField): string {
  const short = SHORT[field.name];
  const value = field.kind === "boolean" ? "" : field.values ? ` <${field.values.join("|")}>` : ` <${field.kind}>`;
  const flag = `${short ? `-${short}, ` : "    "}${field.flag}${value}${field.kind === "boolean" ? ` | --no-${flagName(field)}` : ""}`;
  const fallback = field.default === "" ? "" : ` (default: ${field.default})`;
  return `  ${flag}\n        ${field.description}${fallback}`;
}

export interface CliArgs {
  inputs: string[];
  output?: string;
  model?: string;
  modelPath?: string;
  threads?: number;
  maxPixels?: number;
  maxPngPixels?: number;
  engine?: string;
  quality?: string;
  precision?: string;
  provider?: string;
  remoteUrl?: string;
  recursive: boolean;
  skipExisting: boolean;
  json: boolean;
  quiet: boolean;
  help: boolean;
  version: boolean;
  /** Image options by camelCase name, as the user typed them (strings or booleans). */
  image: Record<string, string | boolean>;
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
  const v = parsed.values as Record<string, string | boolean | undefined>;
  const image: Record<string, string | boolean> = {};
  for (const field of OPTION_FIELDS) {
    const name = flagName(field);
    const on = v[name];
    const off = v[`no-${name}`];
    if (on !== undefined && off !== undefined) throw new UsageError(`--${name} and --no-${name} contradict each other`);
    if (on !== undefined) image[field.name] = on;
    if (off !== undefined) image[field.name] = false;
  }
  const text = (key: string) => v[key] as string | undefined;
  return {
    inputs: parsed.positionals,
    output: text("output"),
    model: text("model"),
    modelPath: text("model-path"),
    threads: integerFlag("--threads", text("threads")),
    maxPixels: integerFlag("--max-pixels", text("max-pixels")),
    maxPngPixels: integerFlag("--max-png-pixels", text("max-png-pixels")),
    engine: text("engine"),
    quality: text("quality"),
    precision: text("precision"),
    provider: text("provider"),
    remoteUrl: text("remote-url"),
    recursive: v.recursive === true,
    skipExisting: v["skip-existing"] === true,
    json: v.json === true,
    quiet: v.quiet === true,
    help: v.help === true,
    version: v.version === true,
    image,
  };
}

function parse(argv: string[]) {
  return parseArgs({ args: argv, allowPositionals: true, strict: true, options: { ...CLI_FLAGS, ...optionFlags() } });
}

function integerFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(value)) throw new UsageError(`${flag} expects a positive whole number, got '${value}'`);
  return Number(value);
}
