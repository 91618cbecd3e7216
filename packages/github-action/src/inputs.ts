/**
 * The action's inputs: its own (files, engine, behaviour), then every image
 * option of core under core's own snake_case `field` name (OPTION_FIELDS),
 * so `bg_color` here is `bg_color` in remove.bg's API, core's HTTP API and
 * the docs. The action's own inputs are kebab-case, the GitHub convention
 * (`only-changed`, `api-key`). action.yml is generated from these tables
 * (see metadata.ts) and a test keeps the two in step.
 */
import path from "node:path";
import { DEFAULT_MODEL, getModelSpec, listModels } from "@cutout/models";
import {
  type ChannelsSpec,
  type CutoutError,
  type CutoutOptions,
  checkModelChoice,
  type EngineChoice,
  type FormatSpec,
  OPTION_FIELDS,
  type Precision,
  type Quality,
  REMOTE_PROVIDERS,
  resolveOptions,
  validateCutoutOptions,
} from "../../core/src/index.js";
import { type Env, getBooleanInput, getInput, getMultilineInput, InputError } from "./runtime.js";

export interface ActionInput {
  name: string;
  description: string;
  /** What the code uses when the input is absent; action.yml declares the same. Absent for required inputs. */
  default?: string;
  required?: boolean;
}

/** Which files, and where their cutouts go. Listed first in action.yml. */
export const FILE_INPUTS: readonly ActionInput[] = [
  {
    name: "paths",
    required: true,
    description:
      "Glob patterns of the images to cut out, one per line, relative to the workspace (e.g. `assets/**/*.jpg`). Only image files are taken (jpg, jpeg, png, webp, gif, tif, tiff, avif, heic, heif); `.git`, `node_modules` and Cutout's own outputs (`*.cutout.*`, `*.mask.*`) never are.",
  },
  {
    name: "ignore",
    default: "",
    description: "Glob patterns of files to leave out, one per line (e.g. `assets/vendor/**`).",
  },
  {
    name: "output",
    default: "suffix",
    description:
      "Where each cutout goes. `suffix`: beside its input as `<name>.cutout.<format>` (`<name>.mask.png` for channels alpha). A folder (e.g. `cutouts`): the same names in a copy of the source tree under that folder. `replace`: over the input itself, keeping its file name (the format must match the file's extension); needs `allow-replace: true`.",
  },
  {
    name: "allow-replace",
    default: "false",
    description: "Confirms `output: replace`, which overwrites the original images. Without it `replace` is refused.",
  },
];

/** Engine, selection and failure handling. Listed after the image options. */
export const RUN_INPUTS: readonly ActionInput[] = [
  {
    name: "model",
    default: DEFAULT_MODEL,
    description: `The model, fetched on first use and cached (see the \`cache-path\` output): ${listModels()
      .map((m) => `\`${m.name}\`, ${Math.round(m.bytes / 1e6)} MB: ${m.description}`)
      .join(" ")}`,
  },
  {
    name: "quality",
    default: "best",
    description:
      "Speed against accuracy for `engine: local`: `best` (model input 1024 px), `balanced` (896) or `fast` (704). Measured costs: docs/quality.md.",
  },
  {
    name: "precision",
    default: "int8",
    description:
      "`int8`: the model's convolutions statically quantised (about 2.1x faster, same scores on the eval set; built once from the download and cached with it). `float`: the weights as published.",
  },
  {
    name: "engine",
    default: "local",
    description:
      "`local`: the model on the runner, free. `remote`: a paid remove.bg-compatible API (needs `api-key`). `auto`: local, falling back to the remote API when the model cannot be loaded or run (needs `api-key` for the fallback).",
  },
  {
    name: "provider",
    default: "removebg",
    description: `The remote API for \`engine: remote\` or \`auto\`: ${Object.keys(REMOTE_PROVIDERS)
      .map((p) => `\`${p}\``)
      .join(", ")}.`,
  },
  {
    name: "remote-url",
    default: "",
    description:
      "The endpoint to send images to instead of the provider's own (a proxy, or a compatible service); a bare origin (`https://cutout.example`) gets the provider's route. Required for `cutout` (a Cutout server) and `minimal`. The provider still decides which header carries the key.",
  },
  {
    name: "api-key",
    default: "",
    description: "The remote API's key. Pass it from a secret (`secrets.REMOVE_BG_API_KEY`, say); it is masked in the log.",
  },
  {
    name: "only-changed",
    default: "false",
    description:
      "On `pull_request` events, process only the images the pull request adds or changes; on `push` events, those the push adds or changes. Needs the history: check out with `fetch-depth: 0`.",
  },
  {
    name: "skip-existing",
    default: "false",
    description:
      "Leave an image alone when its output exists and is newer than it: by commit time when both are committed and unmodified (a fresh checkout gives every file the same time), else by file time.",
  },
  {
    name: "fail-on-error",
    default: "true",
    description:
      "Fail the step when any image fails. With `false` failures are still reported (annotations, `failed`, the summary) but the step passes.",
  },
];

