import { mkdir, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { DEFAULT_MODEL, getModelSpec } from "@cutout/models";
import { CutoutError, isCutoutError } from "../errors.js";
import type { Precision, Quality } from "../model-choice.js";
import { cpuSummary } from "../node/cpu-features.js";
import { type CutoutResult, checkEngineOptions, type EngineChoice, type EngineOptions, Remover } from "../node/remover.js";
import { writeFileAtomic } from "../node/write-atomic.js";
import { type RemoveOptions, type ResolvedOptions, resolveOptions } from "../options.js";
import type { RemoteSettings } from "../remote/providers.js";
import { type CliArgs, flagFor, parseCliArgs, UsageError, usage } from "./args.js";
import { type Job, type OutputKind, PlanError, planJobs, withFormat } from "./plan.js";
import { formatBytes, ProgressBar } from "./progress.js";

const EXIT_OK = 0;
const EXIT_SOME_FAILED = 1;
const EXIT_USAGE = 2;

export async function main(argv: string[]): Promise<number> {
  // `cutout serve`: the HTTP server, loaded only when asked for (a file named serve is ./serve).
  if (argv[0] === "serve") return (await import("../server/serve-cli.js")).serve(argv.slice(1));
  let args: CliArgs;
  let options: ResolvedOptions;
  let perImage: RemoveOptions;
  let kind: OutputKind;
  let remover: Remover;
  const bar = ProgressBar.for(process.stderr, quietRequested(argv));
  let jobs: Job[];
  try {
    args = parseCliArgs(argv);
    if (args.help) return print(process.stdout, usage(process.stdout.columns));
    if (args.version) return print(process.stdout, version());
    // Standard input is read only when asked for with "-": a bare `cutout` in a script or CI job gets the usage.
    if (args.inputs.length === 0) {
      process.stderr.write(`${usage(process.stderr.columns)}\n`);
      return EXIT_USAGE;
    }
    perImage = { ...(args.image as RemoveOptions), maxPixels: args.maxPixels, maxPngPixels: args.maxPngPixels };
    options = resolveOptions(perImage, flagFor);
    getModelSpec(args.model ?? DEFAULT_MODEL);
    kind = { format: options.canonical.format, channels: options.canonical.channels };
    const plan = await planJobs(args.inputs, args.output, kind, args.recursive);
    jobs = plan.jobs;
    for (const note of plan.notes) if (!args.quiet) process.stderr.write(`cutout: ${note}\n`);
    if (jobs.some((j) => j.output === "-") && process.stdout.isTTY) {
      throw new UsageError("refusing to write image data to a terminal; redirect stdout or pass -o");
    }
    if (args.json && jobs.some((j) => j.output === "-")) throw new UsageError("--json needs -o when the image goes to stdout");
    const engine: EngineOptions = {
      model: args.model,
      modelPath: args.modelPath,
      threads: args.threads,
      engine: args.engine as EngineChoice | undefined,
      quality: args.quality as Quality | undefined,
      precision: args.precision as Precision | undefined,
      remote: remoteSettings(args),
      onModelProgress: (p) => {
        if (p.phase === "quantize") bar.update("Preparing the int8 model (once)", p.received, p.total, "", true);
        else if (p.phase === "download")
          bar.update("Downloading the model (once)", p.received, p.total, downloaded(p.received, p.total), true);
        else bar.update("Checking the model", p.received, p.total);
      },
    };
    checkEngineOptions(engine, flagFor);
    remover = new Remover(engine);
  } catch (error) {
    const e = error as { code?: string; message?: string };
    if (error instanceof UsageError || error instanceof PlanError || e.code === "validation_error") {
      process.stderr.write(`cutout: ${e.message}\n\nRun 'cutout --help' for usage.\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
  return run(args, perImage, kind, jobs, remover, bar);
}

async function run(
  args: CliArgs,
  options: RemoveOptions,
  kind: OutputKind,
  jobs: Job[],
  remover: Remover,
  bar: ProgressBar,
): Promise<number> {
  const inputs = new Set(jobs.map((j) => resolve(j.input)));
  let interrupted = false;
  const onSignal = () => {
    if (!interrupted) {
      // Finish the image in hand (its write is atomic) and stop; a second Ctrl-C kills at once. A
      // second one that came during the same inference (which holds the main thread) is dispatched
      // right after this one: it re-raises below. Later ones find the default action.
      interrupted = true;
      setImmediate(() => process.removeListener("SIGINT", onSignal));
      return;
    }
    process.removeListener("SIGINT", onSignal);
    process.kill(process.pid, "SIGINT");
  };
  process.on("SIGINT", onSignal);

  let failed = 0;
  let done = 0;
  for (const job of jobs) {
    if (interrupted) break;
    bar.update("Removing backgrounds", done, jobs.length, `${done}/${jobs.length} ${job.input}`);
    try {
      if (job.error) throw job.error;
      const existing = args.skipExisting ? await upToDateOutput(job, kind) : undefined;
      if (existing) {
        bar.clear();
        reportSkipped(args, job, existing);
      } else {
        // Fail before the inference, not after it, when the output folder cannot exist.
        if (job.output !== "-") await ensureFolder(dirname(job.output));
        const input = job.input === "-" ? process.stdin : job.input;
        const result = await remover.remove(input, options);
        const target = withFormat(job, kind, result.format);
        if (target !== "-" && inputs.has(resolve(target))) {
          throw new CutoutError("output_exists", `refusing to overwrite the input file ${target}`);
        }
        if (target === "-") await writeStdout(result.data);
        else await writeOutput(target, result.data);
        bar.clear();
        report(args, { ...job, output: target }, result);
      }
    } catch (error) {
      failed++;
      bar.clear();
      reportFailure(args, job, error);
      if (isCutoutError(error) && error.code === "model_unavailable") {
        // Without a model nothing else can succeed either; say so once.
        failed += jobs.length - done - 1;
        break;
      }
    }
    done++;
  }
  bar.clear();
  process.removeListener("SIGINT", onSignal);
  await remover.close();
  if (interrupted) {
    process.stderr.write(`cutout: interrupted; ${done} of ${jobs.length} done. Run again with --skip-existing to finish the rest.\n`);
    return 130;
  }
  return failed > 0 ? EXIT_SOME_FAILED : EXIT_OK;
}

/** The key comes from the environment only: a flag would show in process lists and shell history. */
function remoteSettings(args: CliArgs): RemoteSettings | undefined {
  const apiKey = process.env.CUTOUT_API_KEY;
  if (!apiKey) return undefined;
  return {
    apiKey,
    ...(args.provider ? { provider: args.provider } : {}),
    ...(args.remoteUrl ? { url: args.remoteUrl } : {}),
    ...(args.remoteRetries !== undefined ? { retries: args.remoteRetries } : {}),
  };
}

function downloaded(received: number, total: number | undefined): string {
  return total === undefined ? formatBytes(received) : `${formatBytes(received)} of ${formatBytes(total)}`;
}

function report(args: CliArgs, job: Job, result: CutoutResult): void {
  if (args.json) {
    const { data, alpha, timings, ...meta } = result;
    // A tenth of a millisecond is below what a single run can resolve.
    const rounded = Object.fromEntries(Object.entries(timings).map(([stage, ms]) => [stage, Math.round(ms * 10) / 10]));
    const line = { input: job.input, output: job.output, bytes: data.length, ...meta, timings: rounded, cpu: cpuSummary() };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  }
  for (const warning of result.warnings) process.stderr.write(`cutout: ${job.input}: warning: ${warning}\n`);
  if (!args.quiet && job.output !== "-") {
    const seconds = (result.timings.total / 1000).toFixed(1);
    process.stderr.write(
      `${job.input} -> ${job.output} (${result.width}x${result.height}, ${formatBytes(result.data.length)}, ${seconds} s)\n`,
    );
  }
}

/**
 * For --skip-existing: the job's output, when it exists and is at least as new
 * as its input (format auto may have written .jpg instead of .png).
 */
async function upToDateOutput(job: Job, kind: OutputKind): Promise<string | undefined> {
  if (job.input === "-" || job.output === "-") return undefined;
  const input = await stat(job.input).catch(() => undefined);
  if (!input) return undefined;
  const candidates = kind.format === "auto" ? [withFormat(job, kind, "png"), withFormat(job, kind, "jpg")] : [job.output];
  for (const candidate of new Set(candidates)) {
    const output = await stat(candidate).catch(() => undefined);
    if (output?.isFile() && output.mtimeMs >= input.mtimeMs) return candidate;
  }
  return undefined;
}

function reportSkipped(args: CliArgs, job: Job, output: string): void {
  if (args.json) process.stdout.write(`${JSON.stringify({ input: job.input, output, skipped: "up to date" })}\n`);
  if (!args.quiet) process.stderr.write(`${job.input}: skipped, ${output} is up to date\n`);
}

function reportFailure(args: CliArgs, job: Job, error: unknown): void {
  const coded = isCutoutError(error)
    ? error
    : new CutoutError("invalid_image", `unexpected failure: ${(error as Error)?.message ?? String(error)}`);
  process.stderr.write(`cutout: ${job.input}: ${coded.code}: ${coded.message}\n`);
  if (args.json) process.stdout.write(`${JSON.stringify({ input: job.input, output: job.output, error: coded.toJSON() })}\n`);
}

async function writeOutput(path: string, data: Uint8Array): Promise<void> {
  try {
    await writeFileAtomic(path, data);
  } catch (error) {
    throw unwritable(path, error);
  }
}

async function ensureFolder(path: string): Promise<void> {
  try {
    await mkdir(path, { recursive: true });
  } catch (error) {
    throw unwritable(path, error);
  }
}

function unwritable(path: string, error: unknown): CutoutError {
  const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return new CutoutError("output_unwritable", `cannot write ${path} (${reason})`, { cause: error });
}

function writeStdout(data: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => process.stdout.write(data, (error) => (error ? reject(error) : resolve())));
}

/** Progress is drawn unless --quiet/-q is on the command line (read before full parsing, which may fail). */
function quietRequested(argv: string[]): boolean {
  return argv.includes("--quiet") || argv.includes("-q");
}

function print(stream: NodeJS.WriteStream, text: string): number {
  stream.write(`${text}\n`);
  return EXIT_OK;
}

/** The suite's version (the root package.json's), set by the build: scripts/build.mjs defines it. */
declare const CUTOUT_VERSION: string;

function version(): string {
  return CUTOUT_VERSION;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`cutout: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = EXIT_SOME_FAILED;
  },
);
