import { parseArgs } from "node:util";
import { suggest } from "../options/dialects/engine.js";
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
  "remote-retries": { type: "string" },
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

const USAGE = `Usage: cutout [options] <image | folder | glob ...>
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
      --remote-retries <n>  tries again after a 5xx answer, a network error, or a 429
                            with a short Retry-After, backing off (default: 2; 0: none)

Environment:
  CUTOUT_API_KEY            the remote API's key (never a flag, which process lists show)
  CUTOUT_CACHE_DIR          where the model is cached (default: ~/.cache/cutout)
  npm_config_registry       the npm registry the model is downloaded from

Image options (remove.bg's names and meanings; -f mask = --channels alpha):
${OPTION_FIELDS.map(describe).join("\n")}

  -h, --help                show this help
  -v, --version             show the version

Exit codes: 0 all done, 1 some inputs failed, 2 bad usage.`;

/**
 * The help text wrapped to `columns` (a terminal's width; 80 elsewhere).
 * Long lines continue under their description column, or their own indent.
 */
export function usage(columns = 80): string {
  const width = Math.max(40, columns - 1);
  return USAGE.split("\n")
    .flatMap((line) => wrapLine(line, width))
    .join("\n");
}

function wrapLine(line: string, width: number): string[] {
  if (line.length <= width) return [line];
  const lead = /^(\s*-.*?\s{2,})(?=\S)/.exec(line)?.[1] ?? /^\s*/.exec(line)![0];
  const indent = " ".repeat(lead.length < width / 2 ? lead.length : 8);
  const lines: string[] = [];
  let current = lead;
  let words = 0;
  for (const word of line.slice(lead.length).split(/\s+/).filter(Boolean)) {
    const next = current.endsWith(" ") || current === "" ? current + word : `${current} ${word}`;
    if (next.length > width && words > 0) {
      lines.push(current);
      current = indent + word;
    } else current = next;
    words++;
  }
  return [...lines, current];
}

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
  remoteRetries?: number;
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

/** Engine and limit settings by their API names, as the CLI spells them. */
const SETTING_FLAGS: Readonly<Record<string, string>> = {
  threads: "--threads",
  quality: "--quality",
  precision: "--precision",
  engine: "--engine",
  model: "--model",
  modelPath: "--model-path",
  maxPixels: "--max-pixels",
  maxPngPixels: "--max-png-pixels",
  provider: "--provider",
  url: "--remote-url",
  retries: "--remote-retries",
};

/** An option's API name as the CLI user typed it (`bgColor` is `--bg-color`), for messages. */
export function flagFor(name: string): string {
  return OPTION_FIELDS.find((field) => field.name === name)?.flag ?? SETTING_FLAGS[name] ?? name;
}

const KNOWN_FLAGS = [...Object.keys(CLI_FLAGS), ...Object.keys(optionFlags())].map((name) => `--${name}`);

export function parseCliArgs(argv: string[]): CliArgs {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw usageError(error as Error & { code?: string });
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
    remoteRetries: integerFlag("--remote-retries", text("remote-retries"), { zero: true }),
    recursive: v.recursive === true,
    skipExisting: v["skip-existing"] === true,
    json: v.json === true,
    quiet: v.quiet === true,
    help: v.help === true,
    version: v.version === true,
    image,
  };
}

/** parseArgs' own messages explain its internals; say what went wrong in the user's terms, with a likely fix. */
function usageError(error: Error & { code?: string }): UsageError {
  const option = /'(-[^']*)'/.exec(error.message)?.[1];
  if (error.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && option) {
    const [name = option] = option.split("=");
    const guess = name.startsWith("--") ? suggest(name, KNOWN_FLAGS) : undefined;
    return new UsageError(`unknown option ${name}${guess ? ` (did you mean ${guess}?)` : ""}`);
  }
  if (error.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && option) {
    const name = /--[\w-]+/.exec(option)?.[0] ?? option;
    if (/ambiguous/.test(error.message)) return new UsageError(`${name} needs a value; for one that starts with a dash, write ${name}=-…`);
    return new UsageError(`${name} ${/argument missing/.test(error.message) ? "needs a value" : "takes no value"}`);
  }
  return new UsageError(error.message);
}

function parse(argv: string[]) {
  return parseArgs({ args: argv, allowPositionals: true, strict: true, options: { ...CLI_FLAGS, ...optionFlags() } });
}

function integerFlag(flag: string, value: string | undefined, { zero = false } = {}): number | undefined {
  if (value === undefined) return undefined;
  if (!(zero ? /^(0|[1-9]\d*)$/ : /^[1-9]\d*$/).test(value)) {
    throw new UsageError(`${flag} expects ${zero ? "a whole number, 0 or more" : "a positive whole number"}, got '${value}'`);
  }
  return Number(value);
}