export const ACTION_INPUTS: readonly ActionInput[] = [...FILE_INPUTS, ...RUN_INPUTS];

export const OUTPUTS: Readonly<Record<string, string>> = {
  processed: "How many images were cut out.",
  skipped: "How many images were left alone because their output was up to date (`skip-existing`).",
  failed: "How many images failed.",
  files:
    "JSON list, one entry per image: input, output, status (processed, skipped or failed), inputBytes, outputBytes, width, height, ms, and error {code, message} for failures. Paths are relative to the workspace.",
  "cache-path": "The model cache folder: give it to `actions/cache` to keep the model between runs.",
};

function defaultOf(name: string): string {
  const input = ACTION_INPUTS.find((i) => i.name === name);
  if (!input) throw new Error(`no input ${name}`);
  return input.default ?? "";
}

export type OutputMode = { mode: "suffix" } | { mode: "folder"; folder: string } | { mode: "replace" };

export interface Settings {
  /** The folder paths are relative to (GITHUB_WORKSPACE). */
  workspace: string;
  paths: string[];
  ignore: string[];
  output: OutputMode;
  /** Image options for core, camelCase keys with the text the user gave. */
  options: CutoutOptions;
  /** What the cutouts are written as, for their names. */
  kind: { format: FormatSpec; channels: ChannelsSpec };
  model: string;
  quality: Quality;
  precision: Precision;
  engine: EngineChoice;
  provider: string;
  /** The endpoint, when not the provider's. */
  remoteUrl: string;
  apiKey: string;
  onlyChanged: boolean;
  skipExisting: boolean;
  failOnError: boolean;
}

const ENGINES: readonly EngineChoice[] = ["local", "remote", "auto"];

/** camelCase option name -> the input that carries it, for messages. */
const FIELD_OF = new Map(OPTION_FIELDS.map((f) => [f.name as string, f.field]));

/** Core's messages name options in camelCase; the user typed the snake_case inputs. */
export function inInputTerms(message: string): string {
  let text = message;
  for (const [name, field] of FIELD_OF) if (name !== field) text = text.replace(new RegExp(`\\b${name}\\b`, "g"), field);
  return text;
}

/**
 * Reads and checks every input. All problems are reported at once, each
 * naming its input, before any file is touched.
 */
