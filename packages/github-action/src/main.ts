/**
 * The action: find the images, cut each out with core's engine, write the
 * cutouts, then report through the runner's files (outputs, job summary) and
 * workflow commands (annotations, groups, masking). Committing is left to the
 * workflow.
 */
import { stat } from "node:fs/promises";
import path from "node:path";
import { CutoutError, isCutoutError, Remover, writeFileAtomic } from "@cutout/core";
import { HUGE_PAGE_TUNABLE } from "@cutout/core/launch";
import { defaultCacheDir } from "@cutout/models";
import { changedFiles, type EventPayload, OnlyChangedError, readEvent } from "./changed.js";
import { Freshness, finalOutput, findImages, type Job, planJobs } from "./files.js";
import { InputErrors, readSettings, type Settings } from "./inputs.js";
import { type Env, getInput, Runtime } from "./runtime.js";
import { bytes, type FileResult, renderSummary, seconds } from "./summary.js";

/** Failures after which no later image can succeed either: the run stops trying. */
const FATAL_CODES = new Set(["model_unavailable", "remote_auth_failed", "remote_quota_exceeded"]);

/** Runs the action; resolves to the process exit code. */
export async function run(env: Env, rt: Runtime = new Runtime(env)): Promise<number> {
  // Before anything else is printed: a key must never reach the log unmasked.
  const apiKey = getInput(env, "api-key");
  if (apiKey !== "") rt.setSecret(apiKey);

  const workspace = path.resolve(env.GITHUB_WORKSPACE || process.cwd());
  const cacheDir = defaultCacheDir({ env: env as NodeJS.ProcessEnv });
  // Set first, so a later failure still leaves actions/cache/save a path.
  rt.setOutput("cache-path", cacheDir);

  let settings: Settings;
  try {
    settings = readSettings(env, workspace);
  } catch (error) {
    if (!(error instanceof InputErrors)) throw error;
    for (const e of error.errors) rt.error(e.message, { title: `Input ${e.input}` });
    writeOutputs(rt, []);
    return 1;
  }
  // Relative paths in options (bg_image) mean the workspace, as for the runner's own steps.
  process.chdir(workspace);

  const started = performance.now();
  let event: EventPayload;
  let jobs: Job[];
  let selection: string | undefined;
  try {
    event = await readEvent(env);
    let images = await findImages(settings);
    if (settings.onlyChanged) {
      const changed = await changedFiles(env, event, workspace);
      if (changed.files) {
        const matched = images.length;
        images = images.filter((file) => changed.files.has(file));
        selection = `only-changed: ${images.length} of ${matched} matching images are added or changed in ${changed.range}`;
        rt.info(selection);
      } else {
        rt.notice(`only-changed: ${changed.why}; processing every match`);
      }
    }
    jobs = planJobs(images, settings.output, settings.kind, workspace);
  } catch (error) {
    if (!(error instanceof OnlyChangedError)) throw error;
    rt.error(error.message, { title: "only-changed" });
    writeOutputs(rt, []);
    return 1;
  }
  if (jobs.length === 0) {
    rt.notice(
      `No images to cut out: nothing matches paths (${settings.paths.join(", ")})${settings.onlyChanged ? " among the changed files" : ""}`,
    );
  }

  const results = await processAll(jobs, settings, cacheDir, rt);
  const totalMs = performance.now() - started;

  writeOutputs(rt, results);
  rt.appendSummary(
    renderSummary(results, { env, event, model: settings.model, engine: settings.engine, totalMs, ...(selection ? { selection } : {}) }),
  );

  const failed = results.filter((r) => r.status === "failed").length;
  const done = results.filter((r) => r.status === "processed").length;
  const skipped = results.filter((r) => r.status === "skipped").length;
  rt.info(`Cutout: ${done} cut out, ${skipped} skipped, ${failed} failed in ${seconds(totalMs)}`);
  if (failed > 0 && settings.failOnError) {
    rt.error(`${failed} of ${results.length} images failed (see the annotations); fail-on-error is true`, { title: "Cutout" });
    return 1;
  }
  return 0;
}