export function readSettings(env: Env, workspace: string): Settings {
  const errors: InputError[] = [];
  const attempt = <T>(read: () => T, fallback: T): T => {
    try {
      return read();
    } catch (error) {
      if (error instanceof InputError) errors.push(error);
      else throw error;
      return fallback;
    }
  };

  const paths = getMultilineInput(env, "paths");
  if (paths.length === 0)
    errors.push(new InputError("paths", "Input paths is required: glob patterns of the images to cut out, one per line"));
  const ignore = getMultilineInput(env, "ignore", defaultOf("ignore"));

  const allowReplace = attempt(() => getBooleanInput(env, "allow-replace", defaultOf("allow-replace")), false);
  const onlyChanged = attempt(() => getBooleanInput(env, "only-changed", defaultOf("only-changed")), false);
  const skipExisting = attempt(() => getBooleanInput(env, "skip-existing", defaultOf("skip-existing")), false);
  const failOnError = attempt(() => getBooleanInput(env, "fail-on-error", defaultOf("fail-on-error")), true);

  const output = attempt(
    (): OutputMode => readOutput(getInput(env, "output", defaultOf("output")), workspace, allowReplace, skipExisting),
    {
      mode: "suffix",
    },
  );

  // Image options: every OPTION_FIELDS row under its `field` name; empty means core's default.
  const options: Record<string, string> = {};
  for (const field of OPTION_FIELDS) {
    const value = getInput(env, field.field);
    if (value !== "") options[field.name] = value;
  }
  let kind: Settings["kind"] = { format: "png", channels: "rgba" };
  const checked = validateCutoutOptions(options);
  if (!checked.ok) {
    for (const e of checked.errors) errors.push(new InputError(FIELD_OF.get(e.field) ?? e.field, inInputTerms(e.message)));
  } else {
    const canonical = resolveOptions(options as CutoutOptions).canonical;
    kind = { format: canonical.format, channels: canonical.channels };
  }

  const model = getInput(env, "model", defaultOf("model")) || DEFAULT_MODEL;
  attempt(() => {
    try {
      getModelSpec(model);
    } catch (error) {
      throw new InputError("model", `Input model: ${(error as Error).message}`);
    }
  }, undefined);

  const quality = getInput(env, "quality", defaultOf("quality")) as Quality;
  const precision = getInput(env, "precision", defaultOf("precision")) as Precision;
  attempt(() => {
    try {
      checkModelChoice({ quality, precision });
    } catch (error) {
      const field = (error as CutoutError).field === "precision" ? "precision" : "quality";
      throw new InputError(field, (error as Error).message);
    }
  }, undefined);

  const engine = getInput(env, "engine", defaultOf("engine")) as EngineChoice;
  if (!ENGINES.includes(engine))
    errors.push(new InputError("engine", `Input engine must be one of ${ENGINES.join(", ")}, got '${engine}'`));
  const provider = getInput(env, "provider", defaultOf("provider"));
  if (!Object.hasOwn(REMOTE_PROVIDERS, provider)) {
    errors.push(new InputError("provider", `Input provider must be one of ${Object.keys(REMOTE_PROVIDERS).join(", ")}, got '${provider}'`));
  }
  const remoteUrl = getInput(env, "remote-url", defaultOf("remote-url"));
  if (remoteUrl !== "" && !/^https?:\/\//.test(remoteUrl)) {
    errors.push(new InputError("remote-url", `Input remote-url must be an http(s) URL, got '${remoteUrl}'`));
  }
  const apiKey = getInput(env, "api-key", defaultOf("api-key"));
  if (engine === "remote" && apiKey === "") {
    errors.push(new InputError("api-key", "engine: remote needs api-key, the provider's key, passed from a repository secret"));
  }
  if (errors.length > 0) throw new InputErrors(errors);

  if (output.mode === "replace" && kind.format === "zip") {
    throw new InputErrors([
      new InputError("output", "output: replace cannot write format zip over an image; choose png, jpg, webp or bmp"),
    ]);
  }

  return {
    workspace,
    paths,
    ignore,
    output,
    options: options as CutoutOptions,
    kind,
    model,
    quality,
    precision,
    engine,
    provider,
    remoteUrl,
    apiKey,
    onlyChanged,
    skipExisting,
    failOnError,
  };
}

function readOutput(value: string, workspace: string, allowReplace: boolean, skipExisting: boolean): OutputMode {
  if (value === "" || value === "suffix") return { mode: "suffix" };
  if (value === "replace") {
    if (!allowReplace) {
      throw new InputError(
        "output",
        "output: replace overwrites the original images; set allow-replace: true to confirm, or use output: suffix or a folder",
      );
    }
    if (skipExisting) {
      throw new InputError(
        "skip-existing",
        "skip-existing cannot tell a replaced image from an original (output: replace writes over the input); leave one of them out",
      );
    }
    return { mode: "replace" };
  }
  const folder = path.resolve(workspace, value);
  if (folder === path.resolve(workspace)) {
    throw new InputError("output", `output '${value}' is the workspace itself; use output: suffix to write beside the inputs`);
  }
  return { mode: "folder", folder };
}

/** Every bad input of one run. */
export class InputErrors extends Error {
  constructor(readonly errors: InputError[]) {
    super(errors.map((e) => e.message).join("; "));
    this.name = "InputErrors";
  }
}