async function processAll(jobs: Job[], settings: Settings, cacheDir: string, rt: Runtime): Promise<FileResult[]> {
  const results: FileResult[] = [];
  if (jobs.length === 0) return results;
  const abs = (file: string) => path.resolve(settings.workspace, file);
  const freshness = new Freshness(settings.workspace);
  if (settings.engine === "auto" && settings.apiKey === "") rt.info("engine auto without api-key: local only, no remote fallback");
  if (settings.engine === "local" && settings.apiKey !== "")
    rt.notice("api-key is not used with engine: local (set engine: auto or remote to use the remote API)");
  let lastShare = -1;
  // Set by index.ts's relaunch (core's node/huge-pages.ts) before this process started.
  if (process.env.GLIBC_TUNABLES?.includes(HUGE_PAGE_TUNABLE))
    rt.debug(`glibc's malloc uses huge pages (GLIBC_TUNABLES=${process.env.GLIBC_TUNABLES})`);
  const remover = new Remover({
    model: settings.model,
    quality: settings.quality,
    precision: settings.precision,
    cacheDir,
    engine: settings.engine,
    ...(settings.apiKey === ""
      ? {}
      : { remote: { provider: settings.provider, apiKey: settings.apiKey, ...(settings.remoteUrl ? { url: settings.remoteUrl } : {}) } }),
    onModelProgress: (p) => {
      if (p.phase === "quantize" && p.total === undefined)
        rt.info(`Preparing the int8 form of ${settings.model} (once; cached with the model)`);
      // One log line per 10 %: a CI log has no progress bar.
      if (p.phase !== "download" || !p.total) return;
      const share = Math.floor((p.received / p.total) * 10);
      if (share > lastShare) {
        lastShare = share;
        rt.info(`Downloading model ${settings.model}: ${share * 10}% of ${bytes(p.total)}`);
      }
    },
  });

  rt.group(
    `Cutting out ${jobs.length} image${jobs.length === 1 ? "" : "s"} (model ${settings.model}, quality ${settings.quality}, engine ${settings.engine})`,
  );
  let fatal: CutoutError | undefined;
  try {
    for (const job of jobs) {
      const fail = (error: CutoutError) => {
        results.push({ input: job.input, output: job.output, status: "failed", error: { code: error.code, message: error.message } });
        rt.error(`${error.code}: ${error.message}`, { file: job.input, title: `Cutout failed: ${job.input}` });
      };
      if (fatal) {
        fail(new CutoutError(fatal.code, `not attempted: ${fatal.message}`));
        continue;
      }
      if (job.problem) {
        fail(new CutoutError("output_exists", `${job.input} ${job.problem}`));
        continue;
      }
      try {
        if (settings.skipExisting) {
          const fresh = await freshness.upToDate(job.input, job.output);
          if (fresh.upToDate) {
            const reason = `up to date (${fresh.how === "commit" ? "committed after its input" : "newer than its input"})`;
            results.push({ input: job.input, output: job.output, status: "skipped", reason });
            rt.info(`- ${job.input}: skipped, ${job.output} is ${reason}`);
            continue;
          }
        }
        const inputBytes = (await stat(abs(job.input))).size;
        const result = await remover.remove(abs(job.input), settings.options);
        const output = finalOutput(job, settings.output, settings.kind, settings.workspace, result.format);
        await write(abs(output), result.data, output);
        for (const warning of result.warnings) rt.warning(warning, { file: job.input, title: "Cutout" });
        const ms = result.timings.total;
        results.push({
          input: job.input,
          output,
          status: "processed",
          inputBytes,
          outputBytes: result.data.length,
          width: result.width,
          height: result.height,
          ms: Math.round(ms),
        });
        rt.info(
          `✓ ${job.input} → ${output} (${result.width}×${result.height}, ${bytes(inputBytes)} → ${bytes(result.data.length)}, ${seconds(ms)}${
            result.timings.modelLoad > 50 ? `, model loaded in ${seconds(result.timings.modelLoad)}` : ""
          })`,
        );
      } catch (error) {
        const coded = asCutoutError(error);
        fail(coded);
        if (FATAL_CODES.has(coded.code)) fatal = coded;
      }
    }
  } finally {
    rt.endGroup();
    await remover.close().catch(() => undefined);
  }
  return results;
}

async function write(file: string, data: Uint8Array, shown: string): Promise<void> {
  try {
    await writeFileAtomic(file, data);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new CutoutError("output_unwritable", `cannot write ${shown} (${reason})`, { cause: error });
  }
}

function asCutoutError(error: unknown): CutoutError {
  if (isCutoutError(error)) return error;
  return new CutoutError("invalid_image", `unexpected failure: ${(error as Error)?.message ?? String(error)}`, { cause: error });
}

function writeOutputs(rt: Runtime, results: FileResult[]): void {
  for (const status of ["processed", "skipped", "failed"] as const)
    rt.setOutput(status, String(results.filter((r) => r.status === status).length));
  rt.setOutput("files", JSON.stringify(results));
}
